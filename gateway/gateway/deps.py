"""Annotated dependencies shared by the routes. Every one is ``async def``: FastAPI runs a
plain ``def`` dependency in its threadpool (a thread hop per request for a getter)."""

from __future__ import annotations

import hashlib
import re
from typing import Annotated, Protocol

from fastapi import Depends, Header, Request
from pydantic import BeforeValidator

from gateway.alert_events import StreamWakeups
from gateway.auth.roles import Principal
from tgd_contracts.errors import ErrorCode, TgdError

IDEMPOTENCY_KEY_RE = re.compile(r"^[A-Za-z0-9_.:-]{8,128}$")


class ServiceCaller(Protocol):
    connected: bool

    async def call(self, service: str, method: str, **kwargs: object) -> object: ...


async def get_rpc(request: Request) -> ServiceCaller:
    return request.app.state.rpc


async def get_stream_wakeups(request: Request) -> StreamWakeups:
    """The open-alerts streams of this process (:mod:`gateway.alert_events`)."""
    return request.app.state.stream_wakeups


async def idempotency_key(
    request: Request,
    key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="Client-chosen key (8-128 of A-Z a-z 0-9 _ . : -); a retry with the same key and body "
            "returns the first result instead of creating a second record.",
        ),
    ] = None,
) -> str:
    """The key passed to services is scoped to the calling client: two partners choosing
    the same key neither collide nor see each other's record."""
    if key is None:
        raise TgdError(code=ErrorCode.MISSING_IDEMPOTENCY_KEY)
    if not IDEMPOTENCY_KEY_RE.match(key):
        raise TgdError("Idempotency-Key must be 8 to 128 characters of letters, digits and _ . : -",
                       code=ErrorCode.INVALID_REQUEST)  # fmt: skip
    principal = getattr(request.state, "principal", None)
    if principal is None:
        return key
    return hashlib.sha256(f"{principal.client_id}\n{key}".encode()).hexdigest()


async def get_caller(request: Request) -> Principal:
    """The authenticated caller (set by the access guard before any non-public route)."""
    principal = getattr(request.state, "principal", None)
    if principal is None:  # a route without an access rule never runs; this is a safety net
        raise TgdError(code=ErrorCode.UNAUTHENTICATED)
    return principal


def strict_bool_text(value: object) -> object:
    """A query boolean is ``true`` or ``false``, nothing laxer (no ``yes``, ``1``, ``on``)."""
    if isinstance(value, str) and value not in ("true", "false"):
        raise ValueError("expected true or false")
    return value


QueryBool = Annotated[bool, BeforeValidator(strict_bool_text)]
Rpc = Annotated[ServiceCaller, Depends(get_rpc)]
Caller = Annotated[Principal, Depends(get_caller)]
IdempotencyKey = Annotated[str, Depends(idempotency_key)]
Wakeups = Annotated[StreamWakeups, Depends(get_stream_wakeups)]
