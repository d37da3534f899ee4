# ruff: noqa: F811  (the ``service`` fixture is imported from test_service)
"""Her lost or broken terminal replaced (device read model): an alert from the new one
routes to her units; a press on the old one is recorded and flagged, never dropped."""

from datetime import timedelta

from tgd_contracts.device import DeviceActivated
from tgd_contracts.events import EventName
from tgd_contracts.handling import DeviceReplaced

from .test_service import T0, partner_keys, provision, received, service, trigger  # noqa: F401 (fixture)

REPLACED_AT = T0 + timedelta(minutes=5)


def replaced(new="dev-2", previous="dev-1", at=REPLACED_AT):
    data = DeviceReplaced(
        device_id=new,
        previous_device_id=previous,
        attribution_id="att-1",
        jurisdiction="tj-moulins",
        department="03",
        home_insee_code="03190",
        reason="lost",
        replaced_at=at,
    )
    return received(EventName.DEVICE_REPLACED, data)


def dispatch(service, alert_id):
    service.take_alert(alert_id, {"operator": "op-1"})
    return service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "danger"})


def test_an_alert_from_the_new_terminal_routes_to_her_units(service):
    provision(service)
    service.on_device_replaced(replaced())
    new = service.alerts.device("dev-2")
    assert (new.attribution_id, new.jurisdiction, new.department) == ("att-1", "tj-moulins", "03")
    assert new.competent.unit == "bta-moulins"  # her units, carried at once, before any re-acknowledgement
    assert new.dossier["attribution_id"] == "att-1"
    alert_id = trigger(service, device_id="dev-2", at=REPLACED_AT + timedelta(minutes=1))["alert_id"]
    view = dispatch(service, alert_id)
    assert view["state"] == "dispatched"
    assert partner_keys(service)[-3:] == [
        "command.03.cic-03.dispatch",
        "gendarmerie.03.bta-moulins.dispatch",
        "association.tj-moulins.any.dispatch",
    ]


def test_a_press_on_the_old_terminal_is_recorded_and_flagged_never_dropped(service):
    provision(service)
    service.on_device_replaced(replaced())
    old = service.alerts.device("dev-1")
    assert (old.active, old.dossier, old.replaced_at) == (False, None, REPLACED_AT)
    result = trigger(service, device_id="dev-1", at=REPLACED_AT + timedelta(minutes=1))
    assert result["alert_id"]
    assert "replaced_device" in result["flags"]
    assert "inactive_device" in result["flags"]
    assert service.get_alert(result["alert_id"])["state"] == "raised"  # an operator sees it


def test_a_late_event_of_the_old_terminal_is_ignored_and_a_replay_changes_nothing(service):
    provision(service)
    service.on_device_replaced(replaced())
    before = service.alerts.device("dev-2")
    service.on_device_replaced(replaced())
    assert service.alerts.device("dev-2") == before
    for device_id in ("dev-1", "dev-2"):
        activated = DeviceActivated(
            device_id=device_id, attribution_id="att-1", activated_at=REPLACED_AT + timedelta(minutes=2)
        )
        service.on_device_activated(received(EventName.DEVICE_ACTIVATED, activated))
    assert service.alerts.device("dev-1").active is False  # no longer hers
    assert service.alerts.device("dev-2").active is True  # its own test call at hand-over
