"""What happens to a request's answer once the access guard (a dependency) has run: one
thin ASGI wrapper of ``send``, inside the body limit and outside the routes. It never
buffers nor parses an answer; at the answer's start it

- refuses (403) a successful answer of a route the guard never ran for (a route that is
  not a FastAPI route: fail closed);
- withholds (500) a successful answer whose rule reads it but that the route did not
  check (:mod:`gateway.auth.answer_guard`);
- writes the access-log entry of a recorded route, with the final status, before the
  first byte leaves (the log's group-commit writer, off the event loop);

and it keeps an idempotent answer as it goes out (:mod:`gateway.contract.idempotency`).
"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.auth.answer_checks import reads_answer
from gateway.auth.answer_guard import CHECKED, RULE, VERDICT
from gateway.auth.audit import AuditLog
from gateway.auth.audit_entry import Verdict
from gateway.auth.audit_writer import AuditWriter
from gateway.auth.guard import GUARDED
from gateway.auth.rules import Rule
from gateway.contract.idempotency import IdempotencyStore, Keeping
from gateway.middleware import send_error
from tgd_contracts.errors import ErrorCode

log = logging.getLogger("gateway.auth.guard")


class AccessOutcome:
    def __init__(self, app: ASGIApp, audit: AuditLog, idempotency: IdempotencyStore):
        self.app = app
        self.audit_writer = AuditWriter(audit)
        self.idempotency = idempotency

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        replaced = False
        keeping = Keeping(state)

        async def send_outcome(message: Message) -> None:
            nonlocal replaced
            if message["type"] == "http.response.start":
                refusal = self._refusal(state, message["status"])
                if refusal is not None:
                    replaced = True
                    await send_error(send, refusal, state.get("request_id"))
                    return
                await self._record(state, message["status"])
            elif replaced:
                return
            keeping.see(message)
            await send(message)

        try:
            await self.app(scope, receive, send_outcome)
        finally:
            keeping.finish(self.idempotency)

    @staticmethod
    def _refusal(state: dict, status: int) -> ErrorCode | None:
        if not 200 <= status < 300:
            return None
        if not state.get(GUARDED):
            log.error("an answer of a route the access guard did not run for: refused")
            return ErrorCode.FORBIDDEN
        rule: Rule | None = state.get(RULE)
        key: str | None = state.get("route_key")
        if rule is not None and key is not None and state.get(CHECKED) is None:
            if reads_answer(rule, key.split(" ", 1)[1]):
                log.error("%s answered without checking its answer: withheld", key)
                return ErrorCode.INTERNAL_ERROR
        return None

    async def _record(self, state: dict, status: int) -> None:
        rule: Rule | None = state.get(RULE)
        v: Verdict | None = state.get(VERDICT)
        if rule is None or v is None or not rule.recorded:
            return
        for name, value in (state.get(CHECKED) or {}).items():  # a replayed answer's, as first checked
            setattr(v, name, value)
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
