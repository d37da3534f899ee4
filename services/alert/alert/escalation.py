"""Deadlines and escalation (relance, escalade), pure: when the timer must look at an
alert again, and what is due at a given time.

- an alert nobody took within ``failsafe_delay`` is dispatched automatically; so is one
  taken but still not qualified after ``qualification_delay`` (an operator cut off);
- without an acknowledgement within ``ack_delay`` the force's dispatch is repeated
  ``repeats`` times, then escalated: the other force, then the departmental command
  centre, which is repeated until someone answers; one force acknowledgement stops it;
- the association is repeated ``repeats`` times, never escalated.

The service's timer only asks :func:`due_actions`; the unit tests drive it with an
injected clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from alert.domain import Alert, Delivery
from alert.routing import (
    ASSOCIATION,
    COMMAND,
    FORCE_LADDER,
    Outgoing,
    deliver,
    dispatch,
    ladder_recipient,
    message_for,
)
from tgd_contracts.alert import AlertState, DispatchKind
from tgd_contracts.dossier import Dossier


@dataclass(frozen=True)
class Policy:
    failsafe_delay: timedelta = timedelta(seconds=30)
    #: a taken alert still not qualified after this is dispatched too (an operator may be cut off)
    qualification_delay: timedelta = timedelta(seconds=300)
    ack_delay: timedelta = timedelta(seconds=60)
    repeats: int = 1


def force_deliveries(alert: Alert) -> list[Delivery]:
    return [d for d in alert.deliveries if d.step in FORCE_LADDER]


def _next_step(alert: Alert, step: str) -> str:
    """The next rung of the ladder that has a recipient (command always has one)."""
    for candidate in FORCE_LADDER[FORCE_LADDER.index(step) + 1 :]:
        if candidate == COMMAND or ladder_recipient(alert, candidate) is not None:
            return candidate
    return COMMAND


def _due(delivery: Delivery, policy: Policy) -> datetime:
    return delivery.last_sent_at + policy.ack_delay


def next_deadline(alert: Alert, policy: Policy) -> datetime | None:
    """When the timer must look at this alert again (None: nothing is pending)."""
    if alert.state == AlertState.RAISED:
        return alert.waiting_since + policy.failsafe_delay
    if alert.state == AlertState.TAKEN and alert.taken_at is not None:
        return alert.taken_at + policy.qualification_delay
    if alert.state not in (AlertState.DISPATCHED, AlertState.REDIRECTED):
        return None
    deadlines = []
    forces = force_deliveries(alert)
    if forces and not any(d.acknowledged_at for d in forces):
        deadlines.append(_due(forces[-1], policy))
    for d in alert.deliveries:
        if d.step == ASSOCIATION and d.acknowledged_at is None and d.attempts <= policy.repeats:
            deadlines.append(_due(d, policy))
    return min(deadlines) if deadlines else None


def due_actions(alert: Alert, now: datetime, policy: Policy, dossier: Dossier | None) -> list[Outgoing]:
    """Apply what is due at ``now``: failsafe dispatch, repeats, escalation."""
    if alert.state == AlertState.RAISED:
        if now >= alert.waiting_since + policy.failsafe_delay:
            alert.note(now, "system", "failsafe", f"no operator within {policy.failsafe_delay.total_seconds():g}s")
            return dispatch(alert, now, dossier, automatic=True)
        return []
    if alert.state == AlertState.TAKEN:
        if alert.taken_at is not None and now >= alert.taken_at + policy.qualification_delay:
            limit = policy.qualification_delay.total_seconds()
            alert.note(now, "system", "failsafe", f"not qualified within {limit:g}s of being taken")
            return dispatch(alert, now, dossier, automatic=True)
        return []
    if alert.state not in (AlertState.DISPATCHED, AlertState.REDIRECTED):
        return []
    out: list[Outgoing] = []
    forces = force_deliveries(alert)
    if forces and not any(d.acknowledged_at for d in forces) and now >= _due(forces[-1], policy):
        current = forces[-1]
        if current.step == COMMAND or current.attempts <= policy.repeats:
            out.append(_repeat(alert, current, now, dossier))
        else:
            step = _next_step(alert, current.step)
            recipient = ladder_recipient(alert, step)
            assert recipient is not None
            out.append(message_for(alert, deliver(alert, step, recipient, DispatchKind.ESCALATION, now), dossier))
    for d in alert.deliveries:
        if (
            d.step == ASSOCIATION
            and d.acknowledged_at is None
            and d.attempts <= policy.repeats
            and now >= _due(d, policy)
        ):
            out.append(_repeat(alert, d, now, dossier))
    return out


def _repeat(alert: Alert, delivery: Delivery, now: datetime, dossier: Dossier | None) -> Outgoing:
    delivery.attempts += 1
    delivery.last_sent_at = now
    alert.note(now, "system", "repeat", f"{delivery.step}: attempt {delivery.attempts}")
    return message_for(alert, delivery, dossier)
