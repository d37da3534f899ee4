"""The access guard: one ASGI middleware that applies the access table to every
route of the app, so that no route can forget it.

Per request: find the route; no rule declared -> 403 for everyone (fail closed);
public -> rate limit per address; otherwise authenticate the bearer token (401),
rate limit per client (429), check the role (403), the reason when required (400)
and the territory named by the query, path or body (403); run the route (which
checks the territory of its answer itself: :mod:`gateway.auth.answer_guard`) and record
the access in the audit log when the route touches personal data.

The route is matched once here (a path without parameters by one dictionary look-up);
the match is left in the request's state (``route_key``) for the middlewares inside. A
role's projection of an answer is the route's (or the owning service's) business, never
the guard's. The route's bytes go out as they came, never buffered nor parsed here; an
answer its rule reads but the route did not check is withheld (500). The audit entry is written
by the log's group-commit writer (:class:`gateway.auth.audit.AuditWriter`), awaited before
the answer leaves, without blocking the event loop.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.auth.answer_checks import reads_answer
from gateway.auth.answer_guard import CHECKED, RULE, VERDICT
from gateway.auth.audit import AuditLog
from gateway.auth.audit_entry import Verdict, audit_object_id
from gateway.auth.audit_writer import AuditWriter
from gateway.auth.ratelimit import RateLimiter
from gateway.auth.reasons import REASONS, parse_reason
from gateway.auth.request_checks import RequestChecks
from gateway.auth.revocation import Revocation
from gateway.auth.roles import Principal
from gateway.auth.route_index import RouteMatcher, declared_keys
from gateway.auth.rules import Rule
from gateway.auth.tokens import InvalidToken, TokenConfig, TokenVerifier
from gateway.middleware import BodyTooLarge, header, send_error
from tgd_contracts.errors import ERRORS, ErrorCode, TgdError

__all__ = ["AccessGuard", "declared_keys"]

log = logging.getLogger(__name__)


class AccessGuard(RequestChecks):
    def __init__(
        self,
        app: ASGIApp,
        routes_of: Any,
        table: dict[str, Rule],
        tokens: TokenConfig,
        limiter: RateLimiter,
        audit: AuditLog,
        revocation: Revocation | None = None,
    ):
        self.app = app
        self.revocation = revocation
        self.routes_of = routes_of  # the FastAPI app: its router's routes are read at request time
        self.table = table
        self.tokens = tokens
        self.verifier = TokenVerifier(tokens)
        self.limiter = limiter
        self.audit = audit
        self.audit_writer = AuditWriter(audit)
        self._matcher: RouteMatcher | None = None

    def match(self, scope: Scope) -> tuple[str, dict[str, Any]] | None:
        if self._matcher is None:
            self._matcher = RouteMatcher.of(self.routes_of)
        return self._matcher.match(scope["method"], scope["path"])

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
        scope.setdefault("state", {})["route_key"] = key
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
        if rule.rate_limited and await self._limited(f"client:{principal.client_id}", send, request_id):
            return
        verdict = Verdict(key, principal, object_id=audit_object_id(rule, path_params), request_id=request_id)
        if principal.role not in rule.roles:
            await self._refuse(send, ErrorCode.FORBIDDEN, request_id, rule, verdict)
            return
        if rule.personal or rule.reason_required:  # a code of the list, never free text (it could hold a name)
            verdict.reason, problem = parse_reason(header(scope, b"x-access-reason"))
            if problem or (rule.reason_required and verdict.reason is None):
                detail = {"location": "header.X-Access-Reason", "type": "reason_code", "message": problem or ""}
                detail["message"] = detail["message"] or f"one of: {', '.join(REASONS)}"
                await self._refuse(send, ErrorCode.REASON_REQUIRED, request_id, rule, verdict, [detail])
                return
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
        if not (rule.checks_answer or rule.recorded):
            await self.app(scope, receive, send)
            return
        await self._run_and_record(scope, receive, send, key, rule, verdict, request_id)

    # -- before the route ---------------------------------------------------------
    def _authenticate(self, scope: Scope) -> Principal | None:
        value = header(scope, b"authorization") or ""
        scheme, _, token = value.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        try:
            principal, issued_at = self.verifier.verify(token.strip())
        except InvalidToken:
            return None
        if self.revocation is not None and self.revocation.is_revoked(principal.client_id, issued_at):
            return None  # disabled, deleted or rotated since the token was issued
        return principal

    async def _limited(self, key: str, send: Send, request_id: str | None) -> bool:
        wait = self.limiter.acquire(key)
        if wait <= 0:
            return False
        await send_error(send, ErrorCode.RATE_LIMITED, request_id, [(b"retry-after", str(int(wait) + 1).encode())])
        return True

    # -- around the route -----------------------------------------------------------
    async def _run_and_record(
        self, scope: Scope, receive: Receive, send: Send, key: str, rule: Rule, v: Verdict, request_id: str | None
    ) -> None:
        """Run the route; the access log entry is written (with the final status) before the
        answer's first byte leaves. The answer itself is never buffered nor parsed here: a
        route whose rule reads it checks it (:mod:`gateway.auth.answer_guard`), and an
        unchecked answer is withheld (500)."""
        state = scope.setdefault("state", {})
        state[RULE], state[VERDICT] = rule, v
        must_check = reads_answer(rule, key.split(" ", 1)[1])
        withheld = False

        async def send_recorded(message: Message) -> None:
            nonlocal withheld
            if message["type"] == "http.response.start":
                status, learnt = message["status"], state.get(CHECKED)
                if must_check and 200 <= status < 300 and learnt is None:
                    log.error("%s answered without checking its answer: withheld", v.action)
                    withheld = True
                    await send_error(send, ErrorCode.INTERNAL_ERROR, request_id)
                    return
                for name, value in (learnt or {}).items():  # a replayed answer's, as first checked
                    setattr(v, name, value)
                await self._record(rule, v, status)
            elif withheld:
                return
            await send(message)

        await self.app(scope, receive, send_recorded)

    async def _refuse(
        self,
        send: Send,
        code: ErrorCode,
        request_id: str | None,
        rule: Rule,
        v: Verdict,
        details: list[dict[str, str]] | None = None,
    ) -> None:
        await self._record(rule, v, ERRORS[code].http_status)
        await send_error(send, code, request_id, details=details)

    async def _record(self, rule: Rule, v: Verdict, status: int) -> None:
        if not rule.recorded:
            return
        await self.audit_writer.record(
            client_id=v.principal.client_id,
            role=v.principal.role.value,
            action=v.action,
            object_id=v.object_id,
            jurisdiction=v.jurisdiction,
            status=status,
            reason=v.reason,
            request_id=v.request_id,
        )
