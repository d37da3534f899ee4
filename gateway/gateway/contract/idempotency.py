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

Kept answers live in the gateway's memory for :data:`TTL_S` (at most :data:`MAX_ENTRIES`,
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

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.asgi_body import read_body
from gateway.auth.answer_guard import CHECKED
from gateway.auth.route_index import route_index
from tgd_contracts.errors import ERRORS, ErrorCode

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


class IdempotencyMiddleware:
    """Inside the access guard (the caller is known), outside the routes."""

    def __init__(self, app: ASGIApp, routes_of: Any, store: IdempotencyStore | None = None):
        self.app, self.routes_of = app, routes_of
        self.store = store or IdempotencyStore()

    def _mode(self, scope: Scope) -> Mode | None:
        if scope["type"] != "http" or scope["method"] != "POST":
            return None
        matched = scope.get("state", {}).get("route_key")  # the access guard's match
        if matched is not None:
            return idempotent_route("POST", matched.split(" ", 1)[1])
        for methods, regex, path_format, _ in route_index(self.routes_of):
            if "POST" in methods and regex.match(scope["path"]):
                return idempotent_route("POST", path_format)
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _header(scope, b"idempotency-key")
        if key is None or self._mode(scope) != "optional":
            await self.app(scope, receive, send)
            return
        if not KEY_RE.match(key):
            await _refuse(scope, send, ErrorCode.INVALID_REQUEST, "Idempotency-Key must be 8 to 128 characters "
                          "of letters, digits and _ . : -")  # fmt: skip
            return
        body, receive = await read_body(receive)
        principal = scope.get("state", {}).get("principal")
        client = principal.client_id if principal is not None else ""
        scoped = hashlib.sha256(f"{client}\n{key}".encode()).hexdigest()
        fingerprint = hashlib.sha256(b"POST " + scope["path"].encode() + b"\n" + body).hexdigest()
        kept = self.store.begin(scoped, fingerprint, time.monotonic())  # no await between look-up and reserve
        if kept is not None:
            await self._answer_kept(scope, send, kept, fingerprint)
            return
        captured: dict[str, Any] = {"status": 500, "headers": [], "body": b""}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = [(k, v) for k, v in message.get("headers", []) if k.lower() in KEPT_HEADERS]
            elif message["type"] == "http.response.body":
                captured["body"] += message.get("body", b"")
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            checked = scope.get("state", {}).get(CHECKED)
            self.store.finish(scoped, captured["status"], captured["headers"], captured["body"], checked)

    async def _answer_kept(self, scope: Scope, send: Send, kept: Kept, fingerprint: str) -> None:
        if kept.fingerprint != fingerprint:
            await _refuse(scope, send, ErrorCode.IDEMPOTENCY_KEY_REUSED)
        elif not kept.done:
            await _refuse(scope, send, ErrorCode.IDEMPOTENCY_KEY_REUSED, "A request with this Idempotency-Key is "
                          "still being processed; retry later.")  # fmt: skip
        else:
            if kept.answer_checked is not None:  # the access guard records it as first checked
                scope.setdefault("state", {})[CHECKED] = kept.answer_checked
            headers = [*(kept.headers or []), (b"content-length", str(len(kept.body)).encode())]
            headers.append((b"idempotent-replayed", b"true"))
            await send({"type": "http.response.start", "status": kept.status, "headers": headers})
            await send({"type": "http.response.body", "body": kept.body})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


async def _refuse(scope: Scope, send: Send, code: ErrorCode, message: str | None = None) -> None:
    body: dict[str, str] = {"error": code.value, "message": message or ERRORS[code].description}
    request_id = scope.get("state", {}).get("request_id")
    if request_id:
        body["request_id"] = request_id
    await JSONResponse(body, status_code=ERRORS[code].http_status)(scope, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}
