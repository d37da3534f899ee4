"""What the parquet and the association read of measures (pure): a court's measures, one
measure in full with the association's reports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from evaluation import eligibility
from evaluation.domain import Measure, Policy, view
from tgd_contracts.evaluation import EvaluationReport, MeasureStatus
from tgd_contracts.measure_reads import FiledReport, MeasurePage, MeasureRecord


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
