"""The association's follow-up of a beneficiary (suivi): contacts recorded with their
date and nature, and the next contact due."""

from __future__ import annotations

from fastapi import APIRouter

from gateway.deps import IdempotencyKey, Rpc
from gateway.routes.forward import Forward, forward_errors
from gateway.routes.referrals import ReferralId
from tgd_contracts.errors import ErrorCode
from tgd_contracts.events import ServiceName
from tgd_contracts.follow_up import FollowUpContact, FollowUpView

router = APIRouter(prefix="/v1/referrals", tags=["referrals"])


@router.post(
    "/{referral_id}/contacts",
    response_model=FollowUpView,
    summary="Record a follow-up contact with the beneficiary (contact de suivi de l'association)",
    description="Date (not in the future), nature and the worker's reference; a retry with the same "
    "Idempotency-Key records it once.",
    responses=forward_errors((ErrorCode.REFERRAL_NOT_FOUND, ErrorCode.MISSING_IDEMPOTENCY_KEY), with_body=True),
)
async def record_contact(referral_id: ReferralId, body: FollowUpContact, key: IdempotencyKey, rpc: Rpc) -> dict:
    return await rpc.call(
        ServiceName.REFERRAL, "record_contact", referral_id=referral_id, contact_id=key[:64], contact=body.to_wire()
    )


@Forward(router, ServiceName.REFERRAL).get("/{referral_id}/contacts", FollowUpView, ErrorCode.REFERRAL_NOT_FOUND)
def follow_up(referral_id: ReferralId):
    """The follow-up of a beneficiary: contacts, newest first, and the next one due"""
