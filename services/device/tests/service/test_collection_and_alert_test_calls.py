# ruff: noqa: F811  (the ``service`` fixture is imported from test_service)
"""A returned terminal is collected and reset before it goes back to stock; a press of
the alert key qualified as a test call counts toward the 15 days (event from alert)."""

from datetime import timedelta

import pytest

from device.exceptions import DeviceNotFound, InvalidRequest, InvalidState
from device.models import AssignmentDocument
from tgd_contracts.alert import AlertTestCall
from tgd_contracts.envelope import build_envelope
from tgd_servicekit.handlers import ReceivedEvent

from ..factories import BENEFICIARY_CALL, OPERATOR_CALL, fiche
from .test_service import T0, decided, provisioned, service, withdrawn  # noqa: F401  (fixture)

RECOVERY = {"collected_at": (T0 + timedelta(days=1)).isoformat(), "reset_at": (T0 + timedelta(days=1)).isoformat()}


def returned_device(service):
    device_id = provisioned(service)["device_id"]
    service.record_test_call(device_id, OPERATOR_CALL)
    service.record_test_call(device_id, BENEFICIARY_CALL)
    service.on_attribution_withdrawn(withdrawn())
    return device_id


def test_a_returned_device_is_to_be_collected_not_in_stock_and_no_one_gets_it(service):
    device_id = returned_device(service)
    assert service.get_device(device_id)["state"] == "to_collect"
    service.on_attribution_decided(decided("att-2"))
    view = service.record_fiche("att-2", fiche())
    assert view["status"] == "out_of_stock"  # the returned handset is not given to woman 2


def test_only_a_recorded_collection_and_reset_puts_it_back_and_a_waiting_attribution_gets_it(service):
    device_id = returned_device(service)
    service.on_attribution_decided(decided("att-2"))
    service.record_fiche("att-2", fiche())
    service.now.value = T0 + timedelta(days=2)
    view = service.record_recovery(device_id, RECOVERY)
    assert view["state"] == "assigned"  # back in stock, then given at once to the attribution waiting
    assert view["attribution_id"] == "att-2"
    assert service.get_assignment("att-2")["status"] == "provisioned"
    with pytest.raises(InvalidState):  # not to be collected any more
        service.record_recovery(device_id, RECOVERY)


def test_a_recovery_is_refused_for_a_device_in_service_unknown_or_badly_dated(service):
    device_id = provisioned(service)["device_id"]
    with pytest.raises(InvalidState):
        service.record_recovery(device_id, RECOVERY)
    with pytest.raises(DeviceNotFound):
        service.record_recovery("0" * 32, RECOVERY)
    service.on_attribution_withdrawn(withdrawn())
    backwards = {"collected_at": RECOVERY["reset_at"], "reset_at": T0.isoformat()}
    with pytest.raises(InvalidRequest):
        service.record_recovery(device_id, backwards)
    service.now.value = T0
    with pytest.raises(InvalidRequest):  # a reset in the future
        service.record_recovery(device_id, RECOVERY)
    assert service.get_device(device_id)["state"] == "to_collect"


def alert_test_call(device_id, alert_id="a-1", attribution_id="att-1", at=T0):
    data = AlertTestCall(
        alert_id=alert_id, device_id=device_id, attribution_id=attribution_id, called_at=at, qualified_at=at
    )
    envelope = build_envelope(source_service="alert", event_name="alert_test_call", subject=alert_id, data=data)
    return ReceivedEvent(envelope=envelope, data=data)


def test_a_test_call_on_the_alert_key_restarts_the_15_days_once(service):
    device_id = provisioned(service)["device_id"]
    service.record_test_call(device_id, OPERATOR_CALL)
    service.record_test_call(device_id, BENEFICIARY_CALL)
    assert service.get_assignment("att-1")["next_test_call_due"].startswith("2026-04-16")
    event = alert_test_call(device_id, at=T0 + timedelta(days=10))
    service.on_alert_test_call(event)
    service.on_alert_test_call(event)  # delivered twice: counted once
    view = service.get_assignment("att-1")
    assert view["next_test_call_due"].startswith("2026-04-26")
    calls = AssignmentDocument.objects.get(attribution_id="att-1").state["test_calls"]
    assert [c["reference"] for c in calls].count("a-1") == 1


def test_a_late_or_foreign_alert_test_call_never_moves_the_deadline_back(service):
    device_id = provisioned(service)["device_id"]
    service.record_test_call(device_id, OPERATOR_CALL)
    service.now.value = T0 + timedelta(days=5)
    service.record_test_call(device_id, BENEFICIARY_CALL)  # due 2026-04-21
    service.on_alert_test_call(alert_test_call(device_id, alert_id="a-old", at=T0))  # older than the last call
    assert service.get_assignment("att-1")["next_test_call_due"].startswith("2026-04-21")
    service.on_alert_test_call(alert_test_call("another-device", alert_id="a-2", at=T0 + timedelta(days=9)))
    service.on_alert_test_call(alert_test_call(device_id, alert_id="a-3", attribution_id="att-unknown"))
    assert service.get_assignment("att-1")["next_test_call_due"].startswith("2026-04-21")
