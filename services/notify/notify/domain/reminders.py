"""Reminders (rappels) to the partners who must act, pure (docs/lifecycle.md, deadlines).

Each deadline event of the other services becomes one reminder per audience:

==================== =========================== ====================================
event                reminder                    audiences
==================== =========================== ====================================
test_call_due        test_call_due               association
test_call_overdue    test_call_overdue           association
requisition_overdue  requisition_overdue         parquet, association
attribution_expiring measure_ending              parquet, association
evaluation_completed renewal_to_decide           parquet, association (renewal only)
device_out_of_stock  out_of_stock                parquet, teleassistance
(author's release)   author_released             parquet, the association, the BAV
==================== =========================== ====================================

The author's release is reported over RPC (by the SPIP or the parquet), not by an event:
the reporter is not reminded of what it reported; the association following her
acknowledges it with the day she was told.

A reminder's id derives from the event's ``source`` + ``id`` and the audience, so a
replayed event makes no second reminder. It goes out on ``tgd.partners`` as
``partner_reminder`` (``<audience>.<jurisdiction>.any.reminder``) and stays listed,
pending, until the partner acknowledges it.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

from pydantic import ConfigDict

from tgd_contracts.partners import Audience, MessageKind, partner_routing_key
from tgd_contracts.release import AuthorRelease
from tgd_contracts.reminders import PartnerReminder, ReminderKind, ReminderView

K, A = ReminderKind, Audience
#: event name -> (reminder kind, audiences, the event's field holding the deadline)
RULES: dict[str, tuple[ReminderKind, tuple[Audience, ...], str | None]] = {
    "test_call_due": (K.TEST_CALL_DUE, (A.ASSOCIATION,), "due_at"),
    "test_call_overdue": (K.TEST_CALL_OVERDUE, (A.ASSOCIATION,), "due_at"),
    "requisition_overdue": (K.REQUISITION_OVERDUE, (A.PARQUET, A.ASSOCIATION), None),
    "attribution_expiring": (K.MEASURE_ENDING, (A.PARQUET, A.ASSOCIATION), "ends_at"),
    "evaluation_completed": (K.RENEWAL_TO_DECIDE, (A.PARQUET, A.ASSOCIATION), None),
    "device_out_of_stock": (K.OUT_OF_STOCK, (A.PARQUET, A.TELEASSISTANCE), None),
}
REMINDER = "partner_reminder"


class Reminder(PartnerReminder):
    """The message sent to the partner, and its acknowledgement (stored: unknown keys ignored)."""

    model_config = ConfigDict(extra="ignore")
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    beneficiary_informed_on: date | None = None

    @property
    def routing_key(self) -> str:
        return partner_routing_key(self.audience, self.jurisdiction, self.unit, MessageKind.REMINDER)


def reminder_id(source: str, event_id: str, audience: Audience) -> str:
    return hashlib.sha256(f"{source}|{event_id}|{audience}".encode()).hexdigest()[:32]


def reminders_for(event_name: str, data: Any, source: str, event_id: str, now: datetime) -> list[Reminder]:
    """The reminders an event makes (none for an initial evaluation)."""
    rule = RULES.get(event_name)
    if rule is None or (event_name == "evaluation_completed" and str(data.purpose) != "renewal"):
        return []
    kind, audiences, deadline = rule
    return [
        Reminder(
            reminder_id=reminder_id(source, event_id, audience),
            kind=kind,
            audience=audience,
            jurisdiction=data.jurisdiction,
            referral_id=getattr(data, "referral_id", None),
            attribution_id=getattr(data, "attribution_id", None),
            device_id=getattr(data, "device_id", None),
            due_at=getattr(data, deadline) if deadline else None,
            raised_at=now,
        )
        for audience in audiences
    ]


def release_reminders(
    attribution_id: str, jurisdiction: str, association: str | None, release: AuthorRelease, now: datetime
) -> list[Reminder]:
    """The author's release: to the parquet, the association following her (its own key
    when known) and the victims' office, not to the one who reported it."""
    audiences = [a for a in (A.PARQUET, A.ASSOCIATION, A.BAV) if a.value != release.source]
    event_id = f"{attribution_id}|{release.kind}|{release.released_on.isoformat()}"
    return [
        Reminder(
            reminder_id=reminder_id("author-release", event_id, audience),
            kind=K.AUTHOR_RELEASED,
            audience=audience,
            jurisdiction=jurisdiction,
            attribution_id=attribution_id,
            raised_at=now,
            unit=association if audience == A.ASSOCIATION else None,
            author_release=release,
        )
        for audience in audiences
    ]


def message(r: Reminder) -> tuple[str, PartnerReminder]:
    fields = r.model_dump(exclude={"acknowledged_at", "acknowledged_by", "beneficiary_informed_on"})
    return REMINDER, PartnerReminder(**fields)


def acknowledge(r: Reminder, by: str, now: datetime, informed_on: date | None = None) -> Reminder:
    """Pris en compte; acknowledging again changes nothing. ``informed_on``: the day the
    association told her of the author's release (only there)."""
    if informed_on is not None and (r.kind != K.AUTHOR_RELEASED or r.audience != A.ASSOCIATION):
        raise ValueError("Only the association records that she was told, on an author_released reminder.")
    if r.acknowledged_at is not None:
        return r
    return r.model_copy(update={"acknowledged_at": now, "acknowledged_by": by, "beneficiary_informed_on": informed_on})


def addressed_to(r: Reminder, unit: str | None) -> bool:
    """A partner naming its unit (an association among several of a court) sees what is
    addressed to its whole audience, or to it; without a unit, everything of its audience."""
    return unit is None or r.unit is None or r.unit == unit


def view(r: Reminder) -> ReminderView:
    return ReminderView(**r.model_dump())
