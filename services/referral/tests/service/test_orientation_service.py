"""Orientations and contact details through the service: recorded once per id, bad input
refused with nothing stored, the contacts encrypted at rest, never logged, purged with the
referral; a 1.0 body keeps its fingerprint."""

import logging

import mongoengine
import pytest

from referral import domain
from referral.exceptions import InvalidRequest, OrientationRecorded, ReferralNotFound
from referral.models import ReferralDocument
from tgd_contracts.referral import ReferralSubmission

from .test_service import NOW, body, service  # noqa: F401  (fixture)

TODAY = NOW.date().isoformat()
SAFE = {"phone": "+33 6 00 00 00 01", "safe_times": "en semaine 9h-11h (fictif)", "message_allowed": False}
REFERRER = {"name": "Signalante Fictive", "service": "Service social fictif", "email": "fictive@exemple.invalid"}
ORIENTATION = {"kind": "complaint", "on": TODAY, "recorded_by": "Intervenante fictive"}


def raw(referral_id):
    return mongoengine.get_db("referral").referrals.find_one({"_id": referral_id})


def test_the_contacts_given_with_the_referral_are_stored_encrypted_and_read_back(service, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    result = service.submit_referral("key-00000001", body(safe_contact=SAFE, referrer_contact=REFERRER))
    referral_id = result["referral"]["id"]
    read = service.get_referral(referral_id)
    assert read["safe_contact"] == SAFE
    assert read["referrer_contact"] == {**REFERRER, "phone": None}
    stored = str(raw(referral_id))
    for secret in ("00 00 00 01", "9h-11h", "Signalante Fictive", "fictive@exemple", "Service social fictif"):
        assert secret not in stored
        assert secret not in caplog.text
    assert "00 00 00 01" not in str(service.events.published[0].model_dump())  # the event carries no contact


def test_a_1_0_body_keeps_its_fingerprint(service):  # noqa: F811
    import hashlib
    import json

    old = ReferralSubmission.model_validate(body()).to_wire()
    for later in domain.LATER_FIELDS:
        old.pop(later)
    expected = hashlib.sha256(json.dumps(old, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    assert domain.fingerprint(ReferralSubmission.model_validate(body())) == expected
    first = service.submit_referral("key-00000001", body())
    assert service.submit_referral("key-00000001", body())["referral"]["id"] == first["referral"]["id"]


def test_the_association_updates_one_contact_and_keeps_the_other(service):  # noqa: F811
    referral_id = service.submit_referral("key-00000001", body(referrer_contact=REFERRER))["referral"]["id"]
    view = service.set_contact_details(referral_id, {"safe_contact": SAFE})
    assert view["safe_contact"] == SAFE
    assert view["referrer_contact"]["name"] == "Signalante Fictive"
    assert "00 00 00 01" not in str(raw(referral_id))


@pytest.mark.parametrize(
    "bad",
    [
        {},
        {"safe_contact": {**SAFE, "phone": "call me"}},
        {"safe_contact": {**SAFE, "message_allowed": "yes"}},
        {"referrer_contact": {"name": "X", "service": "Y"}},  # neither phone nor e-mail
        {"referrer_contact": {**REFERRER, "email": "not-an-address"}},
    ],
)
def test_bad_contact_details_are_refused_and_nothing_changes(service, bad):  # noqa: F811
    referral_id = service.submit_referral("key-00000001", body(safe_contact=SAFE))["referral"]["id"]
    before = raw(referral_id)
    with pytest.raises(InvalidRequest):
        service.set_contact_details(referral_id, bad)
    assert raw(referral_id) == before


def test_an_orientation_is_recorded_once_per_id_with_who_recorded_it(service):  # noqa: F811
    referral_id = service.submit_referral("key-00000001", body())["referral"]["id"]
    service.record_orientation(referral_id, "orientation-01", "association", ORIENTATION)
    view = service.record_orientation(referral_id, "orientation-01", "association", ORIENTATION)  # a retry
    assert [(o["kind"], o["recorded_as"]) for o in view["orientations"]] == [("complaint", "association")]
    view = service.record_orientation(referral_id, "orientation-02", "parquet", {**ORIENTATION, "kind": "evaluation"})
    assert {o["kind"] for o in view["orientations"]} == {"complaint", "evaluation"}
    assert service.orientations(referral_id)["jurisdiction"] == "tj-montlucon"
    assert "Intervenante fictive" not in str(raw(referral_id))


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        ({**ORIENTATION, "kind": "telepathy"}, InvalidRequest),
        ({**ORIENTATION, "on": "2999-01-01"}, InvalidRequest),
        ({**ORIENTATION, "on": "2020-01-01"}, InvalidRequest),  # before the referral
        ({**ORIENTATION, "extra": 1}, InvalidRequest),
        ({"kind": "complaint"}, InvalidRequest),
    ],
)
def test_bad_orientations_are_refused_and_nothing_is_stored(service, bad, error):  # noqa: F811
    referral_id = service.submit_referral("key-00000001", body())["referral"]["id"]
    with pytest.raises(error):
        service.record_orientation(referral_id, "orientation-01", "association", bad)
    with pytest.raises(InvalidRequest):
        service.record_orientation(referral_id, "orientation-01", "police", ORIENTATION)
    with pytest.raises(InvalidRequest):
        service.record_orientation(referral_id, "short", "association", ORIENTATION)
    assert service.orientations(referral_id)["orientations"] == []


def test_the_same_orientation_twice_is_a_conflict(service):  # noqa: F811
    referral_id = service.submit_referral("key-00000001", body())["referral"]["id"]
    service.record_orientation(referral_id, "orientation-01", "association", ORIENTATION)
    with pytest.raises(OrientationRecorded):
        service.record_orientation(referral_id, "orientation-02", "parquet", ORIENTATION)
    assert len(service.orientations(referral_id)["orientations"]) == 1


def test_an_unknown_or_purged_referral_has_none(service):  # noqa: F811
    with pytest.raises(ReferralNotFound):
        service.record_orientation("0" * 32, "orientation-01", "association", ORIENTATION)
    with pytest.raises(ReferralNotFound):
        service.set_contact_details("0" * 32, {"safe_contact": SAFE})
    referral_id = service.submit_referral("key-00000001", body(safe_contact=SAFE))["referral"]["id"]
    service.record_orientation(referral_id, "orientation-01", "association", ORIENTATION)
    assert service.referrals.anonymise(referral_id, NOW)
    doc = raw(referral_id)
    assert "safe_contact" not in doc
    assert "referrer_contact" not in doc
    assert "orientations" not in doc
    with pytest.raises(ReferralNotFound):
        service.orientations(referral_id)
    with pytest.raises(ReferralNotFound):
        service.set_contact_details(referral_id, {"safe_contact": SAFE})
    assert ReferralDocument.objects.count() == 1


def test_a_concurrent_entry_of_the_same_orientation_is_refused_by_the_write_itself(service):  # noqa: F811
    from referral.domain import orientation
    from referral.repository import details
    from tgd_contracts.orientation import Orientation, RecorderAudience

    referral_id = service.submit_referral("key-00000001", body())["referral"]["id"]
    first = orientation.recorded(Orientation(**ORIENTATION), "orientation-01", RecorderAudience.ASSOCIATION, NOW)
    second = orientation.recorded(Orientation(**ORIENTATION), "orientation-02", RecorderAudience.PARQUET, NOW)
    assert details.add_orientation(referral_id, first)
    assert not details.add_orientation(referral_id, second)  # passed the check before the first was written
    assert not details.add_orientation(referral_id, first)  # a retry
    other_day = orientation.recorded(
        Orientation(**{**ORIENTATION, "kind": "evaluation"}), "orientation-03", RecorderAudience.PARQUET, NOW
    )
    assert details.add_orientation(referral_id, other_day)
    assert len(service.orientations(referral_id)["orientations"]) == 2
