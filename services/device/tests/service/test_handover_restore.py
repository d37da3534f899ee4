"""A court's terminals and an assignment handed over by another operator: restored
through the service (the fiche encrypted at rest, this platform's deadlines), the routing
facts re-emitted for the alert read model, the same records again change nothing, other
content under the same ids is refused with nothing written."""

import mongoengine
import pytest

from tgd_servicekit.handover_restore import RestoreConflict, RestoreRefused

from ..factories import BENEFICIARY_CALL, OPERATOR_CALL, registration
from .test_service import provisioned, service  # noqa: F401  (fixture)


def db():
    return mongoengine.get_db("device")


def exported(service):  # noqa: F811
    """The outgoing operator's terminals and device part (an active measure), then its
    store emptied (the receiving platform)."""
    device_id = provisioned(service)["device_id"]
    service.add_device(registration(2))  # one in stock
    service.record_test_call(device_id, OPERATOR_CALL)
    service.record_test_call(device_id, BENEFICIARY_CALL)
    terminals = service.handover_terminals("tj-moulins")["items"]
    part = service.assignment_evidence("att-1")
    before = db().assignments.find_one({"_id": "att-1"})
    db().devices.delete_many({})
    db().assignments.delete_many({})
    service.events.published.clear()
    return device_id, terminals, part, before


def test_terminals_then_the_assignment_are_restored_and_her_routing_facts_re_emitted(service):  # noqa: F811
    device_id, terminals, part, before = exported(service)
    assert service.restore_terminals("tj-moulins", terminals) == {"restored": 2, "unchanged": 0}
    assert service.restore_handover(part) == {"attribution_id": "att-1", "outcome": "restored"}
    assert [d["state"] for d in service.list_stock("tj-moulins")["items"]] == ["active", "in_stock"]
    assert service.handover_terminals("tj-moulins")["items"] == terminals
    assert service.assignment_evidence("att-1")["records"] == part["records"]
    stored = db().assignments.find_one({"_id": "att-1"})
    assert stored["next_deadline_at"] == before["next_deadline_at"]  # the 15-day test call still watched
    assert "Fictive" not in str(stored["state"])
    assert service.get_dossier(device_id)["attribution_id"] == "att-1"  # what the alert read model fetches
    assert service.events.names() == ["device_provisioned", "device_activated"]
    provisioned_event = service.events.published[0].data
    assert (provisioned_event["device_id"], provisioned_event["department"]) == (device_id, "03")


def test_the_same_records_twice_change_nothing_and_emit_nothing(service):  # noqa: F811
    _, terminals, part, _ = exported(service)
    service.restore_terminals("tj-moulins", terminals)
    service.restore_handover(part)
    first = (list(db().devices.find()), db().assignments.find_one({"_id": "att-1"}))
    service.events.published.clear()
    assert service.restore_terminals("tj-moulins", terminals) == {"restored": 0, "unchanged": 2}
    assert service.restore_handover(part)["outcome"] == "unchanged"
    assert (list(db().devices.find()), db().assignments.find_one({"_id": "att-1"})) == first
    assert service.events.published == []


def test_other_content_under_the_same_ids_is_refused_and_nothing_changes(service):  # noqa: F811
    _, terminals, part, _ = exported(service)
    service.restore_terminals("tj-moulins", terminals[:1])
    service.restore_handover(part)
    first = (list(db().devices.find()), db().assignments.find_one({"_id": "att-1"}))
    changed = [{**terminals[0], "brand": "Autre"}, terminals[1]]
    with pytest.raises(RestoreConflict):  # the second, new one is not written either
        service.restore_terminals("tj-moulins", changed)
    same_imei = [terminals[0], {**terminals[1], "imei": terminals[0]["imei"]}]
    with pytest.raises(RestoreConflict):
        service.restore_terminals("tj-moulins", same_imei)
    other = {**part, "records": {**part["records"], "assignment": {**part["records"]["assignment"], "wiped": True}}}
    with pytest.raises(RestoreConflict):
        service.restore_handover(other)
    assert (list(db().devices.find()), db().assignments.find_one({"_id": "att-1"})) == first


def test_bad_parts_are_refused_and_nothing_is_written(service):  # noqa: F811
    _, terminals, part, _ = exported(service)
    with pytest.raises(RestoreRefused):
        service.restore_terminals("tj-paris", terminals)  # another court's terminals
    with pytest.raises(RestoreRefused):
        service.restore_terminals("tj-moulins", [{"device_id": "x"}])
    with pytest.raises(RestoreRefused):
        service.restore_handover(part)  # her terminal is not here yet
    with pytest.raises(RestoreRefused):
        service.restore_handover({"service": "referral", "records": {}})
    assert db().devices.count_documents({}) == 0
    assert db().assignments.count_documents({}) == 0


def test_a_dry_run_checks_without_writing(service):  # noqa: F811
    _, terminals, part, _ = exported(service)
    assert service.restore_terminals("tj-moulins", terminals, dry_run=True) == {"restored": 2, "unchanged": 0}
    assert service.restore_handover(part, dry_run=True)["outcome"] == "restored"
    assert db().devices.count_documents({}) == 0
    assert db().assignments.count_documents({}) == 0
