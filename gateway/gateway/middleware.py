"""Pure ASGI middlewares: request ids, body size limit, JSON-only bodies, security headers."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.asgi_body import replaying
from tgd_contracts.errors import ERRORS, ErrorCode

REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# Strings (with their escapes) and everything but brackets, removed before counting the nesting
_JSON_STRING_OR_NOISE = re.compile(rb'"(?:[^"\\]|\\.)*"|[^\[\]{}"]+')
MAX_JSON_DEPTH = 32  # the deepest contract body is under 8 levels


def json_too_deep(raw: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``raw`` nests arrays/objects deeper than ``limit``, found without parsing
    (so without recursion): strings are skipped, brackets counted."""
    depth = 0
    for char in _JSON_STRING_OR_NOISE.sub(b"", raw):
        if char in b"[{":
            depth += 1
            if depth > limit:
                return True
        elif char in b"]}":
            depth -= 1
    return False


async def send_error(
    send: Send,
    code: ErrorCode,
    request_id: str | None,
    extra_headers: list[tuple[bytes, bytes]] | None = None,
    details: list[dict[str, str]] | None = None,
) -> None:
    """An error in the shape of :func:`gateway.errors.error_response`, byte for byte (a refusal
    must not be told apart from the route's own error); RequestIdMiddleware adds X-Request-Id."""
    content: dict[str, object] = {"error": code.value, "message": ERRORS[code].description}
    if details is not None:
        content["details"] = details
    if request_id:
        content["request_id"] = request_id
    body = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
    headers = [(b"content-length", str(len(body)).encode()), (b"content-type", b"application/json")]
    headers += extra_headers or []
    await send({"type": "http.response.start", "status": ERRORS[code].http_status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


class HttpMiddleware:
    """A pure ASGI middleware acting on HTTP requests only (lifespan and websockets pass)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


def on_response_start(send: Send, hook: Callable[[Message], None]) -> Send:
    """``send``, letting ``hook`` see (and change) the response's start message first."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            hook(message)
        await send(message)

    return sending


class RequestIdMiddleware(HttpMiddleware):
    """Adopt a well-formed ``X-Request-Id`` or make one; echo it on the response."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        given = header(scope, b"x-request-id")
        request_id = given if given and REQUEST_ID_RE.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        def add_id(message: Message) -> None:
            message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]

        await self.app(scope, receive, on_response_start(send, add_id))


class BodyLimitMiddleware:
    """Refuse bodies over ``max_bytes`` (413) whether or not Content-Length is honest,
    bodies that are not JSON (415) on methods that carry one, and JSON nested deeper than
    :data:`MAX_JSON_DEPTH` (400) before anything parses it (a parser recurses)."""

    def __init__(
        self, app: ASGIApp, max_bytes: int, form_paths: frozenset[str] = frozenset(), body_timeout_s: float = 10.0
    ):
        self.app = app
        self.max_bytes = max_bytes
        self.body_timeout_s = body_timeout_s  # a slow client (one byte now and then) is cut off
        self.form_paths = form_paths  # routes that take application/x-www-form-urlencoded (OAuth2 token)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        request_id = scope.get("state", {}).get("request_id")
        length = header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await send_error(send, ErrorCode.PAYLOAD_TOO_LARGE, request_id)
            return
        content_type = (header(scope, b"content-type") or "").split(";")[0].strip().lower()
        form = content_type == "application/x-www-form-urlencoded" and scope["path"] in self.form_paths
        if content_type != "application/json" and not form:
            await send_error(send, ErrorCode.UNSUPPORTED_MEDIA_TYPE, request_id)
            return
        chunks: list[bytes] = []
        received, more = 0, True
        deadline = asyncio.get_running_loop().time() + self.body_timeout_s
        while more:  # buffered (at most max_bytes) so that its nesting is checked before any parse
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - asyncio.get_running_loop().time()))
            except TimeoutError:
                await send_error(send, ErrorCode.REQUEST_TIMEOUT, request_id, [(b"connection", b"close")])
                return
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            received += len(chunks[-1])
            if received > self.max_bytes:
                await send_error(send, ErrorCode.PAYLOAD_TOO_LARGE, request_id)
                return
            more = message.get("more_body", False)
        raw = b"".join(chunks)
        if not form and json_too_deep(raw):
            detail = {"location": "body", "type": "too_deep", "message": f"nested deeper than {MAX_JSON_DEPTH}"}
            await send_error(send, ErrorCode.MALFORMED_JSON, request_id, details=[detail])
            return
        await self.app(scope, replaying(receive, raw), send)


DOC_PATHS = ("/docs", "/redoc")


class SecurityHeadersMiddleware(HttpMiddleware):
    """Headers for an API that serves personal data: no caching, no sniffing, no
    framing, no referrer; a CSP that allows nothing (except the interactive docs)."""

    def __init__(self, app: ASGIApp, hsts: bool = False):
        super().__init__(app)
        self.common = [
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"cache-control", b"no-store"),
            (b"cross-origin-resource-policy", b"same-origin"),
        ]
        if hsts:
            self.common.append((b"strict-transport-security", b"max-age=63072000; includeSubDomains"))

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        added = list(self.common)
        if not scope["path"].startswith(DOC_PATHS):
            added.append((b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"))

        def add_headers(message: Message) -> None:
            present = {k.lower() for k, _ in message.get("headers", [])}
            message["headers"] = [*message.get("headers", []), *(h for h in added if h[0] not in present)]

        await self.app(scope, receive, on_response_start(send, add_headers))
