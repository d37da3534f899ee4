"""The evaluation service's observatory aggregates, pure: évaluations, décisions,
renouvellements, retraits and expiries dated in the period, from the measures."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from evaluation.domain import Measure
from tgd_contracts.evaluation import MeasureStatus, WithdrawalReason
from tgd_contracts.statistics import EvaluationStatistics, StatisticsQuery, breakdown, count, delay, seconds_between


def evaluation_statistics(query: StatisticsQuery, measures: Iterable[Measure]) -> EvaluationStatistics:
    """Each event is counted in the period it happened in, whatever the measure's state now.
    Delays: requisition -> first report, first report -> decision (the decision in the period)."""
    chosen = [m for m in measures if m.jurisdiction == query.jurisdiction]
    within = query.covers
    decided = [m for m in chosen if within(m.decided_at)]
    granted = [m for m in decided if m.decision is not None and m.decision.granted]
    # granted + refused = decisions: a breakdown, so a small cell is not given away by subtraction
    outcomes = breakdown({"granted": len(granted), "refused": len(decided) - len(granted)}, ["granted", "refused"])
    withdrawn = [m for m in chosen if m.withdrawal is not None and within(m.closed_at)]
    reasons = Counter(m.withdrawal.reason.value for m in withdrawn if m.withdrawal is not None)
    first_reports = {m.referral_id: m.evaluations[0].completed_at for m in chosen if m.evaluations}
    to_report = [
        seconds_between(m.requested_at, first_reports[m.referral_id])
        for m in chosen
        if m.referral_id in first_reports and within(first_reports[m.referral_id])
    ]
    to_decision = [seconds_between(first_reports.get(m.referral_id), m.decided_at) for m in decided]
    return EvaluationStatistics(
        jurisdiction=query.jurisdiction,
        starts_on=query.starts_on,
        ends_on=query.ends_on,
        evaluations_requested=count(sum(1 for m in chosen if within(m.requested_at))),
        evaluations_completed=count(sum(1 for m in chosen for e in m.evaluations if within(e.completed_at))),
        decisions=count(len(decided)),
        attributions=outcomes["granted"],
        refusals=outcomes["refused"],
        renewals=count(sum(1 for m in chosen for at in m.renewed_at if within(at))),
        expiries=count(sum(1 for m in chosen if m.status == MeasureStatus.EXPIRED and within(m.closed_at))),
        withdrawals=count(len(withdrawn)),
        withdrawals_by_reason=breakdown(reasons, [r.value for r in WithdrawalReason]),
        requisition_to_report=delay(s for s in to_report if s is not None),
        report_to_decision=delay(s for s in to_decision if s is not None),
    )
