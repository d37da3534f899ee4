"""A referral handed over by another operator: restored through the service (encrypted at
rest with this platform's keys, no event), the same part again changes nothing, another
referral under the same id is refused with nothing written."""

import mongoengine
import pytest

from tgd_servicekit.handover_restore import RestoreConflict, RestoreRefused

from .test_service import body, service  # noqa: F401  (fixture)

SAFE = {"phone": "+33 6 00 00 00 01", "safe_times": "le matin (fictif)", "message_allowed": False}


def exported(service):  # noqa: F811
    """The outgoing operator's referral part, then its store emptied (the receiving platform)."""
    referral_id = service.submit_referral("key-00000001", body(safe_contact=SAFE))["referral"]["id"]
    part = service.referral_evidence(referral_id)
    mongoengine.get_db("referral").referrals.delete_many({})
    service.events.published.clear()
    return referral_id, part


def test_a_referral_is_restored_encrypted_without_an_event_and_reads_back(service):  # noqa: F811
    referral_id, part = exported(service)
    assert service.restore_handover(part, "a" * 32) == {"referral_id": referral_id, "outcome": "restored"}
    assert service.get_referral(referral_id) == part["records"]["referral"]
    raw = str(mongoengine.get_db("referral").referrals.find_one({"_id": referral_id}))
    assert "EXEMPLE" not in raw
    assert "00 00 00 01" not in raw
    assert service.events.published == []  # no referral_received: no new evaluation
    assert service.referrals.basis(referral_id)[1].attribution_id == "a" * 32


def test_the_same_part_twice_changes_nothing(service):  # noqa: F811
    referral_id, part = exported(service)
    service.restore_handover(part)
    before = mongoengine.get_db("referral").referrals.find_one({"_id": referral_id})
    assert service.restore_handover(part)["outcome"] == "unchanged"
    assert mongoengine.get_db("referral").referrals.find_one({"_id": referral_id}) == before


def test_another_referral_under_the_same_id_is_refused_and_nothing_changes(service):  # noqa: F811
    referral_id, part = exported(service)
    service.restore_handover(part)
    before = mongoengine.get_db("referral").referrals.find_one({"_id": referral_id})
    other = {**part, "records": {"referral": {**part["records"]["referral"], "facts": "Autres faits fictifs."}}}
    with pytest.raises(RestoreConflict):
        service.restore_handover(other)
    assert mongoengine.get_db("referral").referrals.find_one({"_id": referral_id}) == before


@pytest.mark.parametrize("bad", [None, {"service": "device", "records": {}}, {"service": "referral", "records": {}}])
def test_a_part_that_is_not_a_referral_part_is_refused(service, bad):  # noqa: F811
    with pytest.raises(RestoreRefused):
        service.restore_handover(bad)
    assert mongoengine.get_db("referral").referrals.count_documents({}) == 0


def test_a_malformed_referral_is_refused(service):  # noqa: F811
    _, part = exported(service)
    part["records"]["referral"]["urgency"] = "whenever"
    with pytest.raises(RestoreRefused):
        service.restore_handover(part)
    assert mongoengine.get_db("referral").referrals.count_documents({}) == 0
