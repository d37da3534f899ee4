"""Deadlines and escalation (relance, escalade), pure: when the timer must look at an
alert again, and what is due at a given time.

- an alert nobody took within ``failsafe_delay`` is dispatched automatically; so is one
  taken but still not qualified after ``qualification_delay`` (an operator cut off);
- without an acknowledgement within ``ack_delay`` the ladder resolved at dispatch from
  the force directory (per department, e.g. centre -> centre again -> backup centre) is
  walked one rung per delay; past its last rung the last centre is repeated until
  someone answers. One acknowledgement from a centre of the ladder stops it. Without a
  ladder (no centre known) the command queue is repeated. The other force is never
  alerted by default;
- her home's unit and the association are repeated ``repeats`` times, never escalated.

Every step is in the journal and on the console, which tells the operator to telephone
the centre (its number is on the delivery). The service's timer only asks
:func:`due_actions`; the unit tests drive it with an injected clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from alert.domain.model import Alert, Delivery
from alert.domain.routing import FOLLOW_UP, LADDER_STEPS, Outgoing, deliver, dispatch, message_for
from alert.domain.territory import Territory
from tgd_contracts.alert import AlertState, DispatchKind
from tgd_contracts.dossier import Dossier


@dataclass(frozen=True)
class Policy:
    failsafe_delay: timedelta = timedelta(seconds=30)
    #: a taken alert still not qualified after this is dispatched too (an operator may be cut off)
    qualification_delay: timedelta = timedelta(seconds=300)
    ack_delay: timedelta = timedelta(seconds=60)
    #: how often her home's unit and the association are sent the dispatch again
    repeats: int = 1


def force_deliveries(alert: Alert) -> list[Delivery]:
    """The deliveries of the ladder (operations centres, or the command queue)."""
    return [d for d in alert.deliveries if d.step in LADDER_STEPS]


def rungs_walked(alert: Alert) -> int:
    """How many sendings of the ladder went out (first sending and repeats included)."""
    return sum(d.attempts for d in force_deliveries(alert))


def _due(delivery: Delivery, policy: Policy) -> datetime:
    return delivery.last_sent_at + policy.ack_delay


def _silent(alert: Alert) -> bool:
    forces = force_deliveries(alert)
    return bool(forces) and not any(d.acknowledged_at for d in forces)


def _follow_ups_due(alert: Alert, policy: Policy) -> list[Delivery]:
    return [
        d
        for d in alert.deliveries
        if d.step in FOLLOW_UP and d.acknowledged_at is None and d.attempts <= policy.repeats
    ]


def next_deadline(alert: Alert, policy: Policy) -> datetime | None:
    """When the timer must look at this alert again (None: nothing is pending)."""
    if alert.state == AlertState.RAISED:
        return alert.waiting_since + policy.failsafe_delay
    if alert.state == AlertState.TAKEN and alert.taken_at is not None:
        return alert.taken_at + policy.qualification_delay
    if alert.state not in (AlertState.DISPATCHED, AlertState.REDIRECTED):
        return None
    deadlines = [_due(d, policy) for d in _follow_ups_due(alert, policy)]
    if _silent(alert):
        deadlines.append(_due(force_deliveries(alert)[-1], policy))
    return min(deadlines) if deadlines else None


def due_actions(
    alert: Alert, now: datetime, policy: Policy, dossier: Dossier | None, territory: Territory
) -> list[Outgoing]:
    """Apply what is due at ``now``: failsafe dispatch, repeats, escalation."""
    if alert.state == AlertState.RAISED:
        if now >= alert.waiting_since + policy.failsafe_delay:
            alert.note(now, "system", "failsafe", f"no operator within {policy.failsafe_delay.total_seconds():g}s")
            return dispatch(alert, now, dossier, territory, automatic=True)
        return []
    if alert.state == AlertState.TAKEN:
        if alert.taken_at is not None and now >= alert.taken_at + policy.qualification_delay:
            limit = policy.qualification_delay.total_seconds()
            alert.note(now, "system", "failsafe", f"not qualified within {limit:g}s of being taken")
            return dispatch(alert, now, dossier, territory, automatic=True)
        return []
    if alert.state not in (AlertState.DISPATCHED, AlertState.REDIRECTED):
        return []
    out: list[Outgoing] = []
    if _silent(alert) and now >= _due(force_deliveries(alert)[-1], policy):
        out.append(_climb(alert, now, dossier))
    for d in _follow_ups_due(alert, policy):
        if now >= _due(d, policy):
            out.append(_repeat(alert, d, now, dossier))
    return out


def _climb(alert: Alert, now: datetime, dossier: Dossier | None) -> Outgoing:
    """The next rung: the same centre again (a repeat) or another one (an escalation);
    past the last rung, the last centre again."""
    current = force_deliveries(alert)[-1]
    walked = rungs_walked(alert)
    if not alert.ladder or walked >= len(alert.ladder):
        return _repeat(alert, current, now, dossier)
    rung = alert.ladder[walked]
    if rung.recipient == current.recipient:
        return _repeat(alert, current, now, dossier)
    delivery = deliver(alert, rung.step, rung.recipient, DispatchKind.ESCALATION, now, rung)
    return message_for(alert, delivery, dossier)


def _repeat(alert: Alert, delivery: Delivery, now: datetime, dossier: Dossier | None) -> Outgoing:
    delivery.attempts += 1
    delivery.last_sent_at = now
    alert.note(now, "system", "repeat", f"{delivery.step}: attempt {delivery.attempts}")
    return message_for(alert, delivery, dossier)
