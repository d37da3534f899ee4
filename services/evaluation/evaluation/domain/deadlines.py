"""Deadlines of an active measure (seed 002 §C: 6 months, then renewal or end), pure:
computed from the injected clock's ``now`` and the configured periods, never read from
the system clock; a nameko timer calls :func:`tick` on what :func:`next_deadline` says is due.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from evaluation.domain import Event, Measure, Policy
from tgd_contracts.evaluation import AttributionExpired, AttributionExpiring, MeasureStatus
from tgd_contracts.events import EventName
from tgd_contracts.reminders import RequisitionOverdue

S = MeasureStatus
PARIS = ZoneInfo("Europe/Paris")


def requisition_overdue_at(m: Measure) -> datetime | None:
    """The report is late from the end of its due day (Europe/Paris), while it is awaited."""
    if m.status != S.EVALUATION_REQUESTED or m.requisition is None or m.requisition.due_on is None:
        return None
    return datetime.combine(m.requisition.due_on + timedelta(days=1), time(0), tzinfo=PARIS)


def tick(m: Measure, now: datetime, policy: Policy) -> tuple[Measure, list[Event]]:
    """Deadlines: the report overdue; expiry at the end of the period, a reminder
    ``reminder_lead`` before it."""
    overdue_at = requisition_overdue_at(m)
    if overdue_at is not None and now >= overdue_at and not m.requisition_overdue_sent:
        due_on = m.requisition.due_on if m.requisition and m.requisition.due_on else now.date()
        event = RequisitionOverdue(
            referral_id=m.referral_id, jurisdiction=m.jurisdiction, due_on=due_on, detected_at=now
        )
        return m.change(requisition_overdue_sent=True), [(EventName.REQUISITION_OVERDUE, event)]
    if m.status != S.ACTIVE or m.ends_at is None or m.attribution_id is None:
        return m, []
    if now >= m.ends_at:
        event = AttributionExpired(attribution_id=m.attribution_id, jurisdiction=m.jurisdiction, expired_at=now)
        return m.change(status=S.EXPIRED, closed_at=now), [(EventName.ATTRIBUTION_EXPIRED, event)]
    if now >= reminder_at(m.ends_at, policy) and m.reminded_for != m.ends_at:
        event = AttributionExpiring(attribution_id=m.attribution_id, jurisdiction=m.jurisdiction, ends_at=m.ends_at)
        return m.change(reminded_for=m.ends_at), [(EventName.ATTRIBUTION_EXPIRING, event)]
    return m, []


def reminder_at(ends_at: datetime, policy: Policy) -> datetime:
    return policy.reminder_lead.before(ends_at)


def next_deadline(m: Measure, policy: Policy) -> datetime | None:
    """When :func:`tick` has something to do next (stored, so the timer queries only what is due)."""
    overdue_at = requisition_overdue_at(m)
    if overdue_at is not None and not m.requisition_overdue_sent:
        return overdue_at
    if m.status != S.ACTIVE or m.ends_at is None:
        return None
    return m.ends_at if m.reminded_for == m.ends_at else reminder_at(m.ends_at, policy)
