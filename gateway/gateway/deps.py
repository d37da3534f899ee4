"""Annotated dependencies shared by the routes."""

from __future__ import annotations

from typing import Annotated, Protocol

from fastapi import Depends, Header, Request

from tgd_contracts.errors import ErrorCode, TgdError


class ServiceCaller(Protocol):
    connected: bool

    async def call(self, service: str, method: str, **kwargs: object) -> object: ...


def get_rpc(request: Request) -> ServiceCaller:
    return request.app.state.rpc


def idempotency_key(
    key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="Client-chosen key (8-128 of A-Z a-z 0-9 _ . : -); a retry with the same key and body "
            "returns the first result instead of creating a second record.",
        ),
    ] = None,
) -> str:
    if key is None:
        raise TgdError(code=ErrorCode.MISSING_IDEMPOTENCY_KEY)
    return key


Rpc = Annotated[ServiceCaller, Depends(get_rpc)]
IdempotencyKey = Annotated[str, Depends(idempotency_key)]
