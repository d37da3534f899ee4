"""Routes for the platform's operators (régulation) and for the partners who receive
dispatches (acknowledgement, outcome). The live stream of open alerts is in
:mod:`gateway.routes.alert_stream`.

The operator named in the alert's journal is the authenticated caller (the console's
login, or the client of the token), never a field of the body. A partner acknowledges
or reports only what was dispatched to it: the alert service checks its deliveries,
and anyone else gets the same 404 as for a missing alert. An operator's decision that
changes an alert's line on the open list wakes the live streams of this process
(:func:`changed`)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import Field

from gateway.alert_events import StreamWakeups
from gateway.auth.answer_guard import Answer
from gateway.auth.roles import Principal
from gateway.deps import Caller, Rpc, Wakeups
from gateway.errors import error_responses
from gateway.routes.forward import BODY_ERRORS, UNAVAILABLE, Forward, forward_errors, hex_id
from tgd_contracts.alert import (
    CloseAlert,
    Note,
    OutcomeReport,
    PartnerReply,
    Qualification,
    QualificationOutcome,
    ScriptAnswer,
    Segment,
    TakeAlert,
)
from tgd_contracts.alert import Id as OperatorId
from tgd_contracts.alert_views import AlertView, AnsweredAlert, OpenAlerts, QualificationScript
from tgd_contracts.base import Contract
from tgd_contracts.errors import ErrorCode
from tgd_contracts.events import ServiceName

router = APIRouter(prefix="/v1/alerts", tags=["alerts"])
AlertId = hex_id("Alert id.")
alert = Forward(router, ServiceName.ALERT)
ON_ALERT = (ErrorCode.ALERT_NOT_FOUND, ErrorCode.ALERT_STATE_CONFLICT)
ERRORS = forward_errors(ON_ALERT, with_body=True)


IGNORED_OPERATOR = Field(
    default=None,
    deprecated=True,
    description="Ignored (kept so that older clients are not refused): the operator recorded in the "
    "journal is the authenticated caller (the console login, or the client of the token).",
)


class OperatorAction(Contract):
    """Taking an alert: nothing to say (the operator is the caller)."""

    operator: OperatorId | None = IGNORED_OPERATOR


class OperatorDecision(Contract):
    operator: OperatorId | None = IGNORED_OPERATOR
    note: Note | None = Field(default=None)


class AnswerRequest(Contract):
    """One answer of the closed-question script and what was said."""

    operator: OperatorId | None = IGNORED_OPERATOR
    question_id: Segment
    answer: Segment
    note: Note | None = Field(default=None, description="What was said, recorded with the time.")


class QualificationRequest(Contract):
    operator: OperatorId | None = IGNORED_OPERATOR
    outcome: QualificationOutcome
    note: Note | None = None


@alert.get("", OpenAlerts)
def list_open_alerts():
    """Open alerts, oldest first (no identity)"""


@alert.get("/script", QualificationScript)
def qualification_script():
    """The closed-question script (trame de questions fermées)"""


@router.get("/{alert_id}", response_model=AlertView, summary="The alert record with the dossier", responses=ERRORS)
async def get_alert(answer: Answer, alert_id: AlertId, rpc: Rpc) -> dict:
    return answer.checked(await rpc.call(ServiceName.ALERT, "get_alert", alert_id=alert_id))


@router.post("/{alert_id}/take", response_model=AlertView, summary="Take the alert (prise en charge)", responses=ERRORS)
async def take_alert(
    answer: Answer,
    alert_id: AlertId,
    caller: Caller,
    rpc: Rpc,
    wakeups: Wakeups,
    request: OperatorAction | None = None,
) -> dict:
    wire = TakeAlert(operator=caller.client_id).to_wire()
    view = answer.checked(await rpc.call(ServiceName.ALERT, "take_alert", alert_id=alert_id, request=wire))
    return changed(wakeups, view)


@router.post(
    "/{alert_id}/answers",
    response_model=AnsweredAlert,
    summary="Record one answer of the script and what was said",
    responses=error_responses(
        ErrorCode.UNKNOWN_QUESTION, *ON_ALERT, ErrorCode.INVALID_REQUEST, *BODY_ERRORS, *UNAVAILABLE
    ),
)
async def answer_question(answer: Answer, alert_id: AlertId, request: AnswerRequest, caller: Caller, rpc: Rpc) -> dict:
    wire = ScriptAnswer(
        operator=caller.client_id, question_id=request.question_id, answer=request.answer, note=request.note
    ).to_wire()
    return answer.checked(await rpc.call(ServiceName.ALERT, "answer_question", alert_id=alert_id, request=wire))


def changed(wakeups: StreamWakeups, view: dict) -> dict:
    """The alert's line on the open list changed: the live streams of this process read the
    list now (a close needs not: the alert service's ``alert_closed`` reaches them)."""
    wakeups.wake_all()
    return view


async def _qualify(rpc: Rpc, caller: Principal, alert_id: str, outcome: QualificationOutcome, note: str | None) -> dict:
    wire = Qualification(operator=caller.client_id, outcome=outcome, note=note).to_wire()
    return await rpc.call(ServiceName.ALERT, "qualify_alert", alert_id=alert_id, request=wire)


def _decision_route(outcome: QualificationOutcome, path: str, name: str, **documentation: str) -> None:
    """A route qualifying the alert with ``outcome`` (the operator's decision may carry a note)."""

    async def decide(
        answer: Answer, alert_id: AlertId, decision: OperatorDecision, caller: Caller, rpc: Rpc, wakeups: Wakeups
    ) -> dict:
        return changed(wakeups, answer.checked(await _qualify(rpc, caller, alert_id, outcome, decision.note)))

    options = {"response_model": AlertView, "responses": ERRORS, **documentation}
    router.add_api_route(path, decide, methods=["POST"], name=name, **options)


_decision_route(
    QualificationOutcome.DANGER,
    "/{alert_id}/dispatch",
    "dispatch",
    summary="Danger: alert the competent force and the association",
)
_decision_route(
    QualificationOutcome.NO_DANGER,
    "/{alert_id}/redirect",
    "redirect",
    summary="No danger: redirect the beneficiary to the association",
    description="A new press on this incident re-opens it for an operator (the failsafe clock restarted).",
)


@router.post(
    "/{alert_id}/qualification",
    response_model=AlertView,
    summary="Any outcome, including test call (appel test) and accidental press (appui accidentel)",
    description="A test call or an accidental press closes the alert; a test call counts as the beneficiary's "
    "test call every 15 days.",
    responses=ERRORS,
)
async def qualify(
    answer: Answer, alert_id: AlertId, qualification: QualificationRequest, caller: Caller, rpc: Rpc, wakeups: Wakeups
) -> dict:
    view = answer.checked(await _qualify(rpc, caller, alert_id, qualification.outcome, qualification.note))
    return changed(wakeups, view)


@router.post("/{alert_id}/close", response_model=AlertView, summary="Close the alert", responses=ERRORS)
async def close_alert(answer: Answer, alert_id: AlertId, request: OperatorDecision, caller: Caller, rpc: Rpc) -> dict:
    wire = CloseAlert(operator=caller.client_id, note=request.note).to_wire()
    return answer.checked(await rpc.call(ServiceName.ALERT, "close_alert", alert_id=alert_id, request=wire))


class PartnerReceipt(Contract):
    """What a partner gets back: the alert's id and state, not the alert record (the
    dispatch it received carried what it needs to intervene)."""

    alert_id: str
    state: str


def receipt(view: dict) -> dict:
    return PartnerReceipt(alert_id=view["alert_id"], state=view["state"]).to_wire()


@alert.post("/{alert_id}/acknowledgements", PartnerReceipt, *ON_ALERT, answer=receipt)
def acknowledge(alert_id: AlertId, reply: PartnerReply):
    """A partner acknowledges a dispatch (accusé de réception)

    The same as publishing `partner_acknowledged` on `tgd.partner-replies`."""


@alert.post("/{alert_id}/outcome", PartnerReceipt, *ON_ALERT, answer=receipt)
def report_outcome(alert_id: AlertId, report: OutcomeReport):
    """The force reports the outcome; the alert is closed with it"""
