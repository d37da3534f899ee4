"""Every example with the model that must accept it: the examples test builds and
validates each one; the gateway's OpenAPI examples read it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tgd_contracts import evaluation as court
from tgd_contracts.dossier import Dossier
from tgd_contracts.examples import device, dossier, evaluation, referral
from tgd_contracts.handling import DeviceReplacement, DeviceRetirement, DeviceTransfer, HandOver
from tgd_contracts.referral import ReferralSubmission
from tgd_contracts.stock import DeviceRecovery, DeviceRegistration, FicheNavette, HomeChange, TestCall

Example = Callable[[], dict[str, Any]]

#: (model, example builder, short French summary) of each request body
CATALOGUE: list[tuple[type, Example, str]] = [
    (ReferralSubmission, referral.submission, "Signalement fictif"),
    (ReferralSubmission, lambda: referral.submission(urgency="standard", kind="lawyer"), "Signalement non urgent"),
    (court.Requisition, evaluation.requisition, "Réquisition fictive"),
    (court.EvaluationReport, evaluation.evaluation_report, "Rapport d'évaluation fictif"),
    (court.Consent, evaluation.consent, "Consentement recueilli"),
    (court.Consent, lambda: evaluation.consent(False), "Refus de la bénéficiaire"),
    (court.AttributionDecision, lambda: evaluation.decision(eligibility=evaluation.ELIGIBLE), "Attribution accordée"),
    (court.AttributionDecision, lambda: evaluation.decision(False), "Attribution refusée"),
    (court.RenewalDecision, evaluation.renewal, "Renouvellement"),
    (court.Withdrawal, evaluation.withdrawal, "Retrait: le danger a cessé"),
    (
        court.Withdrawal,
        lambda: evaluation.withdrawal("prosecutor_request", "2026-01-10"),
        "Retrait à la demande du parquet",
    ),
    (DeviceRegistration, device.registration, "Terminal fictif"),
    (TestCall, device.call_result, "Appel test réussi"),
    (DeviceRecovery, device.recovery, "Terminal récupéré et réinitialisé"),
    (DeviceTransfer, device.transfer, "Transfert vers un autre ressort du département"),
    (DeviceRetirement, device.retirement, "Terminal mis au rebut"),
    (DeviceReplacement, device.replacement, "Terminal perdu remplacé"),
    (HandOver, device.hand_over, "Remise du terminal"),
    (FicheNavette, dossier.fiche_navette, "Fiche navette fictive"),
    (HomeChange, dossier.home_change, "Déménagement fictif"),
    (Dossier, dossier.dossier, "Dossier fictif"),
    (Dossier, lambda: dossier.dossier(consent=False), "Dossier sans consentement à la géolocalisation"),
    (Dossier, dossier.full_dossier, "Dossier complet (tous les champs de l'arrêté)"),
]


def openapi_examples(model: type) -> dict[str, dict[str, Any]]:
    """FastAPI ``openapi_examples`` for a request body of ``model``: each catalogued example."""
    found = [(build, summary) for m, build, summary in CATALOGUE if m is model]
    if not found:
        raise KeyError(f"no fictional example of {model.__name__}")
    return {f"exemple{i + 1}": {"summary": summary, "value": build()} for i, (build, summary) in enumerate(found)}
