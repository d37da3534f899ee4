"""Routes for the platform's operators (régulation) and for the partners who receive
dispatches (acknowledgement, outcome). The live stream of open alerts is in
:mod:`gateway.routes.alert_stream`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import Field

from gateway.deps import Rpc
from gateway.errors import error_responses
from tgd_contracts.alert import (
    CloseAlert,
    Note,
    OutcomeReport,
    PartnerReply,
    Qualification,
    QualificationOutcome,
    ScriptAnswer,
    TakeAlert,
)
from tgd_contracts.alert import Id as OperatorId
from tgd_contracts.alert_views import AlertView, AnsweredAlert, OpenAlerts, QualificationScript
from tgd_contracts.base import Contract
from tgd_contracts.errors import ErrorCode
from tgd_contracts.events import ServiceName

router = APIRouter(prefix="/v1/alerts", tags=["alerts"])
AlertId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="Alert id.")]
ERRORS = error_responses(
    ErrorCode.ALERT_NOT_FOUND,
    ErrorCode.ALERT_STATE_CONFLICT,
    ErrorCode.INVALID_REQUEST,
    ErrorCode.MALFORMED_JSON,
    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    ErrorCode.PAYLOAD_TOO_LARGE,
    ErrorCode.SERVICE_UNAVAILABLE,
    ErrorCode.SERVICE_TIMEOUT,
)


class OperatorDecision(Contract):
    operator: OperatorId
    note: Note | None = Field(default=None)


SERVICE_ERRORS = error_responses(ErrorCode.INVALID_REQUEST, ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.SERVICE_TIMEOUT)


@router.get("", response_model=OpenAlerts, summary="Open alerts, oldest first (no identity)", responses=SERVICE_ERRORS)
async def list_open_alerts(rpc: Rpc) -> dict:
    return await rpc.call(ServiceName.ALERT, "list_open_alerts")


@router.get(
    "/script",
    response_model=QualificationScript,
    summary="The closed-question script (trame de questions fermées)",
    responses=SERVICE_ERRORS,
)
async def qualification_script(rpc: Rpc) -> dict:
    return await rpc.call(ServiceName.ALERT, "qualification_script")


@router.get("/{alert_id}", response_model=AlertView, summary="The alert record with the dossier", responses=ERRORS)
async def get_alert(alert_id: AlertId, rpc: Rpc) -> dict:
    return await rpc.call(ServiceName.ALERT, "get_alert", alert_id=alert_id)


@router.post("/{alert_id}/take", response_model=AlertView, summary="Take the alert (prise en charge)", responses=ERRORS)
async def take_alert(alert_id: AlertId, request: TakeAlert, rpc: Rpc) -> dict:
    return await rpc.call(ServiceName.ALERT, "take_alert", alert_id=alert_id, request=request.to_wire())


@router.post(
    "/{alert_id}/answers",
    response_model=AnsweredAlert,
    summary="Record one answer of the script and what was said",
    responses=error_responses(
        ErrorCode.UNKNOWN_QUESTION,
        ErrorCode.ALERT_NOT_FOUND,
        ErrorCode.ALERT_STATE_CONFLICT,
        ErrorCode.INVALID_REQUEST,
        ErrorCode.MALFORMED_JSON,
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        ErrorCode.PAYLOAD_TOO_LARGE,
        ErrorCode.SERVICE_UNAVAILABLE,
        ErrorCode.SERVICE_TIMEOUT,
    ),
)
async def answer_question(alert_id: AlertId, request: ScriptAnswer, rpc: Rpc) -> dict:
    return await rpc.call(ServiceName.ALERT, "answer_question", alert_id=alert_id, request=request.to_wire())


async def _qualify(rpc: Rpc, alert_id: str, qualification: Qualification) -> dict:
    return await rpc.call(ServiceName.ALERT, "qualify_alert", alert_id=alert_id, request=qualification.to_wire())


@router.post(
    "/{alert_id}/dispatch",
    response_model=AlertView,
    summary="Danger: alert the competent force and the association",
    responses=ERRORS,
)
async def dispatch(alert_id: AlertId, decision: OperatorDecision, rpc: Rpc) -> dict:
    q = Qualification(operator=decision.operator, outcome=QualificationOutcome.DANGER, note=decision.note)
    return await _qualify(rpc, alert_id, q)


@router.post(
    "/{alert_id}/redirect",
    response_model=AlertView,
    summary="No danger: redirect the beneficiary to the association",
    responses=ERRORS,
)
async def redirect(alert_id: AlertId, decision: OperatorDecision, rpc: Rpc) -> dict:
    q = Qualification(operator=decision.operator, outcome=QualificationOutcome.NO_DANGER, note=decision.note)
    return await _qualify(rpc, alert_id, q)


@router.post(
    "/{alert_id}/qualification",
    response_model=AlertView,
    summary="Any outcome, including test call and accidental press (which close the alert)",
    responses=ERRORS,
)
async def qualify(alert_id: AlertId, qualification: Qualification, rpc: Rpc) -> dict:
    return await _qualify(rpc, alert_id, qualification)


@router.post("/{alert_id}/close", response_model=AlertView, summary="Close the alert", responses=ERRORS)
async def close_alert(alert_id: AlertId, request: CloseAlert, rpc: Rpc) -> dict:
    return await rpc.call(ServiceName.ALERT, "close_alert", alert_id=alert_id, request=request.to_wire())


class PartnerReceipt(Contract):
    """What a partner gets back: the alert's id and state, not the alert record (the
    dispatch it received carried what it needs to intervene)."""

    alert_id: str
    state: str


def receipt(view: dict) -> dict:
    return PartnerReceipt(alert_id=view["alert_id"], state=view["state"]).to_wire()


@router.post(
    "/{alert_id}/acknowledgements",
    response_model=PartnerReceipt,
    summary="A partner acknowledges a dispatch (accusé de réception)",
    description="The same as publishing `partner_acknowledged` on `tgd.partner-replies`.",
    responses=ERRORS,
)
async def acknowledge(alert_id: AlertId, reply: PartnerReply, rpc: Rpc) -> dict:
    return receipt(await rpc.call(ServiceName.ALERT, "acknowledge", alert_id=alert_id, reply=reply.to_wire()))


@router.post(
    "/{alert_id}/outcome",
    response_model=PartnerReceipt,
    summary="The force reports the outcome; the alert is closed with it",
    responses=ERRORS,
)
async def report_outcome(alert_id: AlertId, report: OutcomeReport, rpc: Rpc) -> dict:
    return receipt(await rpc.call(ServiceName.ALERT, "report_outcome", alert_id=alert_id, report=report.to_wire()))
