"""Fake ``statistics`` answers of the four services: raw tallies of a fixed fictional
history, anonymised with the same pure functions the services use (so small counts come
out suppressed, as from the real services)."""

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
    AlertStatistics,
    DeviceStatistics,
    EvaluationStatistics,
    ReferralStatistics,
    StatisticsQuery,
    breakdown,
    count,
    delay,
)

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


def referral_statistics(query: dict[str, Any]) -> dict[str, Any]:
    q, h = _parsed(query), HISTORY
    total = sum(h["referrals"].values())
    urgency = breakdown({"urgent": h["urgent"], "standard": total - h["urgent"]}, [u.value for u in Urgency])
    return ReferralStatistics(
        **_period(q),
        referrals=count(total),
        urgent=urgency["urgent"],
        by_referrer_kind=breakdown(h["referrals"], [k.value for k in ProfessionalKind]),
    ).to_wire()


def evaluation_statistics(query: dict[str, Any]) -> dict[str, Any]:
    q, h = _parsed(query), HISTORY
    outcomes = breakdown({"granted": h["granted"], "refused": h["refused"]}, ["granted", "refused"])
    return EvaluationStatistics(
        **_period(q),
        evaluations_requested=count(h["requested"]),
        evaluations_completed=count(h["completed"]),
        decisions=count(h["granted"] + h["refused"]),
        attributions=outcomes["granted"],
        refusals=outcomes["refused"],
        renewals=count(h["renewals"]),
        expiries=count(0),
        withdrawals=count(sum(h["withdrawals"].values())),
        withdrawals_by_reason=breakdown(h["withdrawals"], [r.value for r in WithdrawalReason]),
        requisition_to_report=delay([3600.0 * n for n in range(1, 11)]),
        report_to_decision=delay([86400.0] * 3),
    ).to_wire()


def device_statistics(query: dict[str, Any]) -> dict[str, Any]:
    q, h = _parsed(query), HISTORY
    return DeviceStatistics(
        **_period(q),
        as_of=AS_OF,
        in_stock=count(h["in_stock"]),
        assigned=count(h["assigned"]),
        overdue_test_calls=count(h["overdue"]),
        provisioned=count(h["provisioned"]),
        returned=count(0),
    ).to_wire()


def alert_statistics(query: dict[str, Any]) -> dict[str, Any]:
    q, h = _parsed(query), HISTORY
    natures = [*(o.value for o in QualificationOutcome), "not_qualified"]
    outcomes = [*(r.value for r in InterventionResult), "none"]
    return AlertStatistics(
        **_period(q),
        alerts=count(sum(h["natures"].values())),
        by_nature=breakdown(h["natures"], natures),
        by_outcome=breakdown(h["outcomes"], outcomes),
        automatic_dispatches=count(0),
        trigger_to_taken=delay(h["taken_s"]),
        taken_to_dispatched=delay(h["dispatched_s"]),
        dispatched_to_acknowledged=delay(h["acknowledged_s"]),
    ).to_wire()


def statistics_handlers() -> dict[tuple[str, str], Callable[..., Any]]:
    return {
        ("referral", "statistics"): referral_statistics,
        ("evaluation", "statistics"): evaluation_statistics,
        ("device", "statistics"): device_statistics,
        ("alert", "statistics"): alert_statistics,
    }
