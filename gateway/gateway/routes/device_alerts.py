"""Routes for the device platform (plateforme de téléassistance): an alert key was
pressed, or a device with an open alert reports a new position."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from gateway.auth.answer_guard import Answer
from gateway.deps import Rpc
from gateway.errors import error_responses
from tgd_contracts.alert import AlertTrigger, PositionUpdate, TriggerResult
from tgd_contracts.alert_views import DeviceRouting, PositionRecorded
from tgd_contracts.errors import ErrorCode
from tgd_contracts.events import ServiceName

router = APIRouter(prefix="/v1/device-alerts", tags=["device-alerts"])
COMMON_ERRORS = (
    ErrorCode.INVALID_REQUEST,
    ErrorCode.MALFORMED_JSON,
    ErrorCode.PAYLOAD_TOO_LARGE,
    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    ErrorCode.SERVICE_UNAVAILABLE,
    ErrorCode.SERVICE_TIMEOUT,
)


@router.post(
    "",
    status_code=202,
    response_model=TriggerResult,
    summary="An alert key was pressed (déclenchement d'alerte)",
    description="Answers 202 once the alert is stored by the alert service. A retry with the same `press_id` "
    "is recognised (`duplicate: true`); a press within the grouping window joins the open incident "
    "(`joined: true`); on an incident qualified 'no danger' it re-opens it for an operator, on a dispatched "
    "one it is forwarded to the forces alerted. Unknown, inactive or returned devices are accepted and flagged "
    "(`unknown_device`, `inactive_device`, `returned_device`), never refused.",
    responses=error_responses(*COMMON_ERRORS),
)
async def trigger_alert(answer: Answer, trigger: AlertTrigger, rpc: Rpc) -> dict:
    return answer.checked(await rpc.call(ServiceName.ALERT, "trigger_alert", trigger=trigger.to_wire()))


@router.post(
    "/positions",
    status_code=202,
    response_model=PositionRecorded,
    summary="A new position of a device whose alert is open",
    responses=error_responses(ErrorCode.NO_OPEN_ALERT, *COMMON_ERRORS),
)
async def update_position(answer: Answer, update: PositionUpdate, rpc: Rpc) -> dict:
    return answer.checked(await rpc.call(ServiceName.ALERT, "update_position", update=update.to_wire()))


@router.get(
    "/devices/{device_id}",
    response_model=DeviceRouting,
    summary="Is this device ready for an alert (active, competent unit known, dossier held)?",
    responses=error_responses(ErrorCode.INVALID_REQUEST, ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.SERVICE_TIMEOUT),
)
async def device_routing(device_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")], rpc: Rpc) -> dict:
    return await rpc.call(ServiceName.ALERT, "device_routing", device_id=device_id)
