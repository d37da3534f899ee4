"""The device side of an attribution, without I/O."""

from datetime import UTC, datetime, timedelta

import pytest

from device import domain
from device.domain import moves, terminals
from device.exceptions import DeviceInactive, InvalidRequest, InvalidState
from tgd_contracts.events import EventName
from tgd_contracts.stock import (
    AssignmentStatus,
    DeviceRecovery,
    DeviceRegistration,
    DeviceState,
    FicheNavette,
    TestCall,
    luhn_valid,
)
from tgd_servicekit.durations import parse_period

from ..factories import BENEFICIARY_CALL, OPERATOR_CALL, fiche, registration

T0 = datetime(2026, 2, 1, 10, 0, tzinfo=UTC)
POLICY = domain.Policy(parse_period("P15D"), parse_period("P2D"), parse_period("P3D"))
S = AssignmentStatus


def ready():
    a = domain.on_decision(domain.Assignment(attribution_id="att-1"), "tj-moulins", True)
    return domain.record_fiche(a, FicheNavette.model_validate(fiche()))


def provisioned():
    a, _ = domain.provision(ready(), "dev-1", "03", T0)
    return a


def active():
    a, _ = domain.record_test_call(provisioned(), TestCall.model_validate(OPERATOR_CALL), T0, POLICY)
    a, _ = domain.record_test_call(a, TestCall.model_validate(BENEFICIARY_CALL), T0, POLICY)
    return a


def test_decision_and_fiche_in_either_order_make_it_ready():
    a = domain.Assignment(attribution_id="att-1")
    assert domain.record_fiche(a, FicheNavette.model_validate(fiche())).status == S.AWAITING_DECISION
    b = domain.on_decision(a, "tj-moulins", True)
    assert b.status == S.AWAITING_DOSSIER
    assert not b.ready_to_provision
    assert ready().ready_to_provision
    c = domain.on_decision(domain.record_fiche(a, FicheNavette.model_validate(fiche())), "tj-moulins", True)
    assert c.ready_to_provision


def test_a_refused_attribution_gets_no_device_and_a_replayed_decision_changes_nothing():
    a = domain.on_decision(domain.Assignment(attribution_id="att-1"), "tj-moulins", False)
    assert a.status == S.CANCELLED
    assert not a.ready_to_provision
    assert domain.on_decision(ready(), "tj-moulins", True) == ready()


def test_provisioning_emits_routing_facts_only():
    a, ((name, event),) = domain.provision(ready(), "dev-1", "03", T0)
    assert a.status == S.PROVISIONED
    assert name == EventName.DEVICE_PROVISIONED
    assert (event.home_insee_code, event.department) == ("03901", "03")
    assert "EXEMPLE" not in event.model_dump_json()


def test_out_of_stock_is_a_visible_state_alerted_once():
    a, events = domain.out_of_stock(ready(), T0)
    assert a.status == S.OUT_OF_STOCK
    assert [n for n, _ in events] == [EventName.DEVICE_OUT_OF_STOCK]
    again, events = domain.out_of_stock(a, T0)
    assert events == []
    assert again.ready_to_provision  # provisioned when stock arrives


def test_the_two_way_test_call_activates_and_starts_the_15_days():
    a, events = domain.record_test_call(provisioned(), TestCall.model_validate(OPERATOR_CALL), T0, POLICY)
    assert (a.status, events) == (S.PROVISIONED, [])
    failed = TestCall.model_validate({**BENEFICIARY_CALL, "succeeded": False})
    a, events = domain.record_test_call(a, failed, T0, POLICY)
    assert (a.status, events) == (S.PROVISIONED, [])
    a, events = domain.record_test_call(a, TestCall.model_validate(BENEFICIARY_CALL), T0, POLICY)
    assert a.status == S.ACTIVE
    assert [n for n, _ in events] == [EventName.DEVICE_ACTIVATED]
    assert a.next_test_call_due == T0 + timedelta(days=15)


def test_a_test_call_on_an_inactive_device_is_refused():
    for a in (ready(), domain.Assignment(attribution_id="x"), domain.end(active(), T0, POLICY)[0]):
        with pytest.raises(DeviceInactive):
            domain.record_test_call(a, TestCall.model_validate(OPERATOR_CALL), T0, POLICY)


def test_reminder_then_overdue_once_each_and_a_test_call_restarts_the_period():
    a = active()
    due = T0 + timedelta(days=15)
    assert domain.tick(a, due - timedelta(days=3), POLICY) == (a, [])
    a, events = domain.tick(a, due - timedelta(days=2), POLICY)
    assert [n for n, _ in events] == [EventName.TEST_CALL_DUE]
    assert domain.tick(a, due - timedelta(days=1), POLICY)[1] == []
    a, events = domain.tick(a, due, POLICY)
    assert [n for n, _ in events] == [EventName.TEST_CALL_OVERDUE]
    assert domain.tick(a, due + timedelta(days=1), POLICY)[1] == []
    later = due + timedelta(days=2)
    a, _ = domain.record_test_call(a, TestCall.model_validate(BENEFICIARY_CALL), later, POLICY)
    assert a.next_test_call_due == later + timedelta(days=15)
    assert domain.tick(a, later + timedelta(days=15), POLICY)[1][0][0] == EventName.TEST_CALL_OVERDUE


def test_end_returns_the_device_and_wipes_within_three_days():
    a, ((name, event),) = domain.end(active(), T0, POLICY)
    assert name == EventName.DEVICE_RETURNED
    assert event.device_id == "dev-1"
    assert a.wipe_due_at == T0 + timedelta(days=3)
    assert domain.end(a, T0, POLICY) == (a, [])  # replay
    assert domain.tick(a, T0 + timedelta(days=2), POLICY) == (a, [])
    wiped, events = domain.tick(a, T0 + timedelta(days=3), POLICY)
    assert (wiped.fiche, wiped.test_calls, wiped.wiped, events) == (None, (), True, [])


def test_end_before_provisioning_cancels_without_a_return():
    a, events = domain.end(ready(), T0, POLICY)
    assert (a.status, events) == (S.CANCELLED, [])
    assert (
        domain.on_decision(domain.end(domain.Assignment(attribution_id="y"), T0, POLICY)[0], "tj-moulins", True).status
        == S.CANCELLED
    )


def test_a_wipe_delay_over_three_days_is_refused():
    with pytest.raises(ValueError, match="3 days"):
        domain.Policy(parse_period("P15D"), parse_period("P2D"), parse_period("P4D"))


def test_imei_luhn_and_formats_are_validated():
    assert luhn_valid("490154203237518")
    assert not luhn_valid("490154203237517")
    DeviceRegistration.model_validate(registration(1))
    for bad in ({"imei": "490154203237517"}, {"imei": "4901542032375"}, {"imsi": "12ab"}, {"gps_chip_id": "!"}):
        with pytest.raises(ValueError):
            DeviceRegistration.model_validate({**registration(1), **bad})


def test_a_fiche_sent_before_a_refusal_is_erased_at_once():
    a = domain.record_fiche(domain.Assignment(attribution_id="z"), FicheNavette.model_validate(fiche()))
    refused = domain.on_decision(a, "tj-moulins", False)
    assert (refused.status, refused.fiche, refused.wiped) == (S.CANCELLED, None, True)


def test_next_deadline_follows_reminder_overdue_and_wipe():
    a = active()
    due = T0 + timedelta(days=15)
    assert domain.next_deadline(a, POLICY) == due - timedelta(days=2)
    a, _ = domain.tick(a, due - timedelta(days=2), POLICY)
    assert domain.next_deadline(a, POLICY) == due
    a, _ = domain.tick(a, due, POLICY)
    assert domain.next_deadline(a, POLICY) is None
    a, _ = domain.end(a, due, POLICY)
    assert domain.next_deadline(a, POLICY) == due + timedelta(days=3)
    assert domain.next_deadline(domain.wipe(a), POLICY) is None


def test_the_fiche_can_be_corrected_but_the_home_commune_cannot_change_after_provisioning():
    a = domain.record_fiche(provisioned(), FicheNavette.model_validate(fiche()))
    assert a.status == S.PROVISIONED
    with pytest.raises(InvalidState):
        domain.record_fiche(a, FicheNavette.model_validate(fiche(insee_code="03902")))
    before = domain.record_fiche(ready(), FicheNavette.model_validate(fiche(insee_code="03902")))
    assert before.fiche.beneficiary.home.insee_code == "03902"  # before provisioning it may change


def test_a_corrected_fiche_of_a_device_holder_is_announced_ids_only():
    corrected = fiche()
    corrected["beneficiary"]["geolocation_consent"] = False
    a, events = moves.fiche_recorded(active(), FicheNavette.model_validate(corrected), T0)
    assert a.fiche.beneficiary.geolocation_consent is False
    ((name, event),) = events
    assert name == EventName.DOSSIER_CHANGED
    assert event.to_wire() == {"device_id": "dev-1", "attribution_id": "att-1", "changed_at": "2026-02-01T10:00:00Z"}
    assert moves.fiche_recorded(a, FicheNavette.model_validate(corrected), T0)[1] == []  # same fiche: nothing
    assert moves.fiche_recorded(ready(), FicheNavette.model_validate(corrected), T0)[1] == []  # no device yet


# -- a press of the alert key qualified as a test call; a returned terminal's recovery ----
def alert_call(a, alert_id="a-1", device_id="dev-1", at=T0 + timedelta(days=10)):
    return domain.record_alert_test_call(a, alert_id=alert_id, device_id=device_id, called_at=at, policy=POLICY)


def test_an_alert_test_call_restarts_the_15_days_once_per_alert():
    a, events = alert_call(active())
    assert events == []
    assert a.next_test_call_due == T0 + timedelta(days=25)
    assert a.test_calls[-1].reference == "a-1"
    assert alert_call(a)[0] == a  # the same alert again: nothing changes


def test_an_alert_test_call_never_moves_the_deadline_back_nor_counts_for_another_device():
    call = TestCall.model_validate(BENEFICIARY_CALL)
    later, _ = domain.record_test_call(active(), call, T0 + timedelta(days=12), POLICY)
    a, _ = alert_call(later, at=T0 + timedelta(days=3))  # an old event, delivered late
    assert a.next_test_call_due == T0 + timedelta(days=27)
    assert alert_call(active(), device_id="dev-other")[0] == active()
    returned, _ = domain.end(active(), T0, POLICY)
    assert alert_call(returned)[0] == returned


def test_at_hand_over_an_alert_test_call_is_her_call_to_the_platform():
    a, _ = domain.record_test_call(provisioned(), TestCall.model_validate(OPERATOR_CALL), T0, POLICY)
    a, events = alert_call(a, at=T0 + timedelta(minutes=5))
    assert a.status == S.ACTIVE
    assert [name for name, _ in events] == [EventName.DEVICE_ACTIVATED]


def test_only_a_terminal_to_collect_lost_or_broken_is_recovered_and_not_before_its_reset():
    at = T0 + timedelta(days=1)
    recovery = DeviceRecovery(collected_at=at, reset_at=at)
    for state in (DeviceState.TO_COLLECT, DeviceState.LOST, DeviceState.BROKEN):
        terminals.check_recovery(state, recovery, at)
    for state in (DeviceState.IN_STOCK, DeviceState.ASSIGNED, DeviceState.ACTIVE, DeviceState.RETIRED):
        with pytest.raises(InvalidState):
            terminals.check_recovery(state, recovery, at)
    with pytest.raises(InvalidRequest):
        terminals.check_recovery(DeviceState.TO_COLLECT, recovery, T0)
    with pytest.raises(ValueError, match="reset cannot precede"):
        DeviceRecovery(collected_at=at, reset_at=T0)
