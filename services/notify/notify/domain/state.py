"""The state of informing the forces (notices, their recipients and their wire form), pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from tgd_contracts.base import Contract
from tgd_contracts.force_notice import ForceAuthor, ForceBeneficiary, NoticePurpose
from tgd_contracts.notice import (
    AttributionNotice,
    NoticeEscalation,
    RecipientRole,
)
from tgd_contracts.partners import Audience, MessageKind, partner_routing_key
from tgd_contracts.release import AuthorRelease
from tgd_contracts.reminders import PartnerReminder
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
    purpose: NoticePurpose = NoticePurpose.ATTRIBUTION
    superseded: bool = False  # a later notice replaced it (she moved, the measure ended): no more re-sends
    beneficiary: ForceBeneficiary | None = None  # what this recipient is told (dropped at the end)
    author: ForceAuthor | None = None
    author_release: AuthorRelease | None = None
    previous_device_id: str | None = None  # device_replaced: her former terminal (lost or broken)

    @property
    def pending(self) -> bool:
        return self.acknowledged_at is None and not self.superseded

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
    status: str  # informing | informed | unroutable | ending | ended
    notices: tuple[Notice, ...] = ()
    informed_at: datetime | None = None
    escalated_at: datetime | None = None
    home_since: datetime | None = None  # provisioning, or her last move
    ended_at: datetime | None = None
    ended_because: str | None = None


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
        sip_registration_requested=n.audience == Audience.GENDARMERIE and n.purpose != NoticePurpose.MEASURE_ENDED,
        attempt=n.attempts,
        sent_at=now,
        purpose=n.purpose,
        beneficiary=n.beneficiary,
        author=n.author,
        ended_because=info.ended_because if n.purpose == NoticePurpose.MEASURE_ENDED else None,
        author_release=n.author_release,
        previous_device_id=n.previous_device_id,
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


def routing_key(name: str, data: Contract) -> str:
    """The ``tgd.partners`` routing key of a partner message."""
    if isinstance(data, AttributionNotice):
        return partner_routing_key(data.audience, data.department, data.unit_code, MessageKind.NOTICE)
    if isinstance(data, PartnerReminder):
        return partner_routing_key(data.audience, data.jurisdiction, data.unit, MessageKind.REMINDER)
    if isinstance(data, NoticeEscalation):
        return partner_routing_key(Audience.COMMAND, data.department, None, MessageKind.ESCALATION)
    raise ValueError(f"{name} is not a partner message")
