"""Forces informed (information des forces de l'ordre): acknowledging a notice."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from gateway.deps import Rpc
from gateway.errors import error_responses
from tgd_contracts.errors import ErrorCode
from tgd_contracts.events import ServiceName
from tgd_contracts.notice import InformationView, NoticeAcknowledgement

router = APIRouter(tags=["notices"])
HexId = r"^[0-9a-f]{32}$"


@router.post(
    "/v1/notices/{notice_id}/acknowledgement",
    response_model=InformationView,
    summary="Acknowledge a notice of attribution (accusé de réception)",
    description="The unit the notice was addressed to (unit_code) acknowledges it; the gendarmerie says whether "
    "the beneficiary is registered in SIP. Unacknowledged notices are re-sent, then escalated. Repeating it "
    "changes nothing.",
    responses=error_responses(
        ErrorCode.INVALID_REQUEST,
        ErrorCode.MALFORMED_JSON,
        ErrorCode.PAYLOAD_TOO_LARGE,
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        ErrorCode.NOTICE_NOT_FOUND,
        ErrorCode.INVALID_STATE,
        ErrorCode.SERVICE_UNAVAILABLE,
        ErrorCode.SERVICE_TIMEOUT,
    ),
)
async def acknowledge(
    notice_id: Annotated[str, Path(pattern=HexId, description="Notice id, as received.")],
    body: NoticeAcknowledgement,
    rpc: Rpc,
) -> dict:
    return await rpc.call(ServiceName.NOTIFY, "acknowledge_notice", notice_id=notice_id, acknowledgement=body.to_wire())


@router.get(
    "/v1/attributions/{attribution_id}/notices",
    response_model=InformationView,
    summary="Which forces were informed and who acknowledged (suivi de l'information des forces)",
    responses=error_responses(
        ErrorCode.INVALID_REQUEST,
        ErrorCode.ATTRIBUTION_NOT_FOUND,
        ErrorCode.SERVICE_UNAVAILABLE,
        ErrorCode.SERVICE_TIMEOUT,
    ),
)
async def notices(attribution_id: Annotated[str, Path(pattern=HexId, description="Attribution id.")], rpc: Rpc) -> dict:
    return await rpc.call(ServiceName.NOTIFY, "get_information", attribution_id=attribution_id)
