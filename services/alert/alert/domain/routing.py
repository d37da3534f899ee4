"""Who is alerted, with what (pure).

A dispatch goes first to the 24/7 operations centre (CIC / CORG) of the force competent
where she is — her position when she consented and it is usable, else her home commune
(:mod:`alert.domain.territory`) — and, in parallel, to the unit competent for her home (learnt
from ``forces_informed``, for follow-up) and to the association of the jurisdiction.
Without any centre known, it goes to the command queue of her department (``any``).
Closing an alert tells every partner addressed; a new position during a dispatched
alert goes to every force already alerted. The ladder walked when nobody acknowledges
(centre -> repeat -> backup centre, per department) is in :mod:`alert.domain.escalation`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from alert.domain import territory as where
from alert.domain.lifecycle import close
from alert.domain.model import Alert, Delivery, LadderRung, new_id
from alert.domain.territory import Territory
from alert.exceptions import AlertStateConflict, NotAddressed
from tgd_contracts.alert import (
    AlertClosed,
    AlertState,
    DispatchKind,
    InterventionResult,
    PartnerClosure,
    PartnerDispatch,
    Position,
    PositionStatus,
    QualificationOutcome,
    Recipient,
)
from tgd_contracts.base import Contract
from tgd_contracts.centres import BACKUP, CENTRE
from tgd_contracts.device import ForcesInformed, InformedUnit
from tgd_contracts.dossier import Dossier
from tgd_contracts.events import EventName
from tgd_contracts.partners import Audience, MessageKind, partner_routing_key

COMPETENT, COMMAND, ASSOCIATION = "competent", "command", "association"  # competent: her home's unit
OTHER_FORCE = "other_force"  # kept for records written before the directory's ladder
LADDER_STEPS = (CENTRE, BACKUP, COMMAND)  # one acknowledgement of these stops the escalation
FOLLOW_UP = (COMPETENT, ASSOCIATION)  # repeated, never escalated
UNROUTED = "unrouted"  # territory of the command queue when the device's department is unknown
WITHHELD = (PositionStatus.NO_CONSENT, PositionStatus.CONSENT_UNKNOWN)


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
    """No operations centre known: the command queue of her department (or ``unrouted``)."""
    territory = (alert.located.department if alert.located else None) or alert.device.department or UNROUTED
    return Recipient(audience=Audience.COMMAND, territory=territory, unit="any")


def association(alert: Alert) -> Recipient | None:
    j = alert.device.jurisdiction
    return Recipient(audience=Audience.ASSOCIATION, territory=j, unit="any") if j else None


def latest_position(alert: Alert) -> Position | None:
    """Her latest position, only when she consented (positions are kept only then)."""
    if alert.located is not None and alert.located.position_status in WITHHELD:
        return None
    return alert.positions[-1] if alert.positions else None


def message_for(alert: Alert, delivery: Delivery, dossier: Dossier | None) -> Outgoing:
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
        position=latest_position(alert),
        dossier=dossier,
        flags=alert.flags,
        position_status=alert.located.position_status if alert.located else None,
        located=alert.located,
    )
    kind = MessageKind.DISPATCH if delivery.kind == DispatchKind.DISPATCH else MessageKind.ESCALATION
    return Outgoing(EventName.PARTNER_DISPATCH, data, delivery.recipient, kind)


def deliver(
    alert: Alert, step: str, recipient: Recipient, kind: DispatchKind, now: datetime, rung: LadderRung | None = None
) -> Delivery:
    delivery = Delivery(
        dispatch_id=new_id(),
        step=step,
        recipient=recipient,
        name=rung.name if rung else None,
        phone=rung.phone if rung else None,
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


def dispatch(
    alert: Alert, now: datetime, dossier: Dossier | None, territory: Territory, *, automatic: bool = False
) -> list[Outgoing]:
    """Danger (or the failsafe): alert the operations centre where she is, her home's unit
    and the association, in parallel."""
    if alert.state not in (AlertState.RAISED, AlertState.TAKEN):
        return []
    alert.automatic = automatic
    alert.state = AlertState.DISPATCHED
    where.route(alert, now, territory)
    if alert.ladder:
        first = alert.ladder[0]
        deliveries = [deliver(alert, first.step, first.recipient, DispatchKind.DISPATCH, now, first)]
    else:
        deliveries = [deliver(alert, COMMAND, command_centre(alert), DispatchKind.DISPATCH, now)]
    if alert.device.competent is not None:
        deliveries.append(deliver(alert, COMPETENT, alert.device.competent, DispatchKind.DISPATCH, now))
    assoc = association(alert)
    if assoc is not None:
        deliveries.append(deliver(alert, ASSOCIATION, assoc, DispatchKind.DISPATCH, now))
    return [message_for(alert, d, dossier) for d in deliveries]


def redirect(alert: Alert, now: datetime, dossier: Dossier | None) -> list[Outgoing]:
    """No danger: the beneficiary is redirected to the association (réorientation)."""
    alert.state = AlertState.REDIRECTED
    assoc = association(alert)
    if assoc is None:
        alert.note(now, "system", "redirect-unrouted", "no jurisdiction known for this device")
        return []
    return [message_for(alert, deliver(alert, ASSOCIATION, assoc, DispatchKind.DISPATCH, now), dossier)]


def after_qualification(alert: Alert, now: datetime, dossier: Dossier | None, territory: Territory) -> list[Outgoing]:
    if alert.outcome == QualificationOutcome.DANGER:
        return dispatch(alert, now, dossier, territory)
    if alert.outcome == QualificationOutcome.NO_DANGER:
        return redirect(alert, now, dossier)
    return closed_messages(alert)  # test call or accidental press: closed by domain.qualify


def acknowledge(alert: Alert, dispatch_id: str, recipient: Recipient, now: datetime) -> bool:
    """Record an acknowledgement (accusé de réception) of a delivery made to this very
    recipient; anyone else is told the alert does not exist (:class:`NotAddressed`)."""
    for d in alert.deliveries:
        if d.dispatch_id == dispatch_id and d.recipient == recipient:
            if d.acknowledged_at is None:
                d.acknowledged_at = now
                alert.note(now, _actor(recipient), "acknowledged", d.step)
            return True
    raise NotAddressed()


def report_outcome(
    alert: Alert, recipient: Recipient, result: InterventionResult, note: str | None, now: datetime
) -> list[Outgoing]:
    """The report of a force the alert was dispatched to closes the alert with its outcome."""
    if recipient.audience == Audience.ASSOCIATION or all(d.recipient != recipient for d in alert.deliveries):
        raise NotAddressed()
    if not alert.is_open:
        raise AlertStateConflict("The alert is already closed; its outcome was recorded.")
    alert.note(now, _actor(recipient), "outcome", result.value)
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
