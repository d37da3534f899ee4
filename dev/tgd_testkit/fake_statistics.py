"""Fake ``exact_statistics`` and ``statistics`` answers of the four services: the exact
figures of a fixed fictional history (the same for every court), and the same figures
anonymised with the pure functions the services use (so small counts come out
suppressed, as from the real services)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from tgd_contracts.alert import InterventionResult, QualificationOutcome
from tgd_contracts.errors import ErrorCode, TgdError
from tgd_contracts.evaluation import WithdrawalReason
from tgd_contracts.jurisdictions import is_known_jurisdiction
from tgd_contracts.referral import ProfessionalKind, Urgency
from tgd_contracts.statistics import (
    AlertFigures,
    DeviceFigures,
    EvaluationFigures,
    ReferralFigures,
    StatisticsQuery,
    exact_delay,
    tally,
)
from tgd_contracts.statistics import anonymise as anonymised

AS_OF = datetime(2026, 7, 1, tzinfo=UTC)
#: the fixed history every jurisdiction answers (raw tallies, before anonymisation)
HISTORY: dict[str, Any] = {
    "referrals": {"hospital": 9, "lawyer": 3},
    "urgent": 8,
    "requested": 11,
    "completed": 10,
    "granted": 7,
    "refused": 2,
    "renewals": 2,
    "withdrawals": {"danger_ceased": 5, "author_incarcerated": 1},
    "in_stock": 6,
    "assigned": 7,
    "overdue": 1,
    "provisioned": 7,
    "natures": {"danger": 12, "test_call": 6, "accidental": 2},
    "outcomes": {"author_arrested": 5, "on_site": 7, "none": 8},
    "taken_s": [12, 20, 25, 31, 40, 44, 60, 75, 90, 120],
    "dispatched_s": [30, 35, 50, 65, 80, 95, 110, 130, 150, 200, 240, 300],
    "acknowledged_s": [40, 60, 90],
}


def _period(query: StatisticsQuery) -> dict[str, Any]:
    return {"jurisdiction": query.jurisdiction, "starts_on": query.starts_on, "ends_on": query.ends_on}


def _parsed(query: dict[str, Any]) -> StatisticsQuery:
    parsed = StatisticsQuery.model_validate(query)
    if not is_known_jurisdiction(parsed.jurisdiction):
        raise TgdError(code=ErrorCode.UNKNOWN_JURISDICTION)
    return parsed


def referral_figures(query: dict[str, Any]) -> dict[str, Any]:
    q, h = _parsed(query), HISTORY
    total = sum(h["referrals"].values())
    return ReferralFigures(
        **_period(q),
        referrals=total,
        by_urgency=tally({"urgent": h["urgent"], "standard": total - h["urgent"]}, [u.value for u in Urgency]),
        by_referrer_kind=tally(h["referrals"], [k.value for k in ProfessionalKind]),
    ).to_wire()


def evaluation_figures(query: dict[str, Any]) -> dict[str, Any]:
    q, h = _parsed(query), HISTORY
    withdrawals = sum(h["withdrawals"].values())
    return EvaluationFigures(
        **_period(q),
        evaluations_requested=h["requested"],
        evaluations_completed=h["completed"],
        decisions=h["granted"] + h["refused"],
        attributions=h["granted"],
        refusals=h["refused"],
        renewals=h["renewals"],
        expiries=0,
        withdrawals=withdrawals,
        withdrawals_by_reason=tally(h["withdrawals"], [r.value for r in WithdrawalReason]),
        measures_ended=withdrawals,
        measures_active=h["assigned"],
        requisition_to_report=exact_delay([3600.0 * n for n in range(1, 11)]),
        report_to_decision=exact_delay([86400.0] * 3),
    ).to_wire()


def device_figures(query: dict[str, Any]) -> dict[str, Any]:
    q, h = _parsed(query), HISTORY
    return DeviceFigures(
        **_period(q),
        as_of=AS_OF,
        in_stock=h["in_stock"],
        assigned=h["assigned"],
        overdue_test_calls=h["overdue"],
        provisioned=h["provisioned"],
        returned=0,
    ).to_wire()


def alert_figures(query: dict[str, Any]) -> dict[str, Any]:
    q, h = _parsed(query), HISTORY
    natures = [*(o.value for o in QualificationOutcome), "not_qualified"]
    outcomes = [*(r.value for r in InterventionResult), "none"]
    return AlertFigures(
        **_period(q),
        alerts=sum(h["natures"].values()),
        by_nature=tally(h["natures"], natures),
        by_outcome=tally(h["outcomes"], outcomes),
        automatic_dispatches=0,
        trigger_to_taken=exact_delay(h["taken_s"]),
        taken_to_dispatched=exact_delay(h["dispatched_s"]),
        dispatched_to_acknowledged=exact_delay(h["acknowledged_s"]),
    ).to_wire()


FIGURES = {
    "referral": (referral_figures, ReferralFigures, anonymised.referrals),
    "evaluation": (evaluation_figures, EvaluationFigures, anonymised.evaluations),
    "device": (device_figures, DeviceFigures, anonymised.devices),
    "alert": (alert_figures, AlertFigures, anonymised.alerts),
}


def _anonymised(service: str) -> Callable[..., Any]:
    exact, model, anonymise = FIGURES[service]
    return lambda query: anonymise(model.consume(exact(query))).to_wire()  # type: ignore[attr-defined]


def statistics_handlers() -> dict[tuple[str, str], Callable[..., Any]]:
    handlers: dict[tuple[str, str], Callable[..., Any]] = {}
    for service, (exact, _, _) in FIGURES.items():
        handlers[(service, "exact_statistics")] = exact
        handlers[(service, "statistics")] = _anonymised(service)
    return handlers


referral_statistics = _anonymised("referral")
evaluation_statistics = _anonymised("evaluation")
device_statistics = _anonymised("device")
alert_statistics = _anonymised("alert")
