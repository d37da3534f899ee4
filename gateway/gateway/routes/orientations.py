"""What became of a referral (orientations du signalement) and how to reach the victim
safely (contact sûr, coordonnées du signalant): the association's and the parquet's."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from gateway.auth.answer_guard import Answer
from gateway.auth.rules import AUDIENCE_OF_ROLE
from gateway.deps import Caller, IdempotencyKey, Rpc
from gateway.errors import error_responses
from gateway.routes.referrals import ReferralRecord
from tgd_contracts.errors import ErrorCode
from tgd_contracts.events import ServiceName
from tgd_contracts.orientation import Orientation, OrientationView
from tgd_contracts.safe_contact import ContactDetails

router = APIRouter(prefix="/v1/referrals", tags=["referrals"])
ReferralId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="Referral id.")]
ERRORS = (ErrorCode.INVALID_REQUEST, ErrorCode.REFERRAL_NOT_FOUND, ErrorCode.SERVICE_UNAVAILABLE,
          ErrorCode.SERVICE_TIMEOUT)  # fmt: skip
BODY_ERRORS = (
    ErrorCode.MALFORMED_JSON,
    ErrorCode.MISSING_IDEMPOTENCY_KEY,
    ErrorCode.PAYLOAD_TOO_LARGE,
    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
)


@router.post(
    "/{referral_id}/orientations",
    response_model=OrientationView,
    summary="Record what became of a referral (orientation : plainte, ordonnance de protection, "
    "association spécialisée, évaluation en vue d'un téléphone)",
    description="Kind and date (not in the future, not before the referral was received) and the staff "
    "reference of who records it; several kinds may apply. The same kind on the same date is recorded once "
    "(409 `orientation_recorded`); a retry with the same Idempotency-Key records it once. The answer lists "
    "every orientation of the referral, newest first, with the partner that recorded it.",
    responses=error_responses(*ERRORS, *BODY_ERRORS, ErrorCode.ORIENTATION_RECORDED),
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


@router.get(
    "/{referral_id}/orientations",
    response_model=OrientationView,
    summary="What became of a referral: its orientations, newest first",
    responses=error_responses(*ERRORS),
)
async def list_orientations(answer: Answer, referral_id: ReferralId, rpc: Rpc) -> dict:
    return answer.checked(await rpc.call(ServiceName.REFERRAL, "orientations", referral_id=referral_id))


@router.post(
    "/{referral_id}/contact-details",
    response_model=ReferralRecord,
    summary="Record how to reach her safely and the referrer's contact (contact sûr, coordonnées du signalant)",
    description="Her phone, when it is safe to call and whether a message may be left; the referring "
    "professional's name, service and phone or e-mail. Each one given replaces the stored one; one left out "
    "is kept. Personal data: only the association and the parquet read it back.",
    responses=error_responses(*ERRORS, *BODY_ERRORS),
)
async def record_contact_details(referral_id: ReferralId, body: ContactDetails, rpc: Rpc) -> dict:
    result = await rpc.call(
        ServiceName.REFERRAL, "set_contact_details", referral_id=referral_id, contact_details=body.to_wire()
    )
    return {**result, "view": "record"}
