"""The association's follow-up contacts (pure): dated today or before, newest first,
the next contact due one interval after the last."""

from datetime import UTC, date, datetime, timedelta

import pytest

from referral.domain import follow_up
from referral.exceptions import InvalidRequest
from tgd_contracts.follow_up import FollowUpContact

TODAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 9, tzinfo=UTC)


def contact(on: date, nature="phone_call") -> FollowUpContact:
    return FollowUpContact(on=on, nature=nature, by="Intervenante fictive")


def test_a_contact_in_the_future_is_refused():
    assert follow_up.check_contact(contact(TODAY), TODAY).on == TODAY
    with pytest.raises(InvalidRequest):
        follow_up.check_contact(contact(TODAY + timedelta(days=1)), TODAY)


def test_contacts_newest_first_and_the_next_one_due_after_the_last():
    older = follow_up.recorded(contact(date(2026, 3, 1), "meeting"), "c-00000001", NOW)
    newer = follow_up.recorded(contact(date(2026, 3, 8)), "c-00000002", NOW)
    view = follow_up.view("r-1", "tj-moulins", [older, newer], interval=timedelta(days=15))
    assert [c.contact_id for c in view.contacts] == ["c-00000002", "c-00000001"]
    assert view.last_contact_on == date(2026, 3, 8)
    assert view.next_contact_due == date(2026, 3, 23)


def test_no_contact_yet_has_no_due_date():
    view = follow_up.view("r-1", "tj-moulins", [])
    assert (view.contacts, view.last_contact_on, view.next_contact_due) == ([], None, None)
