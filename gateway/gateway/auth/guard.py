"""The access guard: one ASGI middleware that applies the access table to every
route of the app, so that no route can forget it.

Per request: find the route; no rule declared -> 403 for everyone (fail closed);
public -> rate limit per address; otherwise authenticate the bearer token (401),
rate limit per client (429), check the role (403), the reason when required (400)
and the territory named by the query, path or body (403); run the route; check the
territory of the answer (the same 404 as a missing object), apply the role's view,
and record the access in the audit log when the route touches personal data.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from fastapi.routing import iter_route_contexts
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.auth.audit import AuditLog
from gateway.auth.ratelimit import RateLimiter
from gateway.auth.roles import Principal
from gateway.auth.rules import Locate, Rule, Source, dig
from gateway.auth.tokens import InvalidToken, TokenConfig, verify_token
from gateway.middleware import BodyTooLarge, header, send_error
from tgd_contracts.errors import ERRORS, ErrorCode, TgdError
from tgd_contracts.jurisdictions import is_known_jurisdiction

log = logging.getLogger(__name__)
REASON_MAX = 200


@dataclass
class Verdict:
    """What the guard learnt about one request, for the audit entry."""

    action: str
    principal: Principal
    object_id: str | None = None
    jurisdiction: str | None = None
    reason: str | None = None
    request_id: str | None = None


def route_key(method: str, path_format: str) -> str:
    return f"{'GET' if method == 'HEAD' else method} {path_format}"


def route_index(app: Any) -> list[tuple[set[str], Any, str, dict[str, Any]]]:
    """(methods, path regex, path format, convertors) of every HTTP route of the app,
    routers included (FastAPI nests included routers lazily)."""
    index = []
    for context in iter_route_contexts(app.routes):
        methods, regex = context.methods, getattr(context, "path_regex", None)
        if methods and regex is not None and context.path_format:
            index.append((set(methods), regex, context.path_format, dict(context.param_convertors or {})))
    return index


def declared_keys(app: Any) -> list[str]:
    """Every ``"METHOD /path"`` the app serves (HEAD folded into GET): what the access table must cover."""
    return sorted({route_key(m, fmt) for methods, _, fmt, _ in route_index(app) for m in methods})


class AccessGuard:
    def __init__(
        self,
        app: ASGIApp,
        routes_of: Any,
        table: dict[str, Rule],
        tokens: TokenConfig,
        limiter: RateLimiter,
        audit: AuditLog,
    ):
        self.app = app
        self.routes_of = routes_of  # the FastAPI app: its router's routes are read at request time
        self.table = table
        self.tokens = tokens
        self.limiter = limiter
        self.audit = audit
        self._index: list[tuple[set[str], Any, str, dict[str, Any]]] | None = None

    def match(self, scope: Scope) -> tuple[str, dict[str, Any]] | None:
        if self._index is None:
            self._index = route_index(self.routes_of)
        method = "GET" if scope["method"] == "HEAD" else scope["method"]
        for methods, regex, path_format, convertors in self._index:
            found = regex.match(scope["path"])
            if found and method in methods:
                params = {k: convertors[k].convert(v) if k in convertors else v for k, v in found.groupdict().items()}
                return route_key(method, path_format), params
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = scope.get("state", {}).get("request_id")
        found = self.match(scope)
        if found is None:  # 404 / 405: the router answers with the error shape
            await self.app(scope, receive, send)
            return
        key, path_params = found
        rule = self.table.get(key)
        if rule is None:
            log.error("no access rule declared for %s: refused", key)
            await send_error(send, ErrorCode.FORBIDDEN, request_id)
            return
        client = scope.get("client")
        address = f"addr:{client[0] if client else '-'}"
        if rule.public:
            if await self._limited(address, send, request_id):
                return
            await self.app(scope, receive, send)
            return
        principal = self._authenticate(scope)
        if principal is None:
            if await self._limited(address, send, request_id):  # token guessing is rate limited too
                return
            await send_error(send, ErrorCode.UNAUTHENTICATED, request_id, [(b"www-authenticate", b"Bearer")])
            return
        if await self._limited(f"client:{principal.client_id}", send, request_id):
            return
        verdict = Verdict(key, principal, object_id=_str(path_params.get(rule.object_id or "")), request_id=request_id)
        verdict.reason = header(scope, b"x-access-reason")
        if principal.role not in rule.roles:
            await self._refuse(send, ErrorCode.FORBIDDEN, request_id, rule, verdict)
            return
        if rule.reason_required and not (verdict.reason and verdict.reason.strip()):
            await self._refuse(send, ErrorCode.REASON_REQUIRED, request_id, rule, verdict)
            return
        verdict.reason = (verdict.reason or "")[:REASON_MAX] or None
        try:
            receive, refusal = await self._check_request(scope, receive, rule, principal, path_params, verdict)
        except BodyTooLarge:
            await send_error(send, ErrorCode.PAYLOAD_TOO_LARGE, request_id)
            return
        except TgdError as exc:  # a lookup failed: the service is unavailable or timed out
            await send_error(send, exc.code, request_id)
            return
        if refusal is not None:
            code, details = refusal
            await self._refuse(send, code, request_id, rule, verdict, details)
            return
        scope.setdefault("state", {})["principal"] = principal
        if not (rule.checks_answer or rule.views or rule.personal):
            await self.app(scope, receive, send)
            return
        await self._run_and_filter(scope, receive, send, rule, verdict, request_id)

    # -- before the route ---------------------------------------------------------
    def _authenticate(self, scope: Scope) -> Principal | None:
        value = header(scope, b"authorization") or ""
        scheme, _, token = value.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        try:
            return verify_token(self.tokens, token.strip())
        except InvalidToken:
            return None

    async def _limited(self, key: str, send: Send, request_id: str | None) -> bool:
        wait = self.limiter.acquire(key)
        if wait <= 0:
            return False
        await send_error(send, ErrorCode.RATE_LIMITED, request_id, [(b"retry-after", str(int(wait) + 1).encode())])
        return True

    async def _check_request(
        self, scope: Scope, receive: Receive, rule: Rule, principal: Principal, path_params: dict[str, Any], v: Verdict
    ) -> tuple[Receive, Refusal | None]:
        """(the receive to use downstream, why the request is refused or None)."""
        parsed_body: Any = None
        if any(loc.source is Source.BODY for loc in rule.territory):
            receive, raw = await _buffer(receive)
            try:
                parsed_body = json.loads(raw, object_pairs_hook=_unique_keys)
            except DuplicateKey:  # the route might read another copy of the key than the guard did
                detail = {"location": "body", "type": "duplicate_key", "message": "a key appears twice"}
                return receive, (ErrorCode.INVALID_REQUEST, [detail])
            except ValueError:
                return receive, None  # not JSON: the route refuses it (400) before anything is read
            if not isinstance(parsed_body, dict):
                return receive, None  # not an object: the route refuses it (422)
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        for loc in rule.territory:
            if loc.source is Source.ANSWER:
                continue
            if loc.source is Source.LOOKUP:
                value = await self._lookup(loc, path_params)
                if value is None or not loc.covered(principal, value):
                    return receive, (rule.not_found, None)
                v.jurisdiction = value
                continue
            if loc.source is Source.QUERY:
                values = query.get(loc.field, [])
                if not values and not loc.required:
                    continue
                value: Any = values[0] if len(values) == 1 else None
            elif loc.source is Source.PATH:
                value = path_params.get(loc.field)
            else:
                value = dig(parsed_body, loc.field)
            refusal = territory_refusal(loc, principal, value)
            if refusal is not None:
                return receive, refusal
            v.jurisdiction = value
        return receive, None

    async def _lookup(self, loc: Locate, path_params: dict[str, Any]) -> str | None:
        """The territory of the object named in the path, from its owning service (None: no such object)."""
        assert loc.lookup is not None
        service, method, keyword = loc.lookup
        object_id = path_params.get(loc.field)
        try:
            found = await self.routes_of.state.rpc.call(service, method, **{keyword: object_id})
        except TgdError as exc:
            if ERRORS[exc.code].http_status == 404:
                return None
            raise
        value = dig(found, loc.lookup_field)
        return value if isinstance(value, str) else None

    # -- after the route ----------------------------------------------------------
    async def _run_and_filter(
        self, scope: Scope, receive: Receive, send: Send, rule: Rule, v: Verdict, request_id: str | None
    ) -> None:
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        assert start is not None
        status, raw = start["status"], b"".join(chunks)
        if not 200 <= status < 300:
            self._record(rule, v, status)
            await _send(send, start, raw)
            return
        try:
            data = json.loads(raw)
        except ValueError:
            log.error("%s answered a body that is not JSON: withheld", v.action)
            await send_error(send, ErrorCode.INTERNAL_ERROR, request_id)
            return
        if not self._answer_covered(rule, v, data):
            await self._refuse(send, rule.not_found, request_id, rule, v)
            return
        if v.object_id is None and rule.object_id:
            v.object_id = _str(dig(data, rule.object_id))
        view = rule.views.get(v.principal.role)
        if view is not None:
            data = view(data)
        self._record(rule, v, status)
        await _send(send, start, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())

    def _answer_covered(self, rule: Rule, v: Verdict, data: Any) -> bool:
        for loc in rule.territory:
            if loc.source is not Source.ANSWER:
                continue
            if "[]." in loc.field:  # a list: drop what is outside the caller's territory
                list_path, item_field = loc.field.split("[].", 1)
                items = dig(data, list_path)
                if isinstance(items, list):
                    kept = [i for i in items if loc.covered(v.principal, dig(i, item_field))]
                    if len(kept) != len(items):
                        log.warning("%s: %d foreign items withheld", v.action, len(items) - len(kept))
                        _set(data, list_path, kept)
                continue
            value = dig(data, loc.field)
            v.jurisdiction = _str(value) or v.jurisdiction
            if not loc.covered(v.principal, value):
                return False
        return True

    async def _refuse(
        self,
        send: Send,
        code: ErrorCode,
        request_id: str | None,
        rule: Rule,
        v: Verdict,
        details: list[dict[str, str]] | None = None,
    ) -> None:
        self._record(rule, v, ERRORS[code].http_status)
        await send_error(send, code, request_id, details=details)

    def _record(self, rule: Rule, v: Verdict, status: int) -> None:
        if not rule.personal:
            return
        self.audit.record(
            client_id=v.principal.client_id,
            role=v.principal.role.value,
            action=v.action,
            object_id=v.object_id,
            jurisdiction=v.jurisdiction,
            status=status,
            reason=v.reason,
            request_id=v.request_id,
        )


Refusal = tuple[ErrorCode, list[dict[str, str]] | None]
CODE_RE = re.compile(r"^[a-z0-9-]{1,40}$")


def territory_refusal(loc: Locate, principal: Principal, value: Any) -> Refusal | None:
    """Missing or malformed: 422; an unknown jurisdiction: 422 (it holds nothing); outside the caller's: 403."""
    if not isinstance(value, str) or not CODE_RE.match(value):
        kind = "missing" if value is None else "string_pattern_mismatch"
        where = f"{loc.source.value}.{loc.field}"
        return ErrorCode.INVALID_REQUEST, [
            {"location": where, "type": kind, "message": f"a {loc.kind} code is required"}
        ]
    if loc.kind == "jurisdiction" and not is_known_jurisdiction(value):
        return ErrorCode.UNKNOWN_JURISDICTION, None
    if not loc.covered(principal, value):
        return ErrorCode.FORBIDDEN, None
    return None


class DuplicateKey(Exception):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise DuplicateKey()
    return dict(pairs)


def _str(value: Any) -> str | None:
    return value[:64] if isinstance(value, str) and value else None


def _set(data: Any, dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        data = data[part]
    data[last] = value


async def _buffer(receive: Receive) -> tuple[Receive, bytes]:
    """Read the whole body (already size-limited by BodyLimitMiddleware) and replay it."""
    chunks, more = [], True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    raw = b"".join(chunks)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": raw, "more_body": False}
        return await receive()

    return replay, raw


async def _send(send: Send, start: Message, body: bytes) -> None:
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
    headers.append((b"content-length", str(len(body)).encode()))
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": body})
