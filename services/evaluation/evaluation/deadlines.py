"""Deadlines of an active measure (seed 002 §C: 6 months, then renewal or end), pure:
computed from the injected clock's ``now`` and the configured periods, never read from
the system clock; a nameko timer calls :func:`tick` on what :func:`next_deadline` says is due.
"""

from __future__ import annotations

from datetime import datetime

from evaluation.domain import Event, Measure, Policy
from tgd_contracts.evaluation import AttributionExpired, AttributionExpiring, MeasureStatus
from tgd_contracts.events import EventName

S = MeasureStatus


def tick(m: Measure, now: datetime, policy: Policy) -> tuple[Measure, list[Event]]:
    """Deadlines: expiry at the end of the period, a reminder ``reminder_lead`` before it."""
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
    if m.status != S.ACTIVE or m.ends_at is None:
        return None
    return m.ends_at if m.reminded_for == m.ends_at else reminder_at(m.ends_at, policy)
