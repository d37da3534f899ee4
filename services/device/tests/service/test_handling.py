# ruff: noqa: F811  (the ``service`` fixture is imported from test_service)
"""Terminals as they are handled, through the device service: transfer, retirement,
replacement of her lost or broken terminal, hand-over; every refusal changes nothing."""

from datetime import timedelta

import pytest

from device.exceptions import (
    AttributionNotFound,
    CourtOutsideDepartment,
    DeviceInactive,
    DeviceNotFound,
    InvalidRequest,
    InvalidState,
    OutOfStock,
    UnknownJurisdiction,
)
from device.models import AssignmentDocument, DeviceDocument
from tgd_contracts.dossier import Dossier

from ..factories import BENEFICIARY_CALL, OPERATOR_CALL, fiche, registration
from .test_service import T0, decided, provisioned, service, withdrawn  # noqa: F401 (the fixture)

TO_MONTLUCON = {"to_jurisdiction": "tj-montlucon", "requested_by": "Parquet de Moulins (fictif)"}
SCRAPPED = {"reason": "scrapped", "retired_by": "Opérateur (fictif)"}
LOST = {"reason": "lost", "reported_by": "Opérateur (fictif)"}
HAND_OVER = {
    "handed_over_at": "2026-04-01T10:00:00Z",
    "place": "Tribunal judiciaire fictif, bureau du parquet",
    "present": [{"role": "beneficiary"}, {"role": "association_worker", "label": "Juriste de l'association"}],
}


def stored():
    """Every stored terminal and assignment as written (sealed), to show that a refusal changed nothing."""
    devices = list(DeviceDocument._get_collection().find().sort("_id"))
    assignments = list(AssignmentDocument._get_collection().find().sort("_id"))
    return devices, assignments


def active(service):
    device_id = provisioned(service)["device_id"]
    service.record_test_call(device_id, OPERATOR_CALL)
    service.record_test_call(device_id, BENEFICIARY_CALL)
    return device_id


# -- transfer ---------------------------------------------------------------------------
def test_a_terminal_in_stock_is_transferred_within_the_department(service):
    device_id = service.add_device(registration(1))["device_id"]
    moved = service.transfer_device(device_id, TO_MONTLUCON)
    assert (moved["jurisdiction"], moved["state"]) == ("tj-montlucon", "in_stock")
    assert service.list_stock("tj-moulins")["items"] == []
    assert [d["device_id"] for d in service.list_stock("tj-montlucon")["items"]] == [device_id]


def test_an_attribution_waiting_in_the_target_court_gets_the_transferred_terminal(service):
    service.on_attribution_decided(decided("att-1"))
    assert service.record_fiche("att-1", fiche())["status"] == "out_of_stock"
    device_id = service.add_device(registration(1, jurisdiction="tj-montlucon"))["device_id"]
    assert service.get_assignment("att-1")["status"] == "out_of_stock"
    service.transfer_device(device_id, {**TO_MONTLUCON, "to_jurisdiction": "tj-moulins"})
    assert service.get_assignment("att-1")["device_id"] == device_id
    assert service.events.names()[-1] == "device_provisioned"


@pytest.mark.parametrize(
    ("target", "error"),
    [("tj-nanterre", CourtOutsideDepartment), ("tj-nowhere", UnknownJurisdiction), ("tj-moulins", InvalidRequest)],
)
def test_a_transfer_to_another_department_an_unknown_or_the_same_court_changes_nothing(service, target, error):
    device_id = service.add_device(registration(1))["device_id"]
    before = stored()
    with pytest.raises(error):
        service.transfer_device(device_id, {**TO_MONTLUCON, "to_jurisdiction": target})
    assert stored() == before


def test_a_terminal_in_use_is_neither_transferred_nor_retired(service):
    device_id = active(service)
    before = stored()
    with pytest.raises(InvalidState, match="in use"):
        service.transfer_device(device_id, TO_MONTLUCON)
    with pytest.raises(InvalidState, match="in use"):
        service.retire_device(device_id, SCRAPPED)
    assert stored() == before
    with pytest.raises(DeviceNotFound):
        service.transfer_device("no-such-device", TO_MONTLUCON)
    with pytest.raises(InvalidRequest):
        service.transfer_device(device_id, {"to_jurisdiction": "tj-montlucon"})


# -- retirement ----------------------------------------------------------------------------
def test_a_retired_terminal_is_never_attributed_nor_transferred(service):
    device_id = service.add_device(registration(1))["device_id"]
    retired = service.retire_device(device_id, {**SCRAPPED, "reason": "returned_to_supplier"})
    assert (retired["state"], retired["out_of_service_reason"]) == ("retired", "returned_to_supplier")
    service.on_attribution_decided(decided())
    assert service.record_fiche("att-1", fiche())["status"] == "out_of_stock"
    before = stored()
    with pytest.raises(InvalidState, match="for good"):
        service.transfer_device(device_id, TO_MONTLUCON)
    with pytest.raises(InvalidState):
        service.retire_device(device_id, SCRAPPED)
    with pytest.raises(InvalidState):
        service.record_recovery(device_id, {"collected_at": T0.isoformat(), "reset_at": T0.isoformat()})
    assert stored() == before


# -- replacement ---------------------------------------------------------------------------
def test_a_lost_terminal_is_replaced_for_the_same_beneficiary_in_one_write(service):
    old = active(service)
    service.add_device(registration(2))
    service.now.value = T0 + timedelta(days=3)
    view = service.replace_device("att-1", LOST)
    new = view["device_id"]
    assert new != old
    assert view["status"] == "provisioned"
    assert [(r["previous_device_id"], r["reason"]) for r in view["replacements"]] == [(old, "lost")]
    event = service.events.published[-1]
    assert event.event_name == "device_replaced"
    assert (event.data["device_id"], event.data["previous_device_id"]) == (new, old)
    outbox = AssignmentDocument.objects.get(attribution_id="att-1").outbox
    assert outbox[-1].envelope["type"].endswith("device_replaced")
    assert Dossier.consume(service.get_dossier(new)).beneficiary.identity.surname == "EXEMPLE"
    with pytest.raises(DeviceNotFound):
        service.get_dossier(old)  # her dossier is no longer served for the lost one
    states = {
        d["device_id"]: (d["state"], d["out_of_service_reason"]) for d in service.list_stock("tj-moulins")["items"]
    }
    assert states == {old: ("lost", "lost"), new: ("assigned", None)}
    service.record_test_call(new, OPERATOR_CALL)
    assert service.record_test_call(new, BENEFICIARY_CALL)["status"] == "active"
    assert service.events.names()[-1] == "device_activated"
    with pytest.raises(DeviceInactive):  # the old one is no longer hers: a test call on it is refused
        service.record_test_call(old, OPERATOR_CALL)


def test_the_replaced_terminal_is_recovered_or_retired_and_the_new_one_returned_at_the_end(service):
    old = active(service)
    service.add_device(registration(2))
    new = service.replace_device("att-1", {**LOST, "reason": "broken"})["device_id"]
    assert service.retire_device(old, SCRAPPED)["state"] == "retired"
    service.on_attribution_withdrawn(withdrawn())
    states = {d["device_id"]: d["state"] for d in service.list_stock("tj-moulins")["items"]}
    assert states == {old: "retired", new: "to_collect"}
    assert service.events.published[-1].data["device_id"] == new


def test_out_of_stock_refuses_the_replacement_reminds_once_and_keeps_her_terminal(service):
    old = active(service)
    before_names = service.events.names()
    with pytest.raises(OutOfStock) as refused:
        service.replace_device("att-1", LOST)
    assert "tj-moulins" in refused.value.message
    with pytest.raises(OutOfStock):
        service.replace_device("att-1", LOST)
    assert service.events.names() == [*before_names, "device_out_of_stock"]
    assert service.events.published[-1].data["replacing_device_id"] == old
    view = service.get_assignment("att-1")
    assert (view["device_id"], view["status"], view["replacements"]) == (old, "active", [])
    assert service.get_device(old)["state"] == "active"


def test_a_bad_replacement_changes_nothing(service):
    active(service)
    service.add_device(registration(2))
    before = stored()
    with pytest.raises(InvalidRequest):
        service.replace_device("att-1", {"reason": "stolen-by-aliens", "reported_by": "x"})
    with pytest.raises(AttributionNotFound):
        service.replace_device("att-unknown", LOST)
    assert stored() == before
    service.on_attribution_decided(decided("att-2"))
    before = stored()
    with pytest.raises(InvalidState):
        service.replace_device("att-2", LOST)  # no terminal yet: nothing to replace
    assert stored() == before


# -- hand-over ---------------------------------------------------------------------------
def test_the_hand_over_is_recorded_and_shown_with_the_measure(service):
    provisioned(service)
    service.now.value = T0 + timedelta(hours=2)
    view = service.record_hand_over("att-1", HAND_OVER)
    (record,) = view["hand_overs"]
    assert record["place"] == HAND_OVER["place"]
    assert service.get_assignment("att-1")["hand_overs"] == view["hand_overs"]
    before = stored()
    with pytest.raises(InvalidState):
        service.record_hand_over("att-1", {**HAND_OVER, "place": "Ailleurs"})
    with pytest.raises(InvalidRequest):
        service.record_hand_over("att-1", {**HAND_OVER, "present": [{"role": "beneficiary"}, {"role": "other"}]})
    with pytest.raises(AttributionNotFound):
        service.record_hand_over("att-unknown", HAND_OVER)
    assert stored() == before


def test_the_measure_evidence_names_her_replaced_terminal_too(service):
    from tgd_contracts.evidence import EvidencePart

    old = active(service)
    service.add_device(registration(2))
    new = service.replace_device("att-1", LOST)["device_id"]
    part = EvidencePart.consume(service.assignment_evidence("att-1"))
    assert part.related_ids["device_ids"] == [old, new]  # the alerts of both belong to the measure
    assert [d["device_id"] for d in part.records["replaced_devices"]] == [old]
    assert part.records["assignment"]["replacements"][0]["previous_device_id"] == old
