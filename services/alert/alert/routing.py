"""Who is alerted, with what (pure).

A dispatch goes to the force competent for the beneficiary's home (police or
gendarmerie, learnt from ``forces_informed``) and to the association of the
jurisdiction; without a known force, to the departmental command centre. Closing an
alert tells every partner addressed. The escalation ladder used when nobody
acknowledges (competent force -> other force -> command centre) is walked by
:mod:`alert.escalation`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from alert.domain import Alert, Delivery, close, new_id
from alert.exceptions import AlertStateConflict, NotAddressed
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
        position=alert.positions[-1] if alert.positions else None,
        dossier=dossier,
        flags=alert.flags,
    )
    kind = MessageKind.DISPATCH if delivery.kind == DispatchKind.DISPATCH else MessageKind.ESCALATION
    return Outgoing(EventName.PARTNER_DISPATCH, data, delivery.recipient, kind)


def deliver(alert: Alert, step: str, recipient: Recipient, kind: DispatchKind, now: datetime) -> Delivery:
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
    deliveries = [deliver(alert, first_step, ladder_recipient(alert, first_step), DispatchKind.DISPATCH, now)]
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


def after_qualification(alert: Alert, now: datetime, dossier: Dossier | None) -> list[Outgoing]:
    if alert.outcome == QualificationOutcome.DANGER:
        return dispatch(alert, now, dossier)
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
