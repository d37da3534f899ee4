"""The association's follow-up of a beneficiary (pure): a contact is dated today or
before, and the next contact is due one interval after the last one (a periodic
reminder on the association's screen)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from referral.exceptions import InvalidRequest
from tgd_contracts.follow_up import FollowUpContact, FollowUpPage, FollowUpSummary, FollowUpView, RecordedContact

DEFAULT_INTERVAL = timedelta(days=15)  # as often as her test calls (seed 002 §D)


def check_contact(contact: FollowUpContact, today: date) -> FollowUpContact:
    if contact.on > today:
        raise InvalidRequest("A follow-up contact is recorded once it happened (its date is not in the future).")
    return contact


def recorded(contact: FollowUpContact, contact_id: str, now: datetime) -> RecordedContact:
    return RecordedContact(**contact.model_dump(), contact_id=contact_id, recorded_at=now)


def view(
    referral_id: str, jurisdiction: str, contacts: Iterable[RecordedContact], interval: timedelta = DEFAULT_INTERVAL
) -> FollowUpView:
    ordered = sorted(contacts, key=lambda c: (c.on, c.recorded_at), reverse=True)
    last = ordered[0].on if ordered else None
    return FollowUpView(
        referral_id=referral_id,
        jurisdiction=jurisdiction,
        contacts=ordered,
        last_contact_on=last,
        next_contact_due=last + interval if last else None,
    )


def page(
    jurisdiction: str, referral_ids: Iterable[str], latest: dict[str, str], interval: timedelta = DEFAULT_INTERVAL
) -> FollowUpPage:
    """Each referral's last contact and the next one due (None: no contact yet)."""
    items = []
    for referral_id in referral_ids:
        last = date.fromisoformat(latest[referral_id]) if referral_id in latest else None
        items.append(FollowUpSummary(referral_id=referral_id, last_contact_on=last,
                                     next_contact_due=last + interval if last else None))  # fmt: skip
    return FollowUpPage(jurisdiction=jurisdiction, items=items)
