"""Follow-up contacts through the service: recorded once per contact id, encrypted at
rest, refused for an unknown referral or bad input (nothing stored), purged with the
referral's personal data."""

import mongoengine
import pytest

from referral.exceptions import InvalidRequest, ReferralNotFound
from referral.models import FollowUpContactDocument

from .test_service import NOW, body, service  # noqa: F401  (fixture)

CONTACT = {
    "on": NOW.date().isoformat(),
    "nature": "home_visit",
    "by": "Intervenante fictive",
    "notes": "Notes fictives.",
}


def test_a_contact_is_recorded_once_per_contact_id(service):  # noqa: F811
    referral_id = service.submit_referral("key-00000001", body())["referral"]["id"]
    service.record_contact(referral_id, "contact-0001", CONTACT)
    view = service.record_contact(referral_id, "contact-0001", CONTACT)
    assert [c["nature"] for c in view["contacts"]] == ["home_visit"]
    assert view["jurisdiction"] == "tj-montlucon"
    assert view["next_contact_due"] is not None
    raw = mongoengine.get_db("referral").follow_up_contacts.find_one()
    assert "Notes fictives." not in str(raw)
    assert "Intervenante fictive" not in str(raw)


@pytest.mark.parametrize(
    "bad",
    [{**CONTACT, "nature": "telepathy"}, {**CONTACT, "on": "2999-01-01"}, {**CONTACT, "extra": 1}, {"on": "x"}],
)
def test_bad_input_is_refused_and_nothing_is_stored(service, bad):  # noqa: F811
    referral_id = service.submit_referral("key-00000001", body())["referral"]["id"]
    with pytest.raises(InvalidRequest):
        service.record_contact(referral_id, "contact-0001", bad)
    assert FollowUpContactDocument.objects.count() == 0


def test_an_unknown_referral_has_no_follow_up(service):  # noqa: F811
    with pytest.raises(ReferralNotFound):
        service.record_contact("0" * 32, "contact-0001", CONTACT)
    with pytest.raises(ReferralNotFound):
        service.follow_up("0" * 32)
    assert FollowUpContactDocument.objects.count() == 0


def test_the_contacts_are_purged_with_the_referral(service):  # noqa: F811
    referral_id = service.submit_referral("key-00000001", body())["referral"]["id"]
    service.record_contact(referral_id, "contact-0001", CONTACT)
    assert service.referrals.anonymise(referral_id, NOW)
    assert FollowUpContactDocument.objects(referral_id=referral_id).count() == 0


def test_the_follow_ups_of_a_court_leave_out_another_court_s_referrals(service):  # noqa: F811
    mine = service.submit_referral("key-00000001", body())["referral"]["id"]
    quiet = service.submit_referral("key-00000002", body())["referral"]["id"]
    other = service.submit_referral("key-00000003", body(jurisdiction="tj-paris"))["referral"]["id"]
    service.record_contact(mine, "contact-0001", CONTACT)
    page = service.follow_ups("tj-montlucon", [mine, quiet, other])
    assert [i["referral_id"] for i in page["items"]] == [mine, quiet]
    assert page["items"][0]["last_contact_on"] == CONTACT["on"]
    assert page["items"][1]["next_contact_due"] is None  # no contact yet: to call
    with pytest.raises(InvalidRequest):
        service.follow_ups("tj-montlucon", "not-a-list")
