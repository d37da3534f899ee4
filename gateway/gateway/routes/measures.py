"""The measure (mesure): requisition, evaluation report, consent, decision, renewal and
withdrawal, in the terms of the parquet and the referent association."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path

from gateway.auth.answer_guard import Answer
from gateway.deps import Rpc
from gateway.errors import error_responses
from tgd_contracts.errors import ErrorCode
from tgd_contracts.evaluation import (
    AttributionDecision,
    Consent,
    EvaluationReport,
    MeasureView,
    RenewalDecision,
    Requisition,
    Withdrawal,
)
from tgd_contracts.events import ServiceName
from tgd_contracts.examples.catalogue import openapi_examples

router = APIRouter(tags=["measures"])
HexId = r"^[0-9a-f]{32}$"
ReferralId = Annotated[str, Path(pattern=HexId, description="Referral id (signalement).")]
AttributionId = Annotated[str, Path(pattern=HexId, description="Attribution id (décision d'attribution).")]
RequisitionBody = Annotated[Requisition, Body(openapi_examples=openapi_examples(Requisition))]
EvaluationReportBody = Annotated[EvaluationReport, Body(openapi_examples=openapi_examples(EvaluationReport))]
ConsentBody = Annotated[Consent, Body(openapi_examples=openapi_examples(Consent))]
AttributionDecisionBody = Annotated[AttributionDecision, Body(openapi_examples=openapi_examples(AttributionDecision))]
RenewalDecisionBody = Annotated[RenewalDecision, Body(openapi_examples=openapi_examples(RenewalDecision))]
WithdrawalBody = Annotated[Withdrawal, Body(openapi_examples=openapi_examples(Withdrawal))]
COMMON = (
    ErrorCode.INVALID_REQUEST,
    ErrorCode.MALFORMED_JSON,
    ErrorCode.PAYLOAD_TOO_LARGE,
    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    ErrorCode.SERVICE_UNAVAILABLE,
    ErrorCode.SERVICE_TIMEOUT,
)
ON_REFERRAL = (*COMMON, ErrorCode.REFERRAL_NOT_FOUND, ErrorCode.INVALID_STATE)
ON_ATTRIBUTION = (*COMMON, ErrorCode.ATTRIBUTION_NOT_FOUND, ErrorCode.INVALID_STATE)


async def _evaluation(rpc: Rpc, method: str, **kwargs: object) -> dict:
    return await rpc.call(ServiceName.EVALUATION, method, **kwargs)


@router.post(
    "/v1/referrals/{referral_id}/requisition",
    response_model=MeasureView,
    summary="Requisition the referent association to evaluate the danger (réquisition)",
    description="The parquet asks the association to run a social inquiry and report. Repeating it changes nothing.",
    responses=error_responses(*ON_REFERRAL),
)
async def requisition(referral_id: ReferralId, body: RequisitionBody, rpc: Rpc) -> dict:
    return await _evaluation(rpc, "request_evaluation", referral_id=referral_id, requisition=body.to_wire())


@router.post(
    "/v1/referrals/{referral_id}/evaluation-report",
    response_model=MeasureView,
    summary="File the association's evaluation report (rapport d'évaluation du danger)",
    description="Situation of the victim and of the author, the decision criteria, and a risk grid identified by "
    "instrument and version. A professional may raise the grid's level (who and why are kept), never lower it. "
    "Filed while the attribution is active, it is the re-evaluation before renewal.",
    responses=error_responses(*ON_REFERRAL, ErrorCode.UNKNOWN_INSTRUMENT, ErrorCode.RISK_LEVEL_LOWERED),
)
async def evaluation_report(referral_id: ReferralId, body: EvaluationReportBody, rpc: Rpc) -> dict:
    return await _evaluation(rpc, "file_report", referral_id=referral_id, report=body.to_wire())


@router.post(
    "/v1/referrals/{referral_id}/consent",
    response_model=MeasureView,
    summary="Record the beneficiary's consent or refusal (consentement de la bénéficiaire)",
    responses=error_responses(*ON_REFERRAL),
)
async def consent(referral_id: ReferralId, body: ConsentBody, rpc: Rpc) -> dict:
    return await _evaluation(rpc, "record_consent", referral_id=referral_id, consent=body.to_wire())


@router.post(
    "/v1/referrals/{referral_id}/decision",
    response_model=MeasureView,
    summary="The prosecutor grants or refuses the device (décision d'attribution du procureur)",
    description="Granting needs the evaluation report, the beneficiary's consent, and the author not in prison; "
    "the attribution lasts 6 months unless a shorter duration is given. A measure is decided once.",
    responses=error_responses(*ON_REFERRAL, ErrorCode.CONSENT_REQUIRED, ErrorCode.AUTHOR_INCARCERATED),
)
async def decision(referral_id: ReferralId, body: AttributionDecisionBody, rpc: Rpc) -> dict:
    return await _evaluation(rpc, "decide", referral_id=referral_id, decision=body.to_wire())


@router.get(
    "/v1/referrals/{referral_id}/measure",
    response_model=MeasureView,
    summary="Read the state of a referral's measure (état de la mesure)",
    responses=error_responses(
        ErrorCode.INVALID_REQUEST,
        ErrorCode.REFERRAL_NOT_FOUND,
        ErrorCode.SERVICE_UNAVAILABLE,
        ErrorCode.SERVICE_TIMEOUT,
    ),
)
async def measure(answer: Answer, referral_id: ReferralId, rpc: Rpc) -> dict:
    return answer.checked(await _evaluation(rpc, "get_measure", referral_id=referral_id))


@router.get(
    "/v1/attributions/{attribution_id}",
    response_model=MeasureView,
    summary="Read an attribution (décision d'attribution, durée, renouvellements)",
    responses=error_responses(
        ErrorCode.INVALID_REQUEST,
        ErrorCode.ATTRIBUTION_NOT_FOUND,
        ErrorCode.SERVICE_UNAVAILABLE,
        ErrorCode.SERVICE_TIMEOUT,
    ),
)
async def attribution(answer: Answer, attribution_id: AttributionId, rpc: Rpc) -> dict:
    return answer.checked(await _evaluation(rpc, "get_attribution", attribution_id=attribution_id))


@router.post(
    "/v1/attributions/{attribution_id}/renewal",
    response_model=MeasureView,
    summary="Renew the attribution for a new period, or not (renouvellement)",
    description="After the association's re-evaluation during the current period; the number of renewals is "
    "capped per jurisdiction (Paris: once). Not renewed, the attribution expires at the end of its period.",
    responses=error_responses(*ON_ATTRIBUTION, ErrorCode.RENEWAL_LIMIT_REACHED),
)
async def renewal(attribution_id: AttributionId, body: RenewalDecisionBody, rpc: Rpc) -> dict:
    return await _evaluation(rpc, "renew", attribution_id=attribution_id, renewal=body.to_wire())


@router.post(
    "/v1/attributions/{attribution_id}/withdrawal",
    response_model=MeasureView,
    summary="Withdraw the device (retrait du dispositif)",
    description="Reasons: danger_ceased (fin du danger), author_incarcerated (incarcération de l'auteur), "
    "beneficiary_request (demande de la bénéficiaire), prosecutor_request (demande du parquet après avis du "
    "comité de pilotage: give its date), non_compliance (non-respect des règles d'utilisation).",
    responses=error_responses(*ON_ATTRIBUTION),
)
async def withdrawal(attribution_id: AttributionId, body: WithdrawalBody, rpc: Rpc) -> dict:
    return await _evaluation(rpc, "withdraw", attribution_id=attribution_id, withdrawal=body.to_wire())
