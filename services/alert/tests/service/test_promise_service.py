# ruff: noqa: F811  (the ``service`` fixture is imported from test_service)
"""The alert promise at the service level (worker_factory, in-memory database, recorded
publications): a press is never silenced, a re-issued device keeps nothing of the
previous attribution, only an addressee acknowledges or reports, a test call counts."""

from datetime import timedelta

import pytest

from alert.exceptions import AlertNotFound, AlertStateConflict, AttributionNotYetPlaced
from alert.models import AlertDocument
from tgd_contracts.device import DeviceActivated, DeviceProvisioned, DeviceReturned, ForcesInformed
from tgd_contracts.events import EventName
from tgd_contracts.registry import event_model

from .test_service import T0, partner_keys, provision, received, service, trigger  # noqa: F401  (fixture)

S = timedelta(seconds=1)
GENDARMERIE_03 = {"audience": "gendarmerie", "territory": "03", "unit": "bta-moulins"}
STRANGER = {"audience": "gendarmerie", "territory": "03", "unit": "bta-cusset"}


def record(service, alert_id):
    """The stored document as it is (sealed part, plain state, version, outbox)."""
    return AlertDocument._get_collection().find_one({"_id": alert_id})


# -- item 3: press -> no danger -> press again -> nobody takes it -> failsafe ------------
def test_press_no_danger_press_again_nobody_takes_it_failsafe_dispatch(service):
    provision(service)
    alert_id = trigger(service)["alert_id"]
    service.now.now = T0 + 10 * S
    view = service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "no_danger"})
    assert view["state"] == "redirected"
    assert partner_keys(service) == ["association.tj-moulins.any.dispatch"]

    service.now.now = T0 + 60 * S  # within the grouping window (600 s)
    again = trigger(service, press_id="press-2", at=T0 + 60 * S)
    assert again["alert_id"] == alert_id
    assert again["joined"] is True
    view = service.get_alert(alert_id)
    assert view["state"] == "raised"
    assert view["reopened_at"].startswith("2026-06-01T22:01:00")
    (line,) = service.list_open_alerts()["items"]
    assert line["reopened"] is True

    service.now.now = T0 + 89 * S  # 30 s after the new press, not after the first one
    service.check_deadlines()
    assert service.get_alert(alert_id)["state"] == "raised"
    service.now.now = T0 + 90 * S
    service.check_deadlines()
    view = service.get_alert(alert_id)
    assert view["state"] == "dispatched"
    assert view["automatic"] is True
    assert "gendarmerie.03.bta-moulins.dispatch" in partner_keys(service)[1:]  # the forces, at last
    assert service.list_open_alerts()["items"][0]["reopened"] is False


def test_a_reopened_incident_is_qualified_danger_by_the_operator(service):
    provision(service)
    alert_id = trigger(service)["alert_id"]
    service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "no_danger"})
    trigger(service, press_id="press-2", at=T0 + 5 * S)
    view = service.qualify_alert(alert_id, {"operator": "op-2", "outcome": "danger"})
    assert view["state"] == "dispatched"
    assert view["operator"] == "op-2"
    assert view["automatic"] is False
    assert "gendarmerie.03.bta-moulins.dispatch" in partner_keys(service)


def test_a_press_on_a_dispatched_incident_is_forwarded_at_once_to_the_forces(service):
    provision(service)  # her dossier says she consents to geolocation
    alert_id = trigger(service)["alert_id"]
    view = service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "danger"})
    forces = {
        f"{r['audience']}.{r['territory']}.{r['unit']}.dispatch"
        for r in (d["recipient"] for d in view["deliveries"])
        if r["audience"] != "association"
    }
    assert "gendarmerie.03.bta-moulins.dispatch" in forces
    before = len(service.events.published)
    service.now.now = T0 + 20 * S
    trigger(service, press_id="press-2", at=T0 + 20 * S)
    forwarded = service.events.published[before:]
    assert sorted(rk for _, rk in forwarded) == sorted(forces)  # every force alerted, not the association
    data = forwarded[0][0].data
    assert data["kind"] == "press"
    assert data["pressed_at"].startswith("2026-06-01T22:00:20")
    assert data["position"]["fixed_at"].startswith("2026-06-01T22:00:20")  # her latest position: she consented


# -- item 5: a device re-issued keeps nothing of the previous attribution ----------------
def forces(device_id, attribution_id, department, unit, jurisdiction):
    return received(
        EventName.FORCES_INFORMED,
        ForcesInformed.consume(
            {
                "attribution_id": attribution_id,
                "device_id": device_id,
                "jurisdiction": jurisdiction,
                "competent": {"audience": "police", "department": department, "unit_code": unit, "unit_name": "CSP"},
                "acknowledged_at": T0.isoformat(),
            }
        ),
        source="notify",
    )


def reissue(service, at):
    """Woman 1 (att-1, Allier) withdrawn; the device given to woman 2 (att-2, Paris)."""
    returned = DeviceReturned(device_id="dev-1", attribution_id="att-1", returned_at=at)
    service.on_device_returned(received(EventName.DEVICE_RETURNED, returned))
    provisioned = DeviceProvisioned(
        device_id="dev-1",
        attribution_id="att-2",
        jurisdiction="tj-paris",
        department="75",
        home_insee_code="75115",
        provisioned_at=at + 3600 * S,
    )
    service.on_device_provisioned(received(EventName.DEVICE_PROVISIONED, provisioned))


def test_a_reissued_device_routes_to_the_new_zone_and_never_to_the_previous_unit(service):
    service.dossiers.fetch = lambda device_id: None
    provision(service)  # woman 1: gendarmerie bta-moulins, tj-moulins
    reissue(service, T0 + 100 * S)
    facts = service.device_routing("dev-1")
    assert facts["attribution_id"] == "att-2"
    assert (facts["jurisdiction"], facts["department"], facts["active"]) == ("tj-paris", "75", False)
    assert (facts["competent"], facts["other_force"], facts["has_dossier"]) == (None, None, False)

    # late events of woman 1's attribution change nothing
    service.on_forces_informed(forces("dev-1", "att-1", "03", "csp-moulins", "tj-moulins"))
    late = DeviceActivated(device_id="dev-1", attribution_id="att-1", activated_at=T0 + 50 * S)
    service.on_device_activated(received(EventName.DEVICE_ACTIVATED, late))
    assert service.device_routing("dev-1")["competent"] is None

    service.on_forces_informed(forces("dev-1", "att-2", "75", "csp-paris-15", "tj-paris"))
    active = DeviceActivated(device_id="dev-1", attribution_id="att-2", activated_at=T0 + 7200 * S)
    service.on_device_activated(received(EventName.DEVICE_ACTIVATED, active))
    service.now.now = T0 + 7300 * S
    alert_id = trigger(service, press_id="press-w2", at=T0 + 7300 * S)["alert_id"]
    service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "danger"})
    keys = partner_keys(service)
    assert "police.75.csp-paris-15.dispatch" in keys
    assert "association.tj-paris.any.dispatch" in keys
    assert not any("moulins" in key or ".03." in key for key in keys)  # nothing to woman 1's zone


def test_a_press_of_woman_2_never_joins_woman_1_open_incident(service):
    provision(service)
    first = trigger(service)["alert_id"]
    service.qualify_alert(first, {"operator": "op-1", "outcome": "no_danger"})  # still open (redirected)
    reissue(service, T0 + 10 * S)
    second = trigger(service, press_id="press-w2", at=T0 + 20 * S)
    assert second["alert_id"] != first
    assert second["joined"] is False
    assert service.get_alert(first)["state"] == "redirected"


def test_a_press_on_a_returned_device_is_recorded_and_flagged(service):
    provision(service)
    returned = DeviceReturned(device_id="dev-1", attribution_id="att-1", returned_at=T0)
    service.on_device_returned(received(EventName.DEVICE_RETURNED, returned))
    result = trigger(service, at=T0 + 5 * S)
    assert result["flags"] == ["inactive_device", "returned_device"]
    assert service.get_alert(result["alert_id"])["state"] == "raised"


def test_an_event_of_a_next_attribution_before_the_previous_ended_is_retried_not_applied(service):
    provision(service)
    with pytest.raises(AttributionNotYetPlaced):
        service.on_forces_informed(forces("dev-1", "att-2", "75", "csp-paris-15", "tj-paris"))
    assert service.device_routing("dev-1")["attribution_id"] == "att-1"
    assert service.device_routing("dev-1")["competent"]["unit"] == "bta-moulins"


# -- item 6: only an addressee acknowledges or reports ---------------------------------
def test_a_non_addressee_gets_alert_not_found_and_the_alert_is_untouched(service):
    provision(service)
    alert_id = trigger(service)["alert_id"]
    view = service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "danger"})
    dispatch_id = view["deliveries"][0]["dispatch_id"]
    before = record(service, alert_id)
    with pytest.raises(AlertNotFound) as refused:
        service.acknowledge(alert_id, {"dispatch_id": dispatch_id, "recipient": STRANGER})
    with pytest.raises(AlertNotFound) as missing:
        service.acknowledge("0" * 32, {"dispatch_id": dispatch_id, "recipient": STRANGER})
    assert str(refused.value) == str(missing.value)  # the same answer as a missing alert
    with pytest.raises(AlertNotFound):
        service.report_outcome(alert_id, {"recipient": STRANGER, "result": "on_site"})
    association = {"audience": "association", "territory": "tj-moulins", "unit": "any"}
    with pytest.raises(AlertNotFound):
        service.report_outcome(alert_id, {"recipient": association, "result": "on_site"})
    assert record(service, alert_id) == before


def test_an_outcome_for_a_closed_alert_is_a_conflict_and_changes_nothing(service):
    provision(service)
    alert_id = trigger(service)["alert_id"]
    service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "danger"})
    service.report_outcome(alert_id, {"recipient": GENDARMERIE_03, "result": "author_arrested"})
    before = record(service, alert_id)
    with pytest.raises(AlertStateConflict):
        service.report_outcome(alert_id, {"recipient": GENDARMERIE_03, "result": "on_site"})
    assert record(service, alert_id) == before
    assert service.get_alert(alert_id)["result"] == "author_arrested"


def test_a_non_addressee_reply_over_amqp_is_not_applied_and_not_marked_handled(service):
    provision(service)
    alert_id = trigger(service)["alert_id"]
    view = service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "danger"})
    ack = event_model(EventName.PARTNER_ACKNOWLEDGED)(
        alert_id=alert_id, dispatch_id=view["deliveries"][0]["dispatch_id"], recipient=STRANGER, acknowledged_at=T0
    )
    event = received(EventName.PARTNER_ACKNOWLEDGED, ack, source="gendarmerie-03-bta-cusset")
    before = record(service, alert_id)
    with pytest.raises(AlertNotFound):  # requeued, then dead-lettered where an operator sees it
        service.on_partner_acknowledged(event)
    assert not service.alerts.handled(event.envelope.dedup_key)
    assert record(service, alert_id) == before


# -- item 8: a test call on the alert key counts -----------------------------------------
def test_a_test_call_publishes_the_event_the_device_service_counts(service):
    provision(service)
    alert_id = trigger(service)["alert_id"]
    service.now.now = T0 + 30 * S
    service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "test_call"})
    (event,) = [e for e, _ in service.events.published if e.event_name == EventName.ALERT_TEST_CALL]
    assert event.data["device_id"] == "dev-1"
    assert event.data["attribution_id"] == "att-1"
    assert event.data["called_at"].startswith("2026-06-01T22:00:00")
    accidental = trigger(service, press_id="press-2", at=T0 + 40 * S)["alert_id"]
    service.qualify_alert(accidental, {"operator": "op-1", "outcome": "accidental"})
    assert [e.event_name for e, _ in service.events.published].count(EventName.ALERT_TEST_CALL) == 1


def test_without_her_consent_the_forwarded_press_carries_no_position(service):
    service.dossiers.consent = False
    provision(service)
    alert_id = trigger(service)["alert_id"]
    service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "danger"})
    before = len(service.events.published)
    trigger(service, press_id="press-2", at=T0 + 20 * S)
    forwarded = [e.data for e, rk in service.events.published[before:] if rk]
    assert forwarded
    assert all(d["kind"] == "press" and d["position"] is None for d in forwarded)
