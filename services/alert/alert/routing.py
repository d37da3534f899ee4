"""Who is alerted, when, and what happens without an acknowledgement. Pure.

A dispatch goes to the force competent for the beneficiary's home (police or
gendarmerie, learnt from ``forces_informed``) and to the association of the
jurisdiction. The force side climbs a ladder when nobody acknowledges:

    competent force --(ack delay, repeated `repeats` times)--> other force
    --(ack delay)--> departmental command centre (repeated until acknowledged)

One acknowledgement from any force stops the ladder. The association is repeated
``repeats`` times and never escalated. An alert no operator took within the
failsafe delay is dispatched automatically. Every deadline is computed here from the
stored record; the service's timer only asks :func:`due_actions` what to do now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from alert.domain import Alert, Delivery, close, new_id
from tgd_contracts.alert import (
    AlertClosed,
    AlertState,
    DispatchKind,
    InterventionResult,
    PartnerClosure,
    PartnerDispatch,
    QualificationOutcome,
    Recipient,
)
from tgd_contracts.base import Contract
from tgd_contracts.device import ForcesInformed, InformedUnit
from tgd_contracts.dossier import Dossier
from tgd_contracts.events import EventName
from tgd_contracts.partners import Audience, MessageKind, partner_routing_key

COMPETENT, OTHER_FORCE, COMMAND, ASSOCIATION = "competent", "other_force", "command", "association"
FORCE_LADDER = (COMPETENT, OTHER_FORCE, COMMAND)
UNROUTED = "unrouted"  # territory of the command queue when the device's department is unknown


@dataclass(frozen=True)
class Policy:
    failsafe_delay: timedelta = timedelta(seconds=30)
    #: a taken alert still not qualified after this is dispatched too (an operator may be cut off)
    qualification_delay: timedelta = timedelta(seconds=300)
    ack_delay: timedelta = timedelta(seconds=60)
    repeats: int = 1


@dataclass(frozen=True)
class Outgoing:
    """A message to send: on ``tgd.partners`` when ``recipient`` is set, else on ``alert.events``."""

    event_name: EventName
    data: Contract
    recipient: Recipient | None = None
    kind: MessageKind | None = None

    @property
    def routing_key(self) -> str | None:
        if self.recipient is None or self.kind is None:
            return None
        r = self.recipient
        return partner_routing_key(r.audience, r.territory, r.unit, self.kind)


def command_centre(alert: Alert) -> Recipient:
    return Recipient(audience=Audience.COMMAND, territory=alert.device.department or UNROUTED, unit="any")


def association(alert: Alert) -> Recipient | None:
    j = alert.device.jurisdiction
    return Recipient(audience=Audience.ASSOCIATION, territory=j, unit="any") if j else None


def ladder_recipient(alert: Alert, step: str) -> Recipient | None:
    if step == COMPETENT:
        return alert.device.competent
    if step == OTHER_FORCE:
        return alert.device.other_force
    return command_centre(alert)


def _message(alert: Alert, delivery: Delivery, dossier: Dossier | None) -> Outgoing:
    data = PartnerDispatch(
        alert_id=alert.alert_id,
        dispatch_id=delivery.dispatch_id,
        kind=delivery.kind,
        attempt=delivery.attempts,
        recipient=delivery.recipient,
        outcome=alert.outcome,
        automatic=alert.automatic,
        raised_at=alert.raised_at,
        device_id=alert.device.device_id,
        jurisdiction=alert.device.jurisdiction,
        position=alert.positions[-1] if alert.positions else None,
        dossier=dossier,
        flags=alert.flags,
    )
    kind = MessageKind.DISPATCH if delivery.kind == DispatchKind.DISPATCH else MessageKind.ESCALATION
    return Outgoing(EventName.PARTNER_DISPATCH, data, delivery.recipient, kind)


def _deliver(alert: Alert, step: str, recipient: Recipient, kind: DispatchKind, now: datetime) -> Delivery:
    delivery = Delivery(
        dispatch_id=new_id(),
        step=step,
        recipient=recipient,
        kind=kind,
        attempts=1,
        first_sent_at=now,
        last_sent_at=now,
    )
    alert.deliveries.append(delivery)
    alert.note(
        now,
        "system",
        kind.value,
        f"{step}: {recipient.audience.value}.{recipient.territory}.{recipient.unit}",
    )
    return delivery


def dispatch(alert: Alert, now: datetime, dossier: Dossier | None, *, automatic: bool = False) -> list[Outgoing]:
    """Danger (or the failsafe): alert the competent force and the association."""
    if alert.state not in (AlertState.RAISED, AlertState.TAKEN):
        return []
    alert.automatic = automatic
    alert.state = AlertState.DISPATCHED
    first_step = COMPETENT if alert.device.competent else COMMAND
    deliveries = [_deliver(alert, first_step, ladder_recipient(alert, first_step), DispatchKind.DISPATCH, now)]
    assoc = association(alert)
    if assoc is not None:
        deliveries.append(_deliver(alert, ASSOCIATION, assoc, DispatchKind.DISPATCH, now))
    return [_message(alert, d, dossier) for d in deliveries]


def redirect(alert: Alert, now: datetime, dossier: Dossier | None) -> list[Outgoing]:
    """No danger: the beneficiary is redirected to the association (réorientation)."""
    alert.state = AlertState.REDIRECTED
    assoc = association(alert)
    if assoc is None:
        alert.note(now, "system", "redirect-unrouted", "no jurisdiction known for this device")
        return []
    return [_message(alert, _deliver(alert, ASSOCIATION, assoc, DispatchKind.DISPATCH, now), dossier)]


def after_qualification(alert: Alert, now: datetime, dossier: Dossier | None) -> list[Outgoing]:
    if alert.outcome == QualificationOutcome.DANGER:
        return dispatch(alert, now, dossier)
    if alert.outcome == QualificationOutcome.NO_DANGER:
        return redirect(alert, now, dossier)
    return closed_messages(alert)  # test call or accidental press: closed by domain.qualify


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
        return alert.raised_at + policy.failsafe_delay
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
        if now >= alert.raised_at + policy.failsafe_delay:
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
            out.append(_message(alert, _deliver(alert, step, recipient, DispatchKind.ESCALATION, now), dossier))
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
    return _message(alert, delivery, dossier)


def acknowledge(alert: Alert, dispatch_id: str, recipient: Recipient, now: datetime) -> bool:
    """Record an acknowledgement (accusé de réception); False when it matches no delivery."""
    for d in alert.deliveries:
        if d.dispatch_id == dispatch_id and d.recipient == recipient:
            if d.acknowledged_at is None:
                d.acknowledged_at = now
                alert.note(now, _actor(recipient), "acknowledged", d.step)
            return True
    alert.note(now, _actor(recipient), "acknowledgement-unmatched")
    return False


def report_outcome(
    alert: Alert, recipient: Recipient, result: InterventionResult, note: str | None, now: datetime
) -> list[Outgoing]:
    """The force's report closes the alert with its outcome."""
    alert.note(now, _actor(recipient), "outcome", result.value)
    if not alert.is_open:
        return []
    close(alert, actor=_actor(recipient), result=result, now=now, note=note)
    return closed_messages(alert)


def closed_messages(alert: Alert) -> list[Outgoing]:
    """Tell every partner addressed that the alert is closed, and announce it."""
    assert alert.closed_at is not None
    out = [
        Outgoing(
            EventName.PARTNER_CLOSURE,
            PartnerClosure(alert_id=alert.alert_id, closed_at=alert.closed_at, result=alert.result),
            d.recipient,
            MessageKind.CLOSURE,
        )
        for d in alert.deliveries
    ]
    out.append(
        Outgoing(
            EventName.ALERT_CLOSED,
            AlertClosed(
                alert_id=alert.alert_id,
                jurisdiction=alert.device.jurisdiction,
                raised_at=alert.raised_at,
                closed_at=alert.closed_at,
                outcome=alert.outcome,
                automatic=alert.automatic,
                result=alert.result,
            ),
        )
    )
    return out


def _actor(recipient: Recipient) -> str:
    return f"{recipient.audience.value}.{recipient.territory}.{recipient.unit}"


def unit_recipient(unit: InformedUnit) -> Recipient:
    """Routing-key segments are lowercase (Corsica: 2A -> 2a)."""
    return Recipient(audience=unit.audience, territory=unit.department.lower(), unit=unit.unit_code.lower())


def forces_facts(notice: ForcesInformed) -> dict[str, object]:
    """Read-model facts from ``forces_informed``: the competent unit and the other force
    (police in gendarmerie zone and vice versa), the first escalation step."""
    other = next((u for u in notice.also_informed if u.audience != notice.competent.audience), None)
    return {
        "attribution_id": notice.attribution_id,
        "jurisdiction": notice.jurisdiction,
        "department": notice.competent.department.lower(),
        "competent": unit_recipient(notice.competent),
        "other_force": unit_recipient(other) if other else None,
    }
