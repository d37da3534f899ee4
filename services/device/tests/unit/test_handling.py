"""Terminals as they are handled, without I/O: the stock's state machine (transfer,
retirement) and, during a measure, replacement and hand-over."""

from datetime import timedelta

import pytest

from device import domain, read
from device.domain import handling, terminals
from device.exceptions import CourtOutsideDepartment, InvalidRequest, InvalidState, UnknownJurisdiction
from tgd_contracts.events import EventName
from tgd_contracts.handling import DeviceReplacement, HandOver
from tgd_contracts.jurisdictions import Jurisdiction
from tgd_contracts.stock import AssignmentStatus, DeviceState, TestCall

from ..factories import BENEFICIARY_CALL, OPERATOR_CALL
from .test_domain import POLICY, T0, active, provisioned

D = DeviceState
COURTS = {
    "tj-moulins": Jurisdiction("tj-moulins", "TJ Moulins", "03"),
    "tj-montlucon": Jurisdiction("tj-montlucon", "TJ Montluçon", "03"),
    "tj-nanterre": Jurisdiction("tj-nanterre", "TJ Nanterre", "92"),
}
LOST = DeviceReplacement(reason="lost", reported_by="Opérateur fictif")
PRESENT = [{"role": "beneficiary"}, {"role": "association_worker", "label": "Juriste de l'association"}]


def hand_over(at=T0 + timedelta(hours=1), present=PRESENT, place="Tribunal judiciaire fictif"):
    return HandOver.model_validate({"handed_over_at": at.isoformat(), "place": place, "present": present})


# -- the stock ---------------------------------------------------------------------
def test_a_terminal_in_stock_moves_to_another_court_of_its_department():
    terminals.check_transfer(D.IN_STOCK, "tj-moulins", "tj-montlucon", COURTS)


def test_a_transfer_to_another_department_is_refused_with_both_departments():
    with pytest.raises(CourtOutsideDepartment) as refused:
        terminals.check_transfer(D.IN_STOCK, "tj-moulins", "tj-nanterre", COURTS)
    assert "92" in refused.value.message
    assert "03" in refused.value.message
    assert "Nothing was changed" in refused.value.message


def test_a_transfer_to_an_unknown_or_the_same_court_is_refused():
    with pytest.raises(UnknownJurisdiction, match="tj-nowhere"):
        terminals.check_transfer(D.IN_STOCK, "tj-moulins", "tj-nowhere", COURTS)
    with pytest.raises(InvalidRequest):
        terminals.check_transfer(D.IN_STOCK, "tj-moulins", "tj-moulins", COURTS)


@pytest.mark.parametrize("state", [D.ASSIGNED, D.ACTIVE, D.TO_COLLECT, D.LOST, D.BROKEN, D.RETIRED])
def test_only_a_terminal_in_stock_is_transferred(state):
    with pytest.raises(InvalidState):
        terminals.check_transfer(state, "tj-moulins", "tj-montlucon", COURTS)


@pytest.mark.parametrize("state", [D.IN_STOCK, D.LOST, D.BROKEN])
def test_a_terminal_out_of_use_is_retired(state):
    terminals.check_retirement(state)


@pytest.mark.parametrize(
    ("state", "why"),
    [(D.ASSIGNED, "in use"), (D.ACTIVE, "in use"), (D.TO_COLLECT, "collected and reset"), (D.RETIRED, "for good")],
)
def test_a_terminal_in_use_returned_or_retired_is_not_retired(state, why):
    with pytest.raises(InvalidState, match=why):
        terminals.check_retirement(state)


# -- replacement -----------------------------------------------------------------------
def test_a_replacement_gives_her_the_new_terminal_in_one_step_with_its_event():
    a = active()
    changed, events = handling.replace(a, "dev-2", LOST, "03", T0 + timedelta(days=3))
    assert (changed.device_id, changed.status) == ("dev-2", AssignmentStatus.PROVISIONED)
    assert changed.attribution_id == a.attribution_id
    assert changed.fiche == a.fiche
    ((name, event),) = events
    assert name == EventName.DEVICE_REPLACED
    assert (event.device_id, event.previous_device_id, event.reason) == ("dev-2", "dev-1", "lost")
    assert (event.department, event.home_insee_code) == ("03", "03901")
    assert [r.previous_device_id for r in changed.replacements] == ["dev-1"]
    assert changed.device_since == T0 + timedelta(days=3)


def test_the_new_terminal_is_activated_by_its_own_two_way_call_not_by_the_old_ones():
    a, _ = handling.replace(active(), "dev-2", LOST, "03", T0 + timedelta(days=3))
    later = T0 + timedelta(days=3, hours=1)
    a, events = domain.record_test_call(a, TestCall.model_validate(OPERATOR_CALL), later, POLICY)
    assert (a.status, events) == (AssignmentStatus.PROVISIONED, [])  # the old terminal's calls do not count
    a, events = domain.record_test_call(a, TestCall.model_validate(BENEFICIARY_CALL), later, POLICY)
    assert a.status == AssignmentStatus.ACTIVE
    assert [(n, e.device_id) for n, e in events] == [(EventName.DEVICE_ACTIVATED, "dev-2")]


def test_a_press_qualified_as_test_call_on_the_old_terminal_counts_for_nothing():
    a, _ = handling.replace(active(), "dev-2", LOST, "03", T0 + timedelta(days=3))
    kept, events = domain.record_alert_test_call(
        a, alert_id="al-1", device_id="dev-1", called_at=T0 + timedelta(days=4), policy=POLICY
    )
    assert (kept, events) == (a, [])


@pytest.mark.parametrize("make", [lambda: domain.Assignment(attribution_id="att-1"), lambda: domain.wipe(active())])
def test_only_a_measure_in_service_has_a_terminal_to_replace(make):
    a = make()
    if a.status == AssignmentStatus.ACTIVE:
        a = a.change(status=AssignmentStatus.RETURNED)
    with pytest.raises(InvalidState):
        handling.replace(a, "dev-2", LOST, "03", T0)
    with pytest.raises(InvalidState):
        handling.replacement_out_of_stock(a, T0)


def test_out_of_stock_reminds_once_per_terminal_to_replace_and_changes_nothing_else():
    a = active()
    changed, events = handling.replacement_out_of_stock(a, T0)
    ((name, event),) = events
    assert name == EventName.DEVICE_OUT_OF_STOCK
    assert (event.replacing_device_id, event.jurisdiction) == ("dev-1", "tj-moulins")
    assert changed.change(replacement_out_of_stock_for=None) == a
    assert handling.replacement_out_of_stock(changed, T0) == (changed, [])
    replaced, _ = handling.replace(changed, "dev-2", LOST, "03", T0)
    assert replaced.replacement_out_of_stock_for is None


# -- hand-over ---------------------------------------------------------------------------
def test_the_hand_over_is_recorded_once_per_terminal():
    a = handling.record_hand_over(provisioned(), hand_over(), T0 + timedelta(hours=2))
    (record,) = a.hand_overs
    assert (record.device_id, record.place) == ("dev-1", "Tribunal judiciaire fictif")
    assert [p.role for p in record.present] == ["beneficiary", "association_worker"]
    assert handling.record_hand_over(a, hand_over(), T0 + timedelta(hours=3)) == a  # the same again
    with pytest.raises(InvalidState, match="already recorded"):
        handling.record_hand_over(a, hand_over(place="Ailleurs"), T0 + timedelta(hours=3))
    replaced, _ = handling.replace(a, "dev-2", LOST, "03", T0 + timedelta(days=1))
    again = handling.record_hand_over(replaced, hand_over(at=T0 + timedelta(days=1, hours=1)), T0 + timedelta(days=2))
    assert [h.device_id for h in again.hand_overs] == ["dev-1", "dev-2"]
    assert read.view(domain.wipe(again)).hand_overs == read.view(again).hand_overs  # no personal data: kept


def test_a_hand_over_in_the_future_before_provisioning_or_without_a_measure_in_service_is_refused():
    with pytest.raises(InvalidRequest):
        handling.record_hand_over(provisioned(), hand_over(at=T0 + timedelta(days=1)), T0)
    with pytest.raises(InvalidRequest):
        handling.record_hand_over(provisioned(), hand_over(at=T0 - timedelta(days=1)), T0 + timedelta(days=1))
    with pytest.raises(InvalidState):
        handling.record_hand_over(domain.Assignment(attribution_id="att-1"), hand_over(), T0 + timedelta(days=1))


@pytest.mark.parametrize(
    ("present", "missing"),
    [
        ([{"role": "beneficiary"}, {"role": "prosecutor"}], "association"),
        ([{"role": "association_worker"}, {"role": "court_clerk"}], "beneficiary"),
    ],
)
def test_the_hand_over_needs_her_and_a_member_of_her_association(present, missing):
    with pytest.raises(ValueError, match=missing):
        hand_over(present=present)
