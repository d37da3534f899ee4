"""The access guard: one dependency declared on the app (``FastAPI(dependencies=...)``),
so that every route runs it before its own dependencies and parameters, and no route
can forget it.

Per request: the matched route's rule; no rule declared -> 403 for everyone (fail
closed); public -> rate limit per address; otherwise authenticate the bearer token
(401), rate limit per client (429), check the role (403), the reason when required
(400) and the territory named by the query, path or body, or learnt from the owning
service (403 or the rule's 404). The caller is left in the request's state
(``principal``), with the rule and what was learnt for the access log (``access_rule``,
``access_verdict``).

After the guard: the route checks the territory of its answer itself
(:mod:`gateway.auth.answer_guard`) and :class:`gateway.auth.outcome.AccessOutcome` writes
the access-log entry with the final status before the answer's first byte leaves. A
role's projection of an answer is the route's (or the owning service's) business, never
the guard's. FastAPI decodes a JSON body before any dependency: when it refuses it, its
error handler runs the guard first (:func:`gateway.errors.install_error_handlers`), so
a caller without a token gets 401, never a word about its body.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request

from gateway.auth.answer_guard import RULE, VERDICT
from gateway.auth.audit_entry import Verdict, audit_object_id
from gateway.auth.ratelimit import RateLimiter
from gateway.auth.reasons import REASONS, parse_reason
from gateway.auth.request_checks import RequestChecks
from gateway.auth.revocation import Revocation
from gateway.auth.roles import Principal
from gateway.auth.route_index import declared_keys, route_key
from gateway.auth.rules import Rule
from gateway.auth.tokens import InvalidToken, TokenConfig, TokenVerifier
from tgd_contracts.errors import ErrorCode, TgdError

__all__ = ["GUARDED", "AccessGuard", "Refused", "declared_keys"]

log = logging.getLogger(__name__)
GUARDED = "access_guarded"  # the request state's key: the guard ran (or is running) for this request


class Refused(TgdError):
    """A refusal of the guard: the error's code, its details and headers (``Retry-After``,
    ``WWW-Authenticate``), in the shape of every other error."""

    def __init__(
        self, code: ErrorCode, details: list[dict[str, str]] | None = None, headers: dict[str, str] | None = None
    ):
        super().__init__(code=code)
        self.details, self.headers = details, headers


class AccessGuard(RequestChecks):
    def __init__(
        self,
        table: dict[str, Rule],
        tokens: TokenConfig,
        limiter: RateLimiter,
        revocation: Revocation | None = None,
    ):
        self.table = table
        self.verifier = TokenVerifier(tokens)
        self.limiter = limiter
        self.revocation = revocation

    async def __call__(self, request: Request) -> None:
        """The dependency: returns when the request may run its route, raises :class:`Refused` otherwise."""
        state = request.scope.setdefault("state", {})
        route = request.scope.get("route")
        if state.get(GUARDED) or route is None:
            return
        state[GUARDED] = True
        key = route_key(request.method, route.path_format)
        state["route_key"] = key
        rule = self.table.get(key)
        if rule is None:
            log.error("no access rule declared for %s: refused", key)
            raise Refused(ErrorCode.FORBIDDEN)
        address = f"addr:{request.client.host if request.client else '-'}"
        if rule.public:
            self._limit(address)
            return
        principal = self._authenticate(request.headers.get("authorization") or "")
        if principal is None:
            self._limit(address)  # token guessing is rate limited too
            raise Refused(ErrorCode.UNAUTHENTICATED, headers={"www-authenticate": "Bearer"})
        if rule.rate_limited:
            self._limit(f"client:{principal.client_id}")
        path_params: dict[str, Any] = request.scope.get("path_params", {})
        request_id = state.get("request_id")
        verdict = Verdict(key, principal, object_id=audit_object_id(rule, path_params), request_id=request_id)
        state[RULE], state[VERDICT] = rule, verdict  # from here on, a refusal is in the access log too
        if principal.role not in rule.roles:
            raise Refused(ErrorCode.FORBIDDEN)
        if rule.personal or rule.reason_required:  # a code of the list, never free text (it could hold a name)
            verdict.reason, problem = parse_reason(request.headers.get("x-access-reason"))
            if problem or (rule.reason_required and verdict.reason is None):
                detail = {"location": "header.X-Access-Reason", "type": "reason_code", "message": problem or ""}
                detail["message"] = detail["message"] or f"one of: {', '.join(REASONS)}"
                raise Refused(ErrorCode.REASON_REQUIRED, [detail])
        try:
            refusal = await self._check_request(request, rule, principal, path_params, verdict)
        except Exception as exc:  # a lookup failed (the service is unavailable, timed out...): not an access
            del state[VERDICT]
            if isinstance(exc, TgdError):
                raise Refused(exc.code) from None  # the code's own message, not the service's
            raise
        if refusal is not None:
            raise Refused(*refusal)
        state["principal"] = principal

    def _authenticate(self, authorization: str) -> Principal | None:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        try:
            principal, issued_at = self.verifier.verify(token.strip())
        except InvalidToken:
            return None
        if self.revocation is not None and self.revocation.is_revoked(principal.client_id, issued_at):
            return None  # disabled, deleted or rotated since the token was issued
        return principal

    def _limit(self, key: str) -> None:
        wait = self.limiter.acquire(key)
        if wait > 0:
            raise Refused(ErrorCode.RATE_LIMITED, headers={"retry-after": str(int(wait) + 1)})
