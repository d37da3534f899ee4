"""What became of a referral (orientations du signalement) and how to reach the victim
safely (contact sûr, coordonnées du signalant): the association's and the parquet's."""

from __future__ import annotations

from fastapi import APIRouter

from gateway.auth.rules import AUDIENCE_OF_ROLE
from gateway.deps import Caller, IdempotencyKey, Rpc
from gateway.routes.forward import Forward, forward_errors
from gateway.routes.referrals import ReferralId, ReferralRecord, as_record
from tgd_contracts.errors import ErrorCode
from tgd_contracts.events import ServiceName
from tgd_contracts.orientation import Orientation, OrientationView
from tgd_contracts.safe_contact import ContactDetails

router = APIRouter(prefix="/v1/referrals", tags=["referrals"])
referral = Forward(router, ServiceName.REFERRAL)


@router.post(
    "/{referral_id}/orientations",
    response_model=OrientationView,
    summary="Record what became of a referral (orientation : plainte, ordonnance de protection, "
    "association spécialisée, évaluation en vue d'un téléphone)",
    description="Kind and date (not in the future, not before the referral was received) and the staff "
    "reference of who records it; several kinds may apply. The same kind on the same date is recorded once "
    "(409 `orientation_recorded`); a retry with the same Idempotency-Key records it once. The answer lists "
    "every orientation of the referral, newest first, with the partner that recorded it.",
    responses=forward_errors(
        (ErrorCode.REFERRAL_NOT_FOUND, ErrorCode.MISSING_IDEMPOTENCY_KEY, ErrorCode.ORIENTATION_RECORDED),
        with_body=True,
    ),
)
async def record_orientation(
    referral_id: ReferralId, body: Orientation, key: IdempotencyKey, rpc: Rpc, caller: Caller
) -> dict:
    return await rpc.call(
        ServiceName.REFERRAL,
        "record_orientation",
        referral_id=referral_id,
        orientation_id=key[:64],
        recorded_as=AUDIENCE_OF_ROLE.get(caller.role),
        entry=body.to_wire(),
    )


@referral.get("/{referral_id}/orientations", OrientationView, ErrorCode.REFERRAL_NOT_FOUND)
def orientations(referral_id: ReferralId):
    """What became of a referral: its orientations, newest first"""


@referral.post(
    "/{referral_id}/contact-details",
    ReferralRecord,
    ErrorCode.REFERRAL_NOT_FOUND,
    ErrorCode.MISSING_IDEMPOTENCY_KEY,
    answer=as_record,
)
def set_contact_details(referral_id: ReferralId, contact_details: ContactDetails):
    """Record how to reach her safely and the referrer's contact (contact sûr, coordonnées du signalant)

    Her phone, when it is safe to call and whether a message may be left; the referring professional's name, service
    and phone or e-mail. Each one given replaces the stored one; one left out is kept. Personal data: only the
    association and the parquet read it back."""
