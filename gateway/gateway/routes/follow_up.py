"""The association's follow-up of a beneficiary (suivi): contacts recorded with their
date and nature, and the next contact due."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from gateway.auth.answer_guard import Answer
from gateway.deps import IdempotencyKey, Rpc
from gateway.errors import error_responses
from tgd_contracts.errors import ErrorCode
from tgd_contracts.events import ServiceName
from tgd_contracts.follow_up import FollowUpContact, FollowUpView

router = APIRouter(prefix="/v1/referrals", tags=["referrals"])
ReferralId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="Referral id.")]
ERRORS = (
    ErrorCode.INVALID_REQUEST,
    ErrorCode.REFERRAL_NOT_FOUND,
    ErrorCode.SERVICE_UNAVAILABLE,
    ErrorCode.SERVICE_TIMEOUT,
)


@router.post(
    "/{referral_id}/contacts",
    response_model=FollowUpView,
    summary="Record a follow-up contact with the beneficiary (contact de suivi de l'association)",
    description="Date (not in the future), nature and the worker's reference; a retry with the same "
    "Idempotency-Key records it once.",
    responses=error_responses(
        *ERRORS,
        ErrorCode.MALFORMED_JSON,
        ErrorCode.MISSING_IDEMPOTENCY_KEY,
        ErrorCode.PAYLOAD_TOO_LARGE,
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    ),
)
async def record_contact(referral_id: ReferralId, body: FollowUpContact, key: IdempotencyKey, rpc: Rpc) -> dict:
    return await rpc.call(
        ServiceName.REFERRAL, "record_contact", referral_id=referral_id, contact_id=key[:64], contact=body.to_wire()
    )


@router.get(
    "/{referral_id}/contacts",
    response_model=FollowUpView,
    summary="The follow-up of a beneficiary: contacts, newest first, and the next one due",
    responses=error_responses(*ERRORS),
)
async def follow_up(answer: Answer, referral_id: ReferralId, rpc: Rpc) -> dict:
    return answer.checked(await rpc.call(ServiceName.REFERRAL, "follow_up", referral_id=referral_id))
