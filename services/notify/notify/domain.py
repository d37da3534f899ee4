"""Informing the forces of an attribution (seed 002 §D; seed 001 actions 8 and 11), pure.

On ``device_provisioned``: a notice to the unit competent for the beneficiary's home
(police or gendarmerie zone, by INSEE code) and one to the other force's departmental
directorate; the gendarmerie is asked to register the beneficiary in its SIP base.
Each recipient acknowledges; when all have, ``forces_informed``. A notice not
acknowledged is re-sent every ``resend_after`` and escalated to the departmental
command centre after ``escalate_after``. An unknown commune is escalated at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from notify.directory import Directory, ForceUnit, other_force
from notify.exceptions import NoticeNotFound
from tgd_contracts.base import Contract
from tgd_contracts.device import DeviceProvisioned, ForcesInformed, InformedUnit
from tgd_contracts.events import EventName
from tgd_contracts.notice import (
    AttributionNotice,
    InformationView,
    NoticeAcknowledgement,
    NoticeEscalation,
    NoticeView,
    RecipientRole,
)
from tgd_contracts.partners import Audience, MessageKind, partner_routing_key
from tgd_servicekit.durations import Period

NOTICE = "attribution_notice"
ESCALATION = "notice_escalation"
Message = tuple[str, Contract]  # (event or partner-message name, data)


@dataclass(frozen=True)
class Policy:
    resend_after: Period
    escalate_after: Period


class Notice(BaseModel):
    model_config = ConfigDict(frozen=True)
    notice_id: str
    audience: Audience
    department: str
    unit_code: str
    unit_name: str
    role: RecipientRole
    first_sent_at: datetime
    last_sent_at: datetime
    attempts: int = 1
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    escalated_at: datetime | None = None
    sip_registration: str | None = None  # gendarmerie: requested -> registered

    @property
    def routing_key(self) -> str:
        return partner_routing_key(self.audience, self.department, self.unit_code, MessageKind.NOTICE)


class Information(BaseModel):
    model_config = ConfigDict(frozen=True)
    attribution_id: str
    device_id: str
    jurisdiction: str
    department: str
    home_insee_code: str
    status: str  # informing | informed | unroutable
    notices: tuple[Notice, ...] = ()
    informed_at: datetime | None = None
    escalated_at: datetime | None = None


def notice_message(info: Information, n: Notice, now: datetime) -> Message:
    return NOTICE, AttributionNotice(
        notice_id=n.notice_id,
        attribution_id=info.attribution_id,
        device_id=info.device_id,
        jurisdiction=info.jurisdiction,
        audience=n.audience,
        department=n.department,
        unit_code=n.unit_code,
        role=n.role,
        sip_registration_requested=n.audience == Audience.GENDARMERIE,
        attempt=n.attempts,
        sent_at=now,
    )


def escalation(info: Information, audience: Audience, unit_code: str, notice_id: str, first: datetime) -> Message:
    return ESCALATION, NoticeEscalation(
        notice_id=notice_id,
        attribution_id=info.attribution_id,
        audience=audience,
        department=info.department,
        unit_code=unit_code,
        first_sent_at=first,
    )


def inform(
    event: DeviceProvisioned, directory: Directory, now: datetime, new_id: Callable[[], str]
) -> tuple[Information, list[Message]]:
    """The notices for a provisioned device, or an immediate escalation if the commune is unknown."""
    base = {
        "attribution_id": event.attribution_id,
        "device_id": event.device_id,
        "jurisdiction": event.jurisdiction,
        "department": event.department,
        "home_insee_code": event.home_insee_code,
    }
    commune = directory.commune(event.home_insee_code)
    if commune is None:
        info = Information(**base, status="unroutable", escalated_at=now)
        return info, [escalation(info, Audience.COMMAND, "unknown-commune", new_id(), now)]
    targets: list[tuple[ForceUnit, RecipientRole]] = [(commune.unit, RecipientRole.COMPETENT)]
    other = directory.directorate(commune.department, other_force(commune.unit.audience))
    if other is not None:
        targets.append((other, RecipientRole.OTHER_FORCE))
    notices = tuple(
        Notice(
            notice_id=new_id(),
            audience=unit.audience,
            department=unit.department,
            unit_code=unit.code,
            unit_name=unit.name,
            role=role,
            first_sent_at=now,
            last_sent_at=now,
            sip_registration="requested" if unit.audience == Audience.GENDARMERIE else None,
        )
        for unit, role in targets
    )
    info = Information(**base, status="informing", notices=notices)
    return info, [notice_message(info, n, now) for n in notices]


def acknowledge(
    info: Information,
    notice_id: str,
    ack: NoticeAcknowledgement,
    now: datetime,
    addressee: tuple[str, str] | None = None,
) -> tuple[Information, list[Message]]:
    """Accusé de réception by the addressed unit; the last one makes ``forces_informed``.
    ``addressee`` (audience, department), when the routing key of an AMQP reply gave it,
    must be the notice's too."""
    found = next(
        (
            n
            for n in info.notices
            if n.notice_id == notice_id
            and n.unit_code == ack.unit_code
            and (addressee is None or (n.audience.value, n.department) == addressee)
        ),
        None,
    )
    if found is None:
        raise NoticeNotFound()
    if found.acknowledged_at is not None:
        return info, []  # a repeated acknowledgement changes nothing
    sip = "registered" if found.sip_registration and ack.sip_registered else found.sip_registration
    updated = found.model_copy(
        update={"acknowledged_at": now, "acknowledged_by": ack.acknowledged_by, "sip_registration": sip}
    )
    notices = tuple(updated if n.notice_id == notice_id else n for n in info.notices)
    changed = info.model_copy(update={"notices": notices})
    if any(n.acknowledged_at is None for n in notices) or info.status != "informing":
        return changed, []
    changed = changed.model_copy(update={"status": "informed", "informed_at": now})
    units = [
        InformedUnit(audience=n.audience, department=n.department, unit_code=n.unit_code, unit_name=n.unit_name)
        for n in notices
    ]
    competent = [u for u, n in zip(units, notices, strict=True) if n.role == RecipientRole.COMPETENT]
    others = [u for u, n in zip(units, notices, strict=True) if n.role != RecipientRole.COMPETENT]
    event = ForcesInformed(
        attribution_id=info.attribution_id,
        device_id=info.device_id,
        jurisdiction=info.jurisdiction,
        competent=competent[0],
        also_informed=others,
        acknowledged_at=now,
    )
    return changed, [(EventName.FORCES_INFORMED.value, event)]


def tick(info: Information, now: datetime, policy: Policy) -> tuple[Information, list[Message]]:
    """Re-send what is not acknowledged; escalate what stays unacknowledged too long."""
    if info.status != "informing":
        return info, []
    messages: list[Message] = []
    notices = []
    for n in info.notices:
        if n.acknowledged_at is None:
            if n.escalated_at is None and now >= policy.escalate_after.after(n.first_sent_at):
                messages.append(escalation(info, n.audience, n.unit_code, n.notice_id, n.first_sent_at))
                n = n.model_copy(update={"escalated_at": now})
            if now >= policy.resend_after.after(n.last_sent_at):
                n = n.model_copy(update={"attempts": n.attempts + 1, "last_sent_at": now})
                messages.append(notice_message(info, n, now))
        notices.append(n)
    return info.model_copy(update={"notices": tuple(notices)}), messages


def next_deadline(info: Information, policy: Policy) -> datetime | None:
    """When :func:`tick` has something to do next (stored, so the timer queries only what is due)."""
    if info.status != "informing":
        return None
    times = []
    for n in info.notices:
        if n.acknowledged_at is None:
            times.append(policy.resend_after.after(n.last_sent_at))
            if n.escalated_at is None:
                times.append(policy.escalate_after.after(n.first_sent_at))
    return min(times, default=None)


def routing_key(name: str, data: Contract) -> str:
    """The ``tgd.partners`` routing key of a partner message."""
    if isinstance(data, AttributionNotice):
        return partner_routing_key(data.audience, data.department, data.unit_code, MessageKind.NOTICE)
    if isinstance(data, NoticeEscalation):
        return partner_routing_key(Audience.COMMAND, data.department, None, MessageKind.ESCALATION)
    raise ValueError(f"{name} is not a partner message")


def view(info: Information) -> InformationView:
    return InformationView(
        attribution_id=info.attribution_id,
        status=info.status,
        notices=[
            NoticeView(
                notice_id=n.notice_id,
                attribution_id=info.attribution_id,
                audience=n.audience,
                department=n.department,
                unit_code=n.unit_code,
                unit_name=n.unit_name,
                role=n.role,
                routing_key=n.routing_key,
                attempts=n.attempts,
                acknowledged_at=n.acknowledged_at,
                escalated_at=n.escalated_at,
                sip_registration=n.sip_registration,
            )
            for n in info.notices
        ],
    )
