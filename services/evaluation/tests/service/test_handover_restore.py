"""A measure handed over by another operator: restored through the service (encrypted at
rest, this platform's deadlines, no event), the same part again changes nothing, another
measure under the same id is refused with nothing written."""

import mongoengine
import pytest

from tgd_servicekit.handover_restore import RestoreConflict, RestoreRefused

from .test_service import granted, service  # noqa: F401  (fixture)


def raw():
    return mongoengine.get_db("evaluation").measures.find_one({"_id": "ref-001"})


def exported(service):  # noqa: F811
    """The outgoing operator's measure part, then its store emptied (the receiving platform)."""
    granted(service)
    part = service.measure_evidence("ref-001")
    before = raw()
    mongoengine.get_db("evaluation").measures.delete_many({})
    service.events.published.clear()
    return part, before


def test_a_measure_in_progress_is_restored_and_carries_on(service):  # noqa: F811
    part, before = exported(service)
    assert service.restore_handover(part) == {"referral_id": "ref-001", "outcome": "restored"}
    view = service.get_measure("ref-001")
    assert view["status"] == "active"
    assert service.get_attribution(view["attribution_id"])["referral_id"] == "ref-001"
    stored = raw()
    assert stored["next_deadline_at"] == before["next_deadline_at"]  # the reminder and expiry still come
    assert stored["ends_at"] == before["ends_at"]
    assert "Fictive" not in str(stored["state"])
    assert stored["reports"]
    assert service.measure_evidence("ref-001")["records"] == part["records"]
    assert service.events.published == []


def test_the_same_part_twice_changes_nothing(service):  # noqa: F811
    part, _ = exported(service)
    service.restore_handover(part)
    first = raw()
    assert service.restore_handover(part)["outcome"] == "unchanged"
    assert raw() == first


def test_another_measure_under_the_same_id_is_refused_and_nothing_changes(service):  # noqa: F811
    part, _ = exported(service)
    service.restore_handover(part)
    first = raw()
    other = {**part, "records": {**part["records"], "reports": []}}
    with pytest.raises(RestoreConflict):
        service.restore_handover(other)
    assert raw() == first


@pytest.mark.parametrize(
    "bad",
    [None, {"service": "referral", "records": {}}, {"service": "evaluation", "records": {"measure": {}}}],
)
def test_a_part_that_is_not_a_measure_part_is_refused(service, bad):  # noqa: F811
    with pytest.raises(RestoreRefused):
        service.restore_handover(bad)
    assert mongoengine.get_db("evaluation").measures.count_documents({}) == 0
