"""Reads of a whole court for the association's screen, in one call each instead of one
per measure: the device side of the measures in progress (next test call due) and the
follow-up of the beneficiaries (last contact, next one due)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from gateway.auth.answer_guard import Answer
from gateway.deps import Rpc
from gateway.errors import error_responses
from gateway.routes.forward import UNAVAILABLE, Forward, jurisdiction_query
from tgd_contracts.errors import ErrorCode, TgdError
from tgd_contracts.events import ServiceName
from tgd_contracts.follow_up import FollowUpPage
from tgd_contracts.stock import AssignmentPage

router = APIRouter(tags=["measures"])
Jurisdiction = jurisdiction_query()


@Forward(router, ServiceName.DEVICE).get("/v1/device-assignments", AssignmentPage)
def list_assignments(jurisdiction: Jurisdiction):
    """The device side of a court's measures in progress: next test call due (appels test)"""


@router.get(
    "/v1/follow-ups",
    response_model=FollowUpPage,
    summary="The follow-up of a court's beneficiaries: last contact and next one due (suivi)",
    responses=error_responses(ErrorCode.INVALID_REQUEST, *UNAVAILABLE),
)
async def follow_ups(
    answer: Answer,
    rpc: Rpc,
    jurisdiction: Jurisdiction,
    referral_id: Annotated[list[str], Query(max_length=200, description="The referrals asked about.")],
) -> dict:
    if any(len(r) != 32 or not all(c in "0123456789abcdef" for c in r) for r in referral_id):
        raise TgdError("referral_id values are 32 hexadecimal characters.", code=ErrorCode.INVALID_REQUEST)
    return answer.checked(
        await rpc.call(ServiceName.REFERRAL, "follow_ups", jurisdiction=jurisdiction, referral_ids=referral_id)
    )
