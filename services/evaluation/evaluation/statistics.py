"""The evaluation service's statistics, pure: évaluations, décisions, renouvellements,
retraits and expiries dated in the period, and the measures in progress now; exact for
the parquet and the steering committee, anonymised for the observatory."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from evaluation.domain import Measure
from tgd_contracts.evaluation import MeasureStatus, WithdrawalReason
from tgd_contracts.statistics import (
    EvaluationFigures,
    EvaluationStatistics,
    StatisticsQuery,
    exact_delay,
    seconds_between,
    tally,
)
from tgd_contracts.statistics import anonymise as anonymised


def evaluation_figures(query: StatisticsQuery, measures: Iterable[Measure]) -> EvaluationFigures:
    """Each event is counted in the period it happened in (Paris days), whatever the
    measure's state now. Delays: requisition -> first report, first report -> decision
    (the decision in the period)."""
    chosen = [m for m in measures if m.jurisdiction == query.jurisdiction]
    within = query.covers
    decided = [m for m in chosen if within(m.decided_at)]
    granted = [m for m in decided if m.decision is not None and m.decision.granted]
    withdrawn = [m for m in chosen if m.withdrawal is not None and within(m.closed_at)]
    expired = [m for m in chosen if m.status == MeasureStatus.EXPIRED and within(m.closed_at)]
    reasons = Counter(m.withdrawal.reason.value for m in withdrawn if m.withdrawal is not None)
    first_reports = {m.referral_id: m.evaluations[0].completed_at for m in chosen if m.evaluations}
    to_report = [
        seconds_between(m.requested_at, first_reports[m.referral_id])
        for m in chosen
        if m.referral_id in first_reports and within(first_reports[m.referral_id])
    ]
    to_decision = [seconds_between(first_reports.get(m.referral_id), m.decided_at) for m in decided]
    return EvaluationFigures(
        jurisdiction=query.jurisdiction,
        starts_on=query.starts_on,
        ends_on=query.ends_on,
        evaluations_requested=sum(1 for m in chosen if within(m.requested_at)),
        evaluations_completed=sum(1 for m in chosen for e in m.evaluations if within(e.completed_at)),
        decisions=len(decided),
        attributions=len(granted),
        refusals=len(decided) - len(granted),
        renewals=sum(1 for m in chosen for at in m.renewed_at if within(at)),
        expiries=len(expired),
        withdrawals=len(withdrawn),
        withdrawals_by_reason=tally(reasons, [r.value for r in WithdrawalReason]),
        measures_ended=len(withdrawn) + len(expired),
        measures_active=sum(1 for m in chosen if m.status == MeasureStatus.ACTIVE),
        requisition_to_report=exact_delay(s for s in to_report if s is not None),
        report_to_decision=exact_delay(s for s in to_decision if s is not None),
    )


def evaluation_statistics(query: StatisticsQuery, measures: Iterable[Measure]) -> EvaluationStatistics:
    """The observatory's anonymised counts of the same measures."""
    return anonymised.evaluations(evaluation_figures(query, measures))
