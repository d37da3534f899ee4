"""The measure (mesure): requisition, evaluation report, consent, decision, renewal and
withdrawal, in the terms of the parquet and the referent association (each route forwards
to the evaluation service: :mod:`gateway.routes.forward`)."""

from __future__ import annotations

from fastapi import APIRouter

from gateway.routes.forward import Forward, hex_id, with_examples
from tgd_contracts import evaluation as ev
from tgd_contracts.errors import ErrorCode as E
from tgd_contracts.events import ServiceName

router = APIRouter(tags=["measures"])
evaluation = Forward(router, ServiceName.EVALUATION)
ReferralId = hex_id("Referral id (signalement).")
AttributionId = hex_id("Attribution id (décision d'attribution).")
ON_REFERRAL = (E.REFERRAL_NOT_FOUND, E.INVALID_STATE)
ON_ATTRIBUTION = (E.ATTRIBUTION_NOT_FOUND, E.INVALID_STATE)


@evaluation.post("/v1/referrals/{referral_id}/requisition", ev.MeasureView, *ON_REFERRAL)
def request_evaluation(referral_id: ReferralId, requisition: with_examples(ev.Requisition)):
    """Requisition the referent association to evaluate the danger (réquisition)

    The parquet asks the association to run a social inquiry and report. Repeating it changes nothing."""


@evaluation.post(
    "/v1/referrals/{referral_id}/evaluation-report",
    ev.MeasureView,
    *ON_REFERRAL,
    E.UNKNOWN_INSTRUMENT,
    E.RISK_LEVEL_LOWERED,
)
def file_report(referral_id: ReferralId, report: with_examples(ev.EvaluationReport)):
    """File the association's evaluation report (rapport d'évaluation du danger)

    Situation of the victim and of the author, the decision criteria, and a risk grid identified by instrument and
    version. A professional may raise the grid's level (who and why are kept), never lower it. Filed while the
    attribution is active, it is the re-evaluation before renewal."""


@evaluation.post("/v1/referrals/{referral_id}/consent", ev.MeasureView, *ON_REFERRAL)
def record_consent(referral_id: ReferralId, consent: with_examples(ev.Consent)):
    """Record the beneficiary's consent or refusal (consentement de la bénéficiaire)"""


@evaluation.post(
    "/v1/referrals/{referral_id}/decision", ev.MeasureView, *ON_REFERRAL, E.CONSENT_REQUIRED, E.AUTHOR_INCARCERATED
)
def decide(referral_id: ReferralId, decision: with_examples(ev.AttributionDecision)):
    """The prosecutor grants or refuses the device (décision d'attribution du procureur)

    Granting needs the evaluation report, the beneficiary's consent, and the author not in prison; the attribution
    lasts 6 months unless a shorter duration is given. A measure is decided once."""


@evaluation.get("/v1/referrals/{referral_id}/measure", ev.MeasureView, E.REFERRAL_NOT_FOUND)
def get_measure(referral_id: ReferralId):
    """Read the state of a referral's measure (état de la mesure)"""


@evaluation.get("/v1/attributions/{attribution_id}", ev.MeasureView, E.ATTRIBUTION_NOT_FOUND)
def get_attribution(attribution_id: AttributionId):
    """Read an attribution (décision d'attribution, durée, renouvellements)"""


@evaluation.post("/v1/attributions/{attribution_id}/renewal", ev.MeasureView, *ON_ATTRIBUTION, E.RENEWAL_LIMIT_REACHED)
def renew(attribution_id: AttributionId, renewal: with_examples(ev.RenewalDecision)):
    """Renew the attribution for a new period, or not (renouvellement)

    After the association's re-evaluation during the current period; the number of renewals is capped per
    jurisdiction (Paris: once). Not renewed, the attribution expires at the end of its period."""


@evaluation.post("/v1/attributions/{attribution_id}/withdrawal", ev.MeasureView, *ON_ATTRIBUTION)
def withdraw(attribution_id: AttributionId, withdrawal: with_examples(ev.Withdrawal)):
    """Withdraw the device (retrait du dispositif)

    Reasons: danger_ceased (fin du danger), author_incarcerated (incarcération de l'auteur), beneficiary_request
    (demande de la bénéficiaire), prosecutor_request (demande du parquet après avis du comité de pilotage: give its
    date), non_compliance (non-respect des règles d'utilisation)."""
