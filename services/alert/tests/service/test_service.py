"""AlertService with nameko's worker_factory: the real repository on an in-memory
database, publishers replaced by recorders, the clock moved by hand."""

from datetime import UTC, datetime, timedelta

import pytest
from nameko.testing.services import worker_factory

from alert.dependencies import AlertSettings, load_script
from alert.domain.escalation import Policy
from alert.models import DB_ALIAS, AlertDocument
from alert.repository import AlertRepository, AlertStore
from alert.service import AlertService
from tgd_contracts.device import DeviceActivated, DeviceProvisioned, ForcesInformed
from tgd_contracts.envelope import Envelope, build_envelope
from tgd_contracts.events import EventName
from tgd_contracts.examples import dossier as examples
from tgd_contracts.registry import event_model
from tgd_servicekit.handlers import parse_event
from tgd_servicekit.outbox import publish_one_by_one

T0 = datetime(2026, 6, 1, 22, 0, tzinfo=UTC)


class Recorder:
    def __init__(self):
        self.published: list[tuple[Envelope, str | None]] = []
        self.fail = False

    def build(self, event_name, subject, data):
        return build_envelope(source_service="alert", event_name=event_name, subject=subject, data=data)

    def publish(self, envelope, routing_key=None):
        if self.fail:
            raise ConnectionRefusedError("broker down")
        self.published.append((envelope, routing_key))

    def publish_many(self, envelopes):  # the relay's: one by one here
        return publish_one_by_one(self.publish)(envelopes)


class Clock:
    def __init__(self):
        self.now = T0

    def __call__(self):
        return self.now


def fiche(device_id="dev-1", consent=True):
    """A fictional dossier (fiche navette); ``consent``: her consent to geolocation."""
    return examples.dossier("att-1", device_id, "tj-moulins", insee_code="03190", consent=consent)


class Dossiers:
    """The device service's ``get_dossier``: her dossier, consenting to geolocation by default."""

    consent: bool | None = True  # None: the device service gives no dossier

    def fetch(self, device_id):
        return None if self.consent is None else fiche(device_id, self.consent)


@pytest.fixture
def service(in_memory_db):
    in_memory_db(DB_ALIAS)
    settings = AlertSettings(
        policy=Policy(failsafe_delay=timedelta(seconds=30), ack_delay=timedelta(seconds=60), repeats=1),
        grouping_window=timedelta(seconds=600),
        script=load_script(None),
    )
    events = Recorder()
    return worker_factory(
        AlertService,
        alerts=AlertRepository(),
        events=events,
        partners=events,
        settings=settings,
        now=Clock(),
        dossiers=Dossiers(),
        spawn=lambda fn, *args: fn(*args),  # publish inline: the test sees it at once
    )


def received(event_name, data, source="device"):
    envelope = build_envelope(source_service=source, event_name=event_name, subject="x", data=data)
    return parse_event(envelope.model_dump(mode="json"), event_name)


def provision(service, device_id="dev-1", attribution_id="att-1"):
    service.on_device_provisioned(
        received(
            EventName.DEVICE_PROVISIONED,
            DeviceProvisioned(
                device_id=device_id,
                attribution_id=attribution_id,
                jurisdiction="tj-moulins",
                department="03",
                home_insee_code="03190",
                provisioned_at=T0,
            ),
        )
    )
    service.on_device_activated(
        received(
            EventName.DEVICE_ACTIVATED,
            DeviceActivated(device_id=device_id, attribution_id=attribution_id, activated_at=T0),
        )
    )
    service.on_forces_informed(
        received(
            EventName.FORCES_INFORMED,
            ForcesInformed.consume(
                {
                    "attribution_id": attribution_id,
                    "device_id": device_id,
                    "jurisdiction": "tj-moulins",
                    "competent": {
                        "audience": "gendarmerie",
                        "department": "03",
                        "unit_code": "bta-moulins",
                        "unit_name": "BTA",
                    },
                    "also_informed": [
                        {"audience": "police", "department": "03", "unit_code": "csp-moulins", "unit_name": "CSP"}
                    ],
                    "acknowledged_at": "2026-01-01T00:00:00Z",
                }
            ),
            source="notify",
        )
    )


def trigger(service, press_id="press-1", device_id="dev-1", at=T0):
    return service.trigger_alert(
        {
            "device_id": device_id,
            "press_id": press_id,
            "triggered_at": at.isoformat(),
            "position": {"lat": 46.56, "lon": 3.33, "accuracy_m": 12.0, "fixed_at": at.isoformat()},
        }
    )


def partner_keys(service):
    return [rk for _, rk in service.events.published if rk]


def test_a_trigger_is_stored_with_its_event_in_one_write_and_published(service):
    provision(service)
    result = trigger(service)
    assert result["joined"] is False
    assert result["duplicate"] is False
    assert result["flags"] == []
    doc = AlertDocument.objects.get(alert_id=result["alert_id"])
    assert [e.published for e in doc.outbox] == [True]
    ((envelope, routing_key),) = service.events.published
    assert (envelope.event_name, routing_key) == ("alert_raised", None)
    assert envelope.data["jurisdiction"] == "tj-moulins"  # the operator's live list shows the line at once


def test_a_retried_press_is_recognised_and_a_new_press_joins_the_incident(service):
    provision(service)
    first = trigger(service)
    assert trigger(service)["duplicate"] is True
    service.now.now = T0 + timedelta(seconds=20)
    joined = trigger(service, press_id="press-2", at=T0 + timedelta(seconds=20))
    assert joined == {"alert_id": first["alert_id"], "joined": True, "duplicate": False, "flags": []}
    view = service.get_alert(first["alert_id"])
    assert len(view["presses"]) == 2
    assert len(view["positions"]) == 2
    assert AlertDocument.objects.count() == 1


def test_an_unknown_device_is_recorded_and_flagged(service):
    result = trigger(service, device_id="dev-unknown")
    assert result["flags"] == ["unknown_device"]
    assert service.list_open_alerts()["items"][0]["flags"] == ["unknown_device"]


def test_operator_qualifies_danger_then_the_force_acknowledges_and_reports(service):
    provision(service)
    alert_id = trigger(service)["alert_id"]
    service.take_alert(alert_id, {"operator": "op-1"})
    view = service.answer_question(
        alert_id,
        {
            "operator": "op-1",
            "question_id": "author-present",
            "answer": "yes",
            "note": "Il frappe à la porte (fictif).",
        },
    )
    assert view["suggested_outcome"] == "danger"
    view = service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "danger"})
    assert view["state"] == "dispatched"
    assert view["automatic"] is False
    assert partner_keys(service) == [  # she is in Moulins (police zone): the CIC; her home's brigade
        "command.03.cic-03.dispatch",
        "gendarmerie.03.bta-moulins.dispatch",
        "association.tj-moulins.any.dispatch",
    ]
    assert view["located"]["basis"] == "position"
    centre = view["deliveries"][0]
    assert (centre["name"], centre["phone"]) == ("CIC fictif de l'Allier", "01 99 00 03 17")
    dispatch_id = view["deliveries"][1]["dispatch_id"]
    gendarmerie = {"audience": "gendarmerie", "territory": "03", "unit": "bta-moulins"}
    view = service.acknowledge(alert_id, {"dispatch_id": dispatch_id, "recipient": gendarmerie})
    assert view["deliveries"][1]["acknowledged_at"] is not None
    view = service.report_outcome(alert_id, {"recipient": gendarmerie, "result": "author_arrested"})
    assert view["state"] == "closed"
    assert view["result"] == "author_arrested"
    assert partner_keys(service)[-3:] == [
        "command.03.cic-03.closure",
        "gendarmerie.03.bta-moulins.closure",
        "association.tj-moulins.any.closure",
    ]
    assert service.events.published[-1][0].event_name == "alert_closed"
    kinds = [e["kind"] for e in view["journal"]]
    assert kinds[:4] == ["raised", "taken", "answer", "conversation"]
    assert {"qualified", "dispatch", "acknowledged", "outcome", "closed"} <= set(kinds)


def test_the_timer_dispatches_automatically_and_escalates(service):
    provision(service)
    alert_id = trigger(service)["alert_id"]
    service.now.now = T0 + timedelta(seconds=29)
    service.check_deadlines()
    assert partner_keys(service) == []
    service.now.now = T0 + timedelta(seconds=30)
    service.check_deadlines()
    view = service.get_alert(alert_id)
    assert view["state"] == "dispatched"
    assert view["automatic"] is True
    for step in (90, 150):
        service.now.now = T0 + timedelta(seconds=step)
        service.check_deadlines()
    assert partner_keys(service)[-1] == "command.03.cic-63.escalation"  # the CIC's backup, never the other force
    assert not any(k.startswith("police.") for k in partner_keys(service))


def test_a_broker_outage_leaves_partner_messages_in_the_outbox_until_the_relay(service):
    provision(service)
    alert_id = trigger(service)["alert_id"]
    service.events.fail = True
    service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "danger"})
    assert partner_keys(service) == []
    service.events.fail = False
    service.relay_outbox()
    assert partner_keys(service) == [
        "command.03.cic-03.dispatch",
        "gendarmerie.03.bta-moulins.dispatch",
        "association.tj-moulins.any.dispatch",
    ]
    service.relay_outbox()
    assert len(partner_keys(service)) == 3


def test_a_partner_acknowledgement_over_amqp_is_handled_once(service):
    provision(service)
    alert_id = trigger(service)["alert_id"]
    view = service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "danger"})
    model = event_model(EventName.PARTNER_ACKNOWLEDGED)
    ack = model(
        alert_id=alert_id,
        dispatch_id=view["deliveries"][1]["dispatch_id"],
        recipient={"audience": "gendarmerie", "territory": "03", "unit": "bta-moulins"},
        acknowledged_at=T0,
    )
    event = received(EventName.PARTNER_ACKNOWLEDGED, ack, source="gendarmerie-03-bta-moulins")
    service.on_partner_acknowledged(event)
    service.now.now = T0 + timedelta(seconds=5)
    service.on_partner_acknowledged(event)
    view = service.get_alert(alert_id)
    assert view["deliveries"][1]["acknowledged_at"].startswith("2026-06-01T22:00:00")
    assert [e["kind"] for e in view["journal"]].count("acknowledged") == 1


def test_a_position_update_attaches_to_the_open_alert(service):
    provision(service)
    alert_id = trigger(service)["alert_id"]
    update = {
        "device_id": "dev-1",
        "position": {"lat": 46.0, "lon": 3.0, "accuracy_m": 5.0, "fixed_at": T0.isoformat()},
    }
    assert service.update_position(update) == {"alert_id": alert_id}
    assert len(service.get_alert(alert_id)["positions"]) == 2


def test_test_call_closes_and_invalid_requests_are_refused(service):
    from alert.exceptions import AlertNotFound, AlertStateConflict, InvalidRequest, NoOpenAlert

    provision(service)
    alert_id = trigger(service)["alert_id"]
    assert service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "test_call"})["state"] == "closed"
    with pytest.raises(AlertStateConflict):
        service.close_alert(alert_id, {"operator": "op-1"})
    with pytest.raises(InvalidRequest):
        service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "maybe"})
    with pytest.raises(AlertNotFound):
        service.get_alert("nope")
    with pytest.raises(NoOpenAlert):
        service.update_position(
            {"device_id": "dev-1", "position": {"lat": 1.0, "lon": 1.0, "accuracy_m": 1.0, "fixed_at": T0.isoformat()}}
        )


def test_one_failing_alert_does_not_hold_back_the_failsafe_of_the_others(service, monkeypatch):
    provision(service, "dev-1")
    provision(service, "dev-2")
    first = trigger(service, device_id="dev-1")["alert_id"]
    second = trigger(service, press_id="press-2", device_id="dev-2")["alert_id"]
    original = AlertStore.load  # read back or kept from its last write: either way it fails

    def broken_for_first(store, alert_id):
        if alert_id == first:
            raise RuntimeError("corrupt record")
        return original(store, alert_id)

    monkeypatch.setattr(AlertStore, "load", broken_for_first)
    service.now.now = T0 + timedelta(seconds=30)
    service.check_deadlines()
    monkeypatch.setattr(AlertStore, "load", original)
    assert service.get_alert(second)["automatic"] is True
    assert service.get_alert(first)["state"] == "raised"


def test_positions_and_the_messages_that_carried_them_are_purged_72_hours_after_the_alert(service):
    provision(service)
    alert_id = trigger(service)["alert_id"]
    service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "danger"})
    service.close_alert(alert_id, {"operator": "op-1"})
    service.now.now = T0 + timedelta(hours=72) - timedelta(seconds=1)
    service.run_retention()
    assert len(service.get_alert(alert_id)["positions"]) == 1
    service.now.now = T0 + timedelta(hours=72)
    service.run_retention()
    assert service.get_alert(alert_id)["positions"] == []
    doc = AlertDocument.objects.get(alert_id=alert_id)
    assert doc.outbox == []
    assert doc.positions_purge_at is None


def test_the_alert_record_positions_and_conversation_are_not_stored_in_clear(service):
    import mongoengine

    provision(service)
    alert_id = trigger(service)["alert_id"]
    service.take_alert(alert_id, {"operator": "op-1"})
    note = "Il frappe à la porte (fictif)."
    service.answer_question(
        alert_id, {"operator": "op-1", "question_id": "author-present", "answer": "yes", "note": note}
    )
    service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "danger"})
    raw = str(mongoengine.get_db(DB_ALIAS)[AlertDocument._get_collection_name()].find_one({"_id": alert_id}))
    for personal in ("46.56", "3.33", "Il frappe"):  # position and conversation (question ids are script keys)
        assert personal not in raw
    assert service.get_alert(alert_id)["positions"][0]["lat"] == 46.56  # read back, typed


def test_the_device_read_model_and_its_dossier_are_not_stored_in_clear(service):
    import mongoengine

    from alert.models import DeviceDocument

    dossier = examples.dossier("att-1", "dev-1", "tj-moulins", surname="EXEMPLE-SCELLE", insee_code="03190")
    service.dossiers.fetch = lambda device_id: dossier
    provision(service)
    raw = str(mongoengine.get_db(DB_ALIAS)[DeviceDocument._get_collection_name()].find_one())
    assert service.device_routing("dev-1")["has_dossier"] is True  # it was stored...
    assert "1 Rue Fictive" not in raw  # ...sealed
    assert "EXEMPLE-SCELLE" not in raw
    assert "dev-1" not in raw.replace("'_id': 'dev-1'", "")  # facts sealed; the id is the key


def test_the_alert_evidence_holds_its_whole_record_its_messages_and_its_trace_only(service):
    """Seed 002 §E.II.c: the record, the conversation, the dispatches and their acknowledgements."""
    from tgd_contracts.evidence import EvidencePart

    provision(service)
    alert_id = trigger(service)["alert_id"]
    service.now.now = T0 + timedelta(hours=2)
    other_id = trigger(service, press_id="press-other", at=T0 + timedelta(hours=2))["alert_id"]  # a later incident
    assert other_id != alert_id
    service.take_alert(alert_id, {"operator": "op-1"})
    view = service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "danger"})
    gendarmerie = {"audience": "gendarmerie", "territory": "03", "unit": "bta-moulins"}
    service.acknowledge(alert_id, {"dispatch_id": view["deliveries"][1]["dispatch_id"], "recipient": gendarmerie})
    traceparent = f"00-{'ab' * 16}-{'cd' * 8}-01"
    AlertDocument._get_collection().update_one({"_id": alert_id}, {"$set": {"plain.traceparent": traceparent}})

    part = EvidencePart.consume(service.alert_evidence(alert_id))
    assert (part.service, part.subject_id, part.jurisdiction) == ("alert", alert_id, "tj-moulins")
    record = part.records["alert"]
    assert record["deliveries"][1]["acknowledged_at"] is not None
    assert record["positions"][0]["lat"] == 46.56
    assert {"raised", "taken", "qualified", "dispatch", "acknowledged"} <= {e["kind"] for e in record["journal"]}
    assert part.events[0]["type"] == "fr.tgd.alert_raised"
    assert any(e["type"] == "fr.tgd.partner_dispatch" for e in part.events)
    assert "ab" * 16 in part.trace_ids
    assert other_id not in part.model_dump_json()  # nothing of the other alert
    assert service.alerts_of_device("dev-1") == {"device_id": "dev-1", "alert_ids": [alert_id, other_id]}
    assert service.alerts_of_device("dev-1", "att-2")["alert_ids"] == []  # another attribution's alerts only


def test_the_evidence_of_an_unknown_alert_is_refused(service):
    from alert.exceptions import AlertNotFound

    with pytest.raises(AlertNotFound):
        service.alert_evidence("f" * 32)


def test_reordered_replies_the_outcome_before_the_acknowledgement_apply_once_each(service):
    """The broker does not order two queues: a force's report may overtake its own
    acknowledgement, and either may come twice."""
    provision(service)
    alert_id = trigger(service)["alert_id"]
    view = service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "danger"})
    delivery = view["deliveries"][0]
    source = f"{delivery['recipient']['audience']}-{delivery['recipient']['territory']}-{delivery['recipient']['unit']}"
    outcome = event_model(EventName.OUTCOME_REPORTED)(
        alert_id=alert_id, recipient=delivery["recipient"], result="author_arrested", reported_at=T0
    )
    ack = event_model(EventName.PARTNER_ACKNOWLEDGED)(
        alert_id=alert_id, dispatch_id=delivery["dispatch_id"], recipient=delivery["recipient"], acknowledged_at=T0
    )
    outcome_event = received(EventName.OUTCOME_REPORTED, outcome, source=source)
    ack_event = received(EventName.PARTNER_ACKNOWLEDGED, ack, source=source)
    for event, handle in [
        (outcome_event, service.on_outcome_reported),
        (ack_event, service.on_partner_acknowledged),
        (outcome_event, service.on_outcome_reported),
        (ack_event, service.on_partner_acknowledged),
    ]:
        handle(event)
    view = service.get_alert(alert_id)
    kinds = [e["kind"] for e in view["journal"]]
    assert view["state"] == "closed"
    assert kinds.count("acknowledged") <= 1
    assert kinds.count("outcome") == 1


# -- where she is, and her consent (issue 14, items 2 and 4) -----------------------------
CLERMONT = {"lat": 45.7786, "lon": 3.0816, "accuracy_m": 15.0}  # 63 (gendarmerie by default), far from home


def trigger_at(service, where, at=T0, press_id="press-1"):
    return service.trigger_alert(
        {
            "device_id": "dev-1",
            "press_id": press_id,
            "triggered_at": at.isoformat(),
            "position": {**where, "fixed_at": at.isoformat()},
        }
    )


def test_far_from_home_the_first_dispatch_goes_to_the_centre_where_she_is(service):
    provision(service)  # her home: the gendarmerie zone of the Allier (03)
    alert_id = trigger_at(service, CLERMONT)["alert_id"]
    view = service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "danger"})
    assert partner_keys(service) == [
        "command.63.corg-63.dispatch",
        "gendarmerie.03.bta-moulins.dispatch",
        "association.tj-moulins.any.dispatch",
    ]
    assert (view["located"]["department"], view["located"]["insee_code"]) == ("63", "63113")
    sent = next(e.data for e, rk in service.events.published if rk == "command.63.corg-63.dispatch")
    assert sent["position"]["lat"] == CLERMONT["lat"]
    assert sent["position_status"] == "usable"


def test_without_her_consent_no_position_is_stored_shown_or_sent_and_her_home_routes(service):
    service.dossiers.consent = False
    provision(service)
    alert_id = trigger_at(service, CLERMONT)["alert_id"]
    update = {"device_id": "dev-1", "position": {**CLERMONT, "fixed_at": T0.isoformat()}}
    assert service.update_position(update) == {"alert_id": alert_id}
    view = service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "danger"})
    assert view["positions"] == []
    assert view["position_status"] == "no_consent"
    # her home commune (Moulins' brigade: gendarmerie zone of 03) routes to the CORG
    assert partner_keys(service)[0] == "command.03.corg-03.dispatch"
    for envelope, routing_key in service.events.published:
        if routing_key:
            assert envelope.data.get("position") is None
            assert "45.7786" not in str(envelope.data)
    raw = next(e for e, _ in service.events.published if e.event_name == "partner_dispatch").data
    assert raw["position_status"] == "no_consent"


def test_with_consent_a_new_position_reaches_every_force_already_alerted(service):
    provision(service)
    alert_id = trigger(service)["alert_id"]
    service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "danger"})
    before = len(partner_keys(service))
    later = T0 + timedelta(seconds=40)
    service.now.now = later
    update = {"device_id": "dev-1", "position": {**CLERMONT, "fixed_at": later.isoformat()}}
    assert service.update_position(update) == {"alert_id": alert_id}
    assert partner_keys(service)[before:] == ["command.03.cic-03.position", "gendarmerie.03.bta-moulins.position"]
    envelope = service.events.published[-1][0]
    assert (envelope.data["position"]["accuracy_m"], envelope.data["position"]["fixed_at"][:19]) == (
        15.0,
        later.isoformat()[:19],
    )
    assert len(service.get_alert(alert_id)["positions"]) == 2  # shown on the console (live part)


def test_a_position_whose_accuracy_is_not_a_number_is_refused_and_nothing_changes(service):
    from alert.exceptions import InvalidRequest

    provision(service)
    alert_id = trigger(service)["alert_id"]
    for bad in (float("nan"), float("inf"), 1e12):
        with pytest.raises(InvalidRequest):
            service.update_position(
                {"device_id": "dev-1", "position": {**CLERMONT, "accuracy_m": bad, "fixed_at": T0.isoformat()}}
            )
    assert len(service.get_alert(alert_id)["positions"]) == 1


def test_the_operator_list_counts_an_alert_acknowledged_only_once_a_centre_of_the_ladder_answered(service):
    provision(service)
    alert_id = trigger(service)["alert_id"]
    view = service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "danger"})
    centre, home, association = view["deliveries"]
    for d in (home, association):  # the follow-up recipients answer; the CIC is silent
        service.acknowledge(alert_id, {"dispatch_id": d["dispatch_id"], "recipient": d["recipient"]})
    assert service.list_open_alerts()["items"][0]["acknowledged"] is False
    service.acknowledge(alert_id, {"dispatch_id": centre["dispatch_id"], "recipient": centre["recipient"]})
    assert service.list_open_alerts()["items"][0]["acknowledged"] is True


def test_when_the_corrected_fiche_withdraws_consent_the_kept_position_is_forgotten(service):
    from tgd_contracts.device import DossierChanged

    provision(service)  # the copy fetched at activation: she consented
    alert_id = trigger_at(service, CLERMONT)["alert_id"]
    assert len(service.get_alert(alert_id)["positions"]) == 1
    service.dossiers.consent = False  # the fiche navette was corrected since
    changed = DossierChanged(device_id="dev-1", attribution_id="att-1", changed_at=T0)
    service.on_dossier_changed(received(EventName.DOSSIER_CHANGED, changed))
    assert service.alerts.device("dev-1").dossier["beneficiary"]["geolocation_consent"] is False
    view = service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "danger"})
    assert view["positions"] == []
    assert view["position_status"] == "no_consent"
    assert partner_keys(service)[0] == "command.03.corg-03.dispatch"  # her home, not Clermont


def test_the_alert_path_never_fetches_a_dossier_it_holds_nor_consumes_its_own_alert_raised(service):
    provision(service)
    fetched = []
    fetch = service.dossiers.fetch
    service.dossiers.fetch = lambda device_id: fetched.append(device_id) or fetch(device_id)
    trigger(service)
    assert fetched == []
    assert not hasattr(service, "on_alert_raised")


def test_an_alert_raised_without_a_copy_of_the_dossier_fetches_it_once_beside_the_alert_path(service):
    service.dossiers.consent = None  # the device service did not answer at activation
    provision(service)
    assert service.alerts.device("dev-1").dossier is None
    service.dossiers.consent = False
    alert_id = trigger_at(service, CLERMONT)["alert_id"]
    view = service.get_alert(alert_id)
    assert view["dossier"]["beneficiary"]["geolocation_consent"] is False
    assert view["positions"] == []  # no consent known at the press: nothing was kept
    assert service.alerts.device("dev-1").dossier is not None
