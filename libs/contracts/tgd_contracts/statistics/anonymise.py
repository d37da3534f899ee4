"""Exact figures -> what the observatory and any public export may publish (pure).

The same rules for every service (:mod:`tgd_contracts.statistics.published`: primary
and secondary suppression, delays on enough samples), then the cross-service rule
:func:`link_suppression`: figures of different services that count nearly the same
events are suppressed together, or one would give the other away. Stock counts (phones
in stock) stay exact. The gateway only calls these functions.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel

from tgd_contracts.statistics.figures import AlertFigures, DeviceFigures, EvaluationFigures, ExactDelay, ReferralFigures
from tgd_contracts.statistics.published import (
    SMALL_COUNT_THRESHOLD,
    AlertStatistics,
    Count,
    Delay,
    DeviceStatistics,
    EvaluationStatistics,
    ReferralStatistics,
    Stock,
    breakdown,
    count,
)

#: figures of different services that count nearly the same events: when the first is
#: suppressed, the others are too (a granted attribution provisions a device; a
#: withdrawal or an expiry returns it).
LINKED: tuple[tuple[tuple[str, str], tuple[tuple[str, str], ...]], ...] = (
    (("evaluations", "attributions"), (("devices", "provisioned"),)),
    (("evaluations", "withdrawals"), (("devices", "returned"),)),
    (("evaluations", "expiries"), (("devices", "returned"),)),
)


def delay(exact: ExactDelay) -> Delay:
    samples = count(exact.samples)
    if exact.samples < SMALL_COUNT_THRESHOLD:
        return Delay(samples=samples)
    return Delay(samples=samples, p50_s=exact.p50_s, p90_s=exact.p90_s, max_s=exact.max_s)


def _period(f: Any) -> dict[str, Any]:
    return {"jurisdiction": f.jurisdiction, "starts_on": f.starts_on, "ends_on": f.ends_on}


def referrals(f: ReferralFigures) -> ReferralStatistics:
    # urgent + standard = referrals: a breakdown, so a small standard count is not given away
    urgency = breakdown(f.by_urgency, f.by_urgency)
    return ReferralStatistics(
        **_period(f),
        referrals=count(f.referrals),
        urgent=urgency["urgent"],
        by_referrer_kind=breakdown(f.by_referrer_kind, f.by_referrer_kind),
    )


def evaluations(f: EvaluationFigures) -> EvaluationStatistics:
    # granted + refused = decisions: a breakdown, so a small cell is not given away by subtraction
    outcomes = breakdown({"granted": f.attributions, "refused": f.refusals}, ["granted", "refused"])
    return EvaluationStatistics(
        **_period(f),
        evaluations_requested=count(f.evaluations_requested),
        evaluations_completed=count(f.evaluations_completed),
        decisions=count(f.decisions),
        attributions=outcomes["granted"],
        refusals=outcomes["refused"],
        renewals=count(f.renewals),
        expiries=count(f.expiries),
        withdrawals=count(f.withdrawals),
        withdrawals_by_reason=breakdown(f.withdrawals_by_reason, f.withdrawals_by_reason),
        requisition_to_report=delay(f.requisition_to_report),
        report_to_decision=delay(f.report_to_decision),
    )


def devices(f: DeviceFigures) -> DeviceStatistics:
    return DeviceStatistics(
        **_period(f),
        as_of=f.as_of,
        in_stock=Stock(value=f.in_stock),  # phones, not people: never suppressed
        assigned=count(f.assigned),
        overdue_test_calls=count(f.overdue_test_calls),
        provisioned=count(f.provisioned),
        returned=count(f.returned),
    )


def alerts(f: AlertFigures) -> AlertStatistics:
    return AlertStatistics(
        **_period(f),
        alerts=count(f.alerts),
        by_nature=breakdown(f.by_nature, f.by_nature),
        by_outcome=breakdown(f.by_outcome, f.by_outcome),
        automatic_dispatches=count(f.automatic_dispatches),
        trigger_to_taken=delay(f.trigger_to_taken),
        taken_to_dispatched=delay(f.taken_to_dispatched),
        dispatched_to_acknowledged=delay(f.dispatched_to_acknowledged),
    )


class ObservatoryStatistics(BaseModel):
    """Anonymised aggregates of one jurisdiction and period (observatoire, seed 001 actions 11 and 16)."""

    jurisdiction: str
    starts_on: date
    ends_on: date
    small_count_threshold: int
    referrals: ReferralStatistics
    evaluations: EvaluationStatistics
    devices: DeviceStatistics
    alerts: AlertStatistics


def link_suppression(stats: ObservatoryStatistics) -> ObservatoryStatistics:
    """Suppress the figures :data:`LINKED` to a suppressed one (secondary suppression across services)."""
    data = stats.model_dump()
    hidden = Count(value=None, suppressed=True).model_dump()
    for (section, measure), linked in LINKED:
        if data[section][measure]["suppressed"]:
            for other_section, other in linked:
                data[other_section][other] = hidden
    return ObservatoryStatistics.model_validate(data)


def observatory(
    referral: ReferralStatistics, evaluation: EvaluationStatistics, device: DeviceStatistics, alert: AlertStatistics
) -> ObservatoryStatistics:
    """The observatory's answer from each service's anonymised section, linked suppression applied."""
    return link_suppression(
        ObservatoryStatistics(
            **_period(referral),
            small_count_threshold=SMALL_COUNT_THRESHOLD,
            referrals=referral,
            evaluations=evaluation,
            devices=device,
            alerts=alert,
        )
    )
