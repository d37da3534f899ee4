"""One idempotency rule for every POST that creates or triggers something.

A client may send ``Idempotency-Key`` (8-128 of ``A-Z a-z 0-9 _ . : -``), scoped to the
client. The first successful (2xx) answer is kept; a retry with the same key and the same
method, path and body gets that answer again (same status, same body, header
``Idempotent-Replayed: true``) and the route does not run twice; the same key with another
body is 409 ``idempotency_key_reused``; while the first request is still running, a retry is
409 too (retry later). A 4xx or 5xx answer is not kept: a 4xx changed nothing and a retry
after a 5xx must be able to succeed.

Exceptions, each with its own durable key:
- ``POST /v1/referrals``: the key is required and the referral service keeps it (a replay is
  the stored referral, status 200), across gateway restarts (:func:`gateway.deps.idempotency_key`);
- ``POST /v1/device-alerts``: the device platform's ``press_id`` identifies a press
  (``duplicate: true`` on a retry); a press must never wait on a key;
- ``POST /v1/oauth/token``: asking again gives a new token;
- ``POST /v1/oauth/revoke``: revoking again answers the same (RFC 7009).

The caller is known: :class:`Idempotency` is a dependency declared on the app after the
access guard. Kept answers live in the gateway's memory for :data:`TTL_S` (at most :data:`MAX_ENTRIES`,
oldest evicted): a retry that reaches another gateway replica, or comes after a restart,
runs the route again, which for these routes repeats a state transition the services
already refuse or ignore (``invalid_state``, "repeating it changes nothing").
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import Request
from starlette.responses import Response
from starlette.types import Message

from gateway.auth.answer_guard import CHECKED
from tgd_contracts.errors import ErrorCode, TgdError

IDEMPOTENCY_HEADER = "Idempotency-Key"
KEY_RE = re.compile(r"^[A-Za-z0-9_.:-]{8,128}$")
TTL_S = 24 * 3600
MAX_ENTRIES = 10_000
#: routes with their own durable key (see the module docstring)
OWN_KEY = {"/v1/referrals": "required", "/v1/device-alerts": None, "/v1/oauth/token": None, "/v1/oauth/revoke": None}

Mode = Literal["required", "optional"]


def idempotent_route(method: str, path_format: str) -> Mode | None:
    """How a route takes ``Idempotency-Key``: every POST of the partner API, optional, but
    the routes of :data:`OWN_KEY`."""
    if method != "POST" or not path_format.startswith("/v1/"):
        return None
    if path_format in OWN_KEY:
        return OWN_KEY[path_format]  # type: ignore[return-value]
    return "optional"


@dataclass
class Kept:
    fingerprint: str
    expires: float
    status: int = 0
    headers: list[tuple[bytes, bytes]] | None = None
    body: bytes = b""
    answer_checked: dict[str, Any] | None = None  # what the access check learnt of the answer

    @property
    def done(self) -> bool:
        return self.status != 0


class IdempotencyStore:
    def __init__(self, ttl_s: float = TTL_S, max_entries: int = MAX_ENTRIES):
        self.ttl_s, self.max_entries = ttl_s, max_entries
        self.entries: OrderedDict[str, Kept] = OrderedDict()

    def begin(self, scoped_key: str, fingerprint: str, now: float) -> Kept | None:
        """The kept entry for this key, or None after reserving it for this request."""
        for key in [k for k, e in self.entries.items() if e.expires <= now]:
            del self.entries[key]
        found = self.entries.get(scoped_key)
        if found is not None:
            return found
        self.entries[scoped_key] = Kept(fingerprint, now + self.ttl_s)
        while len(self.entries) > self.max_entries:
            self.entries.popitem(last=False)
        return None

    def finish(
        self,
        scoped_key: str,
        status: int,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        answer_checked: dict[str, Any] | None = None,
    ) -> None:
        entry = self.entries.get(scoped_key)
        if entry is None:
            return
        if 200 <= status < 300:
            entry.status, entry.headers, entry.body = status, headers, body
            entry.answer_checked = answer_checked
        else:
            del self.entries[scoped_key]


KEPT_HEADERS = {b"content-type", b"location", b"content-disposition"}
SCOPED_KEY = "idempotency_scoped_key"  # the request state's key: this request's answer is to be kept


class Replay(Exception):  # not an error: the kept answer, given again
    def __init__(self, kept: Kept):
        self.kept = kept


class Idempotency:
    """A dependency declared on the app after the access guard (the caller is known): a
    retry gets the kept answer (:class:`Replay`), or this request's answer is to be kept
    (by :class:`gateway.auth.outcome.AccessOutcome`, as it goes out)."""

    def __init__(self, store: IdempotencyStore):
        self.store = store

    async def __call__(self, request: Request) -> None:
        key = request.headers.get("idempotency-key")
        state = request.scope.setdefault("state", {})
        matched: str | None = state.get("route_key")  # the access guard's
        if key is None or matched is None or request.method != "POST":
            return
        if idempotent_route("POST", matched.split(" ", 1)[1]) != "optional":
            return
        if not KEY_RE.match(key):
            raise TgdError("Idempotency-Key must be 8 to 128 characters of letters, digits and _ . : -",
                           code=ErrorCode.INVALID_REQUEST)  # fmt: skip
        body = await request.body()
        principal = state.get("principal")
        client = principal.client_id if principal is not None else ""
        scoped = hashlib.sha256(f"{client}\n{key}".encode()).hexdigest()
        fingerprint = hashlib.sha256(b"POST " + request.scope["path"].encode() + b"\n" + body).hexdigest()
        kept = self.store.begin(scoped, fingerprint, time.monotonic())  # no await between look-up and reserve
        if kept is None:
            state[SCOPED_KEY] = scoped
        elif kept.fingerprint != fingerprint:
            raise TgdError(code=ErrorCode.IDEMPOTENCY_KEY_REUSED)
        elif not kept.done:
            raise TgdError("A request with this Idempotency-Key is still being processed; retry later.",
                           code=ErrorCode.IDEMPOTENCY_KEY_REUSED)  # fmt: skip
        else:
            if kept.answer_checked is not None:  # the access log records it as first checked
                state[CHECKED] = kept.answer_checked
            raise Replay(kept)


async def replay_response(request: Request, replay: Replay) -> Response:
    """The kept answer again: same status, same body, ``Idempotent-Replayed: true``."""
    kept = replay.kept
    response = Response(kept.body, status_code=kept.status)
    response.raw_headers = [*(kept.headers or []), (b"content-length", str(len(kept.body)).encode())]
    response.raw_headers.append((b"idempotent-replayed", b"true"))
    return response


class Keeping:
    """An answer as it goes out, when its request's answer is to be kept (``SCOPED_KEY``)."""

    def __init__(self, state: dict[str, Any]):
        self.state = state
        self.status, self.headers, self.chunks = 500, [], []  # a route that fails mid-way keeps nothing

    def see(self, message: Message) -> None:
        if SCOPED_KEY not in self.state:
            return
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = [(k, v) for k, v in message.get("headers", []) if k.lower() in KEPT_HEADERS]
        elif message["type"] == "http.response.body":
            self.chunks.append(message.get("body", b""))

    def finish(self, store: IdempotencyStore) -> None:
        scoped = self.state.get(SCOPED_KEY)
        if scoped is not None:
            store.finish(scoped, self.status, self.headers, b"".join(self.chunks), self.state.get(CHECKED))
