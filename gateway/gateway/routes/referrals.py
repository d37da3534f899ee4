"""Referrals (signalements): what professionals send to the referent association."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import Field

from gateway.auth.answer_guard import Answer
from gateway.deps import Caller, IdempotencyKey, QueryBool, Rpc
from gateway.errors import error_responses
from gateway.routes.forward import BODY_ERRORS, UNAVAILABLE, Forward, hex_id, jurisdiction_query, with_examples
from tgd_contracts.errors import ErrorCode
from tgd_contracts.events import ServiceName
from tgd_contracts.referral import ReferralPage, ReferralQuery, ReferralSubmission, ReferralSummary, ReferralView

router = APIRouter(prefix="/v1/referrals", tags=["referrals"])


class ReferralRecord(ReferralView):
    """The stored referral, for the association and the prosecutor's office."""

    view: Literal["record"]


class ReferralReceipt(ReferralSummary):
    """A receipt without identity, for the other senders (the referral service's ``view_for``)."""

    view: Literal["receipt"]


SubmittedReferral = Annotated[ReferralRecord | ReferralReceipt, Field(discriminator="view")]
Submission = with_examples(ReferralSubmission)
ReferralId = hex_id("Referral id.")
JurisdictionParam = jurisdiction_query("Jurisdiction code, e.g. tj-moulins.")


@router.post(
    "",
    status_code=201,
    response_model=SubmittedReferral,
    summary="Refer a victim to the referent association (adresser un signalement)",
    description="A professional (social worker, investigator, hospital, SPIP, judge, lawyer, psychologist...) "
    "refers a person in grave danger to the referent association of a jurisdiction. Retrying with the same "
    "Idempotency-Key and body returns the stored referral with status 200. The association and the prosecutor's "
    "office get the referral back (`view: record`); other callers get a receipt without identity (`view: receipt`).",
    responses={
        200: {
            "model": SubmittedReferral,
            "description": "Replay: this key was already used with this body.",
        },
        **error_responses(
            ErrorCode.INVALID_REQUEST,
            *BODY_ERRORS,
            ErrorCode.MISSING_IDEMPOTENCY_KEY,
            ErrorCode.IDEMPOTENCY_KEY_REUSED,
            ErrorCode.UNKNOWN_JURISDICTION,
            *UNAVAILABLE,
        ),
    },
)
async def submit_referral(
    answer: Answer, submission: Submission, key: IdempotencyKey, rpc: Rpc, response: Response, caller: Caller
) -> dict:
    result = await rpc.call(
        ServiceName.REFERRAL,
        "submit_referral",
        idempotency_key=key,
        submission=submission.to_wire(),
        role=caller.role.value,  # the service answers the caller's view (record or receipt)
    )
    if not result["created"]:
        response.status_code = 200
    return answer.checked(result["referral"])


def as_record(referral: dict) -> dict:
    """The referral service's record, as the association and the parquet read it."""
    return {**referral, "view": "record"}


@Forward(router, ServiceName.REFERRAL).get(
    "/{referral_id}", ReferralRecord, ErrorCode.REFERRAL_NOT_FOUND, answer=as_record
)
def get_referral(referral_id: ReferralId):
    """Read a referral (consulter un signalement)"""


@router.get(
    "",
    response_model=ReferralPage,
    summary="List a jurisdiction's referrals, newest first (urgent=true: the on-call prosecutor's view)",
    responses=error_responses(ErrorCode.INVALID_REQUEST, ErrorCode.UNKNOWN_JURISDICTION, *UNAVAILABLE),
)
async def list_referrals(
    answer: Answer,
    rpc: Rpc,
    jurisdiction: JurisdictionParam,
    urgent: Annotated[QueryBool | None, Query(description="Only urgent (true) or non-urgent (false).")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict:
    query = ReferralQuery(jurisdiction=jurisdiction, urgent=urgent, limit=limit, offset=offset)
    return answer.checked(await rpc.call(ServiceName.REFERRAL, "list_referrals", query=query.to_wire()))
