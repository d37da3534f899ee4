"""What the evaluation service shows (pure): a court's measures, one measure in full
with the association's reports, a measure's evidence part, and the statistics
(évaluations, décisions, renouvellements, retraits and expiries dated in the period,
the measures in progress now; exact for the parquet and the steering committee,
anonymised for the observatory)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from evaluation.domain import PRE_DECISION, Measure, Policy, eligibility
from evaluation.domain.association import following_association
from tgd_contracts.evaluation import EvaluationReport, MeasureStatus, MeasureView, WithdrawalReason
from tgd_contracts.evidence import EvidencePart, SubjectKind, service_part
from tgd_contracts.measure_reads import FiledReport, MeasurePage, MeasureRecord
from tgd_contracts.statistics import (
    EvaluationFigures,
    EvaluationStatistics,
    StatisticsQuery,
    exact_delay,
    seconds_between,
    tally,
)
from tgd_contracts.statistics import anonymise as anonymised


def record(m: Measure, reports: Iterable[Mapping[str, Any]], policy: Policy) -> MeasureRecord:
    """The measure with its reports, matched to their evaluations by id."""
    bodies = {r.get("evaluation_id"): r for r in reports}
    filed = []
    for e in m.evaluations:
        body = bodies.get(e.evaluation_id)
        report = EvaluationReport.consume(body) if body else None
        filed.append(FiledReport(**e.model_dump(), report=report))
    return MeasureRecord(
        jurisdiction=m.jurisdiction,
        measure=view(m, policy),
        requisition=m.requisition,
        requested_at=m.requested_at,
        report_due_on=m.requisition.due_on if m.requisition else None,
        consent=m.consent,
        decision=m.decision,
        decided_at=m.decided_at,
        withdrawal=m.withdrawal,
        closed_at=m.closed_at,
        reports=filed,
        eligibility=eligibility.check(m.decision.eligibility, m.decision.author_incarcerated)
        if m.decision and m.decision.eligibility
        else None,
    )


def page(measures: Iterable[Measure], policy: Policy, status: MeasureStatus | None, limit: int) -> MeasurePage:
    """A court's measures, of one status or all, the most recently changed first."""

    def last_change(m: Measure) -> str:
        moments = [m.opened_at, m.requested_at, m.decided_at, m.closed_at, *m.renewed_at]
        moments += [e.completed_at for e in m.evaluations]
        return max((t.isoformat() for t in moments if t is not None), default="")

    chosen = [m for m in measures if status is None or m.status == status]
    chosen.sort(key=last_change, reverse=True)
    return MeasurePage(items=[view(m, policy) for m in chosen[:limit]])


def evidence(
    referral_id: str, state: dict[str, Any], reports: list[Any], events: list[dict[str, Any]], now: datetime
) -> EvidencePart:
    """The measure's part of an evidence archive: requisition, evaluations and their
    reports, consent, decision, renewals, withdrawal, and the events still retained."""
    related = {"attribution_ids": [state["attribution_id"]]} if state.get("attribution_id") else {}
    return service_part(
        "evaluation",
        SubjectKind.MEASURE,
        referral_id,
        state.get("jurisdiction"),
        {"measure": state, "reports": reports},
        events,
        now,
        related=related,
    )


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


def view(m: Measure, policy: Policy) -> MeasureView:
    return MeasureView(
        referral_id=m.referral_id,
        jurisdiction=m.jurisdiction,
        status=m.status,
        attribution_id=m.attribution_id if m.status not in PRE_DECISION else None,
        evaluations=len(m.evaluations),
        risk_level=m.evaluations[-1].level if m.evaluations else None,
        consent_given=m.consent.given if m.consent else None,
        starts_at=m.decided_at if m.decision and m.decision.granted else None,
        ends_at=m.ends_at,
        renewals=m.renewals,
        renewal_cap=policy.renewal_cap(m.jurisdiction),
        withdrawal_reason=m.withdrawal.reason if m.withdrawal else None,
        association=following_association(m),
    )
