"""Fictional bodies of the measure (mesure): requisition, evaluation report, consent,
decision, renewal and withdrawal (:mod:`tgd_contracts.evaluation`)."""

from __future__ import annotations

from typing import Any

from tgd_contracts.examples import merged

PARQUET = "Parquet fictif"
SITUATION = {
    "family": "Situation familiale fictive.",
    "personal": "Situation personnelle fictive.",
    "professional": "Situation professionnelle fictive.",
    "social": "Situation sociale fictive.",
}
CRITERION = {"level": "high", "notes": "Notes fictives."}
CRITERIA = (
    "past_violence_gravity",
    "author_profile_and_reoffending_risk",
    "victim_isolation_and_vulnerability",
    "danger_gravity_and_immediacy",
)
#: the eligibility facts of a conjugal-violence danger after a separation
ELIGIBLE = {"relationship": "former_spouse", "separated": True, "danger": "conjugal_violence"}


def requisition(requested_by: str = PARQUET, **overrides: Any) -> dict[str, Any]:
    return merged({"requested_by": requested_by}, overrides)


def evaluation_report(
    yes: int = 15, items: int = 15, override: dict[str, Any] | None = None, **overrides: Any
) -> dict[str, Any]:
    """The association's report; the risk grid answers ``yes`` to its first ``yes`` of
    ``items`` questions (``dash-like`` version 1), ``override``: a professional's raise."""
    risk: dict[str, Any] = {
        "instrument_id": "dash-like",
        "instrument_version": "1",
        "items": [{"item_id": f"q{n:02d}", "answer": "yes" if n <= yes else "no"} for n in range(1, items + 1)],
    }
    if override:
        risk["override"] = override
    body = {
        "victim_situation": SITUATION,
        "author_situation": SITUATION,
        "criteria": {name: CRITERION for name in CRITERIA},
        "risk": risk,
    }
    return merged(body, overrides)


def consent(given: bool = True, **overrides: Any) -> dict[str, Any]:
    return merged({"given": given, "collected_by": PARQUET, "collected_on": "2026-01-05"}, overrides)


def decision(
    granted: bool = True,
    *,
    incarcerated: bool = False,
    months: int | None = None,
    eligibility: dict[str, Any] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """The prosecutor's decision (granted by default, 6 months unless ``months``)."""
    body: dict[str, Any] = {
        "granted": granted,
        "reasons": "Danger grave et actuel. Motifs fictifs.",
        "author_incarcerated": incarcerated,
        "decided_by": PARQUET,
    }
    if months:
        body["duration_months"] = months
    if eligibility:
        body["eligibility"] = eligibility
    return merged(body, overrides)


def renewal(renewed: bool = True, **overrides: Any) -> dict[str, Any]:
    return merged({"renewed": renewed, "reasons": "Motifs fictifs.", "decided_by": PARQUET}, overrides)


def withdrawal(reason: str = "danger_ceased", opinion_on: str | None = None, **overrides: Any) -> dict[str, Any]:
    """A withdrawal; ``opinion_on``: the date of the comité de pilotage's opinion."""
    body = {"reason": reason, "decided_by": PARQUET}
    if opinion_on:
        body["steering_committee_opinion_on"] = opinion_on
    return merged(body, overrides)
