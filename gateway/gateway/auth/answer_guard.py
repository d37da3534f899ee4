"""The answer side of the access rule, applied by the route itself to what it returns,
before FastAPI serialises it: the answer's territory must be the caller's (else the same
404 as a missing object, so that a guessed id confirms nothing), the foreign items of its
lists are withheld, and the object and the jurisdiction it names go to the access log.

A route whose rule reads its answer (:func:`gateway.auth.answer_checks.reads_answer`)
declares ``answer: Answer`` and returns ``answer.checked(...)``. An answer that names a
foreign territory is first validated by the route's response model, as FastAPI would
before the guard read it (a malformed answer is a 500, never a 404). An answer that was not
checked is withheld (500, :class:`gateway.auth.outcome.AccessOutcome`: fail closed), and
gateway/tests/test_answer_checks.py checks that every such route declares the dependency.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import ResponseValidationError

from gateway.auth.answer_checks import check_answer, names_foreign, needs_answer
from gateway.auth.audit_entry import Verdict
from gateway.auth.rules import Rule
from tgd_contracts.errors import TgdError

#: the request state's keys: the rule and the verdict of a request whose answer is read, and
#: what the check learnt of the answer (present once the answer was checked)
RULE, VERDICT, CHECKED = "access_rule", "access_verdict", "answer_checked"


class AnswerCheck:
    def __init__(self, request: Request):
        self.state = request.scope.setdefault("state", {})
        self.route = request.scope.get("route")

    def checked(self, data: Any) -> Any:
        """``data`` as the caller may see it (foreign list items withheld); raises the rule's
        not-found error when the answer is outside the caller's territory."""
        rule: Rule | None = self.state.get(RULE)
        verdict: Verdict | None = self.state.get(VERDICT)
        if rule is None or verdict is None or not needs_answer(rule, verdict):  # nothing to read in it
            self.state[CHECKED] = {}
            return data
        if not isinstance(data, dict | list):
            data = jsonable_encoder(data)
        if names_foreign(rule, verdict.principal, data):
            self._valid_or_raise(data)  # a malformed answer is the server's error (500) before any 404
        if not check_answer(rule, verdict, data):
            raise TgdError(code=rule.not_found)
        # what the access log learnt from the answer (kept with an idempotent answer for its replays)
        self.state[CHECKED] = {"object_id": verdict.object_id, "jurisdiction": verdict.jurisdiction}
        return data

    def _valid_or_raise(self, data: Any) -> None:
        """The route's response model validates ``data`` (FastAPI would, after the check)."""
        field = getattr(self.route, "response_field", None)
        if field is None:
            return
        _, errors = field.validate(data, {}, loc=("response",))
        if errors:
            raise ResponseValidationError(errors=errors, body=data)


async def answer_check(request: Request) -> AnswerCheck:
    return AnswerCheck(request)


Answer = Annotated[AnswerCheck, Depends(answer_check)]
