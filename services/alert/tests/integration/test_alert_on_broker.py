"""The alert service in a nameko container on the real RabbitMQ, with a tiny stand-in
``device`` service answering ``get_dossier``."""

import json
from datetime import UTC, datetime

import pytest
from kombu import Connection
from nameko.standalone.rpc import ServiceRpcClient

from alert.models import DB_ALIAS
from alert.service import AlertService
from tgd_contracts.alert import OutcomeReported, PartnerAcknowledged
from tgd_contracts.device import DeviceActivated, DeviceProvisioned, ForcesInformed
from tgd_contracts.envelope import build_envelope
from tgd_contracts.examples import dossier as examples
from tgd_contracts.partners import PARTNER_REPLY_EXCHANGE
from tgd_servicekit.consumers import rpc
from tgd_servicekit.testing.bus import publish_envelope, publish_raw, queue_depth
from tgd_servicekit.testing.processes import wait_until

pytestmark = pytest.mark.integration
NOW = datetime(2026, 6, 1, 22, 0, tzinfo=UTC)
DEVICE = "dev-int-0001"
DOSSIER = examples.dossier("att-int-1", DEVICE, "tj-cusset", insee_code="03095", basis="judicial_supervision")


class FakeDevice:
    name = "device"
    calls = 0

    @rpc
    def get_dossier(self, device_id):
        FakeDevice.calls += 1
        return DOSSIER


@pytest.fixture
def alert_service(container_factory, nameko_amqp_config, in_memory_db):
    in_memory_db(DB_ALIAS)
    FakeDevice.calls = 0
    device = container_factory(FakeDevice)
    device.start()
    container = container_factory(AlertService)
    container.start()
    return container


def publish_event(uri, source, name, data):
    envelope = build_envelope(source_service=source, event_name=name, subject=DEVICE, data=data)
    publish_envelope(uri, f"{source}.events", name, envelope.model_dump_json())


def raise_alert(vhost_uri):
    """Her device attributed and activated, then she presses in Clermont-Ferrand; qualified."""
    publish_event(vhost_uri, "device", "device_provisioned", DeviceProvisioned(
        device_id=DEVICE, attribution_id="att-int-1", jurisdiction="tj-cusset", department="03",
        home_insee_code="03095", provisioned_at=NOW))  # fmt: skip
    publish_event(vhost_uri, "notify", "forces_informed", ForcesInformed.consume({
        "attribution_id": "att-int-1", "device_id": DEVICE, "jurisdiction": "tj-cusset",
        "competent": {"audience": "police", "department": "03", "unit_code": "csp-vichy", "unit_name": "CSP"},
        "acknowledged_at": NOW.isoformat()}))  # fmt: skip
    publish_event(vhost_uri, "device", "device_activated",
                  DeviceActivated(device_id=DEVICE, attribution_id="att-int-1", activated_at=NOW))  # fmt: skip

    with ServiceRpcClient("alert") as client:
        wait_until(lambda: client.device_routing(device_id=DEVICE)["has_dossier"], 10, "the dossier at activation")
        at = datetime.now(UTC)  # she is in Clermont-Ferrand (63), far from her home in the Allier (03)
        clermont = {"lat": 45.7786, "lon": 3.0816, "accuracy_m": 20.0, "fixed_at": at.isoformat()}
        result = client.trigger_alert(trigger={"device_id": DEVICE, "press_id": "p-int-1",
                                               "triggered_at": at.isoformat(), "position": clermont})  # fmt: skip
        alert_id = result["alert_id"]
        assert client.get_alert(alert_id=alert_id)["dossier"]["jurisdiction"] == "tj-cusset"
        view = client.qualify_alert(alert_id=alert_id, request={"operator": "op-int", "outcome": "danger"})
    assert FakeDevice.calls == 1  # at activation only: the alert path uses the copy held
    return alert_id, view


def test_a_corrected_fiche_refreshes_the_dossier_copy_over_the_broker(alert_service, vhost_uri, bus_observer):
    from tgd_contracts.device import DossierChanged

    alert_id, _ = raise_alert(vhost_uri)
    publish_event(vhost_uri, "device", "dossier_changed",
                  DossierChanged(device_id=DEVICE, attribution_id="att-int-1", changed_at=NOW))  # fmt: skip
    wait_until(lambda: FakeDevice.calls >= 2, 10, "the dossier fetched again")
    with ServiceRpcClient("alert") as client:
        assert client.get_alert(alert_id=alert_id)["dossier"]["jurisdiction"] == "tj-cusset"


def test_trigger_dispatch_and_acknowledge_over_amqp(alert_service, vhost_uri, bus_observer):
    alert_id, view = raise_alert(vhost_uri)
    centre_queue = "partner.command.63.corg-63"  # the centre of the place where she is (63: gendarmerie zone)
    assert wait_until(lambda: queue_depth(vhost_uri, centre_queue) == 1, 10, "the dispatch held for the CORG of 63")
    with Connection(vhost_uri) as conn:
        first = json.loads(conn.default_channel.basic_get(centre_queue, no_ack=True).body)
    assert first["data"]["recipient"] == {"audience": "command", "territory": "63", "unit": "corg-63"}
    assert first["data"]["position"]["lat"] == 45.7786
    assert first["data"]["located"]["insee_code"] == "63113"
    police_queue = "partner.police.03.csp-vichy"  # her home's unit, in parallel
    assert wait_until(lambda: queue_depth(vhost_uri, police_queue) == 1, 10, "the dispatch held for the police")
    association_queue = "partner.association.tj-cusset.any"
    assert wait_until(lambda: queue_depth(vhost_uri, association_queue) == 1, 10, "the dispatch for the association")
    with Connection(vhost_uri) as conn:
        message = conn.default_channel.basic_get(police_queue, no_ack=True)
        body = json.loads(message.body)
    assert body["type"] == "fr.tgd.partner_dispatch"
    assert body["data"]["dossier"]["author"]["no_contact_order"]["basis"] == "judicial_supervision"
    assert message.headers["cloudEvents:id"] == body["id"]

    police = next(d for d in view["deliveries"] if d["recipient"]["audience"] == "police")
    ack = PartnerAcknowledged(alert_id=alert_id, dispatch_id=police["dispatch_id"],
                              recipient=police["recipient"], acknowledged_at=NOW)  # fmt: skip
    envelope = build_envelope(source_service="partner-police-03-csp-vichy", event_name="partner_acknowledged",
                              subject=alert_id, data=ack)  # fmt: skip
    impostor = "gendarmerie.03.bta-vichy.acknowledgement"  # another partner's key: refused
    bus_observer.expect_violations(1)  # the impostor's source is not its key's addressee
    publish_envelope(vhost_uri, PARTNER_REPLY_EXCHANGE, impostor, envelope.model_dump_json())
    wait_until(lambda: queue_depth(vhost_uri, "tgd.dead-letters") == 1, 10, "the impostor dead-lettered")
    with ServiceRpcClient("alert") as client:
        assert client.get_alert(alert_id=alert_id)["deliveries"][1]["acknowledged_at"] is None
    for _ in range(2):  # delivered twice: handled once
        publish_envelope(
            vhost_uri, PARTNER_REPLY_EXCHANGE, "police.03.csp-vichy.acknowledgement", envelope.model_dump_json()
        )
    with ServiceRpcClient("alert") as client:
        acked = wait_until(lambda: client.get_alert(alert_id=alert_id)["deliveries"][1]["acknowledged_at"], 10, "ack")
        assert acked
        journal = client.get_alert(alert_id=alert_id)["journal"]
    assert [e["kind"] for e in journal].count("acknowledged") == 1

    report = OutcomeReported(alert_id=alert_id, recipient=police["recipient"], result="author_arrested",
                             reported_at=NOW)  # fmt: skip
    envelope = build_envelope(source_service="partner-police-03-csp-vichy", event_name="outcome_reported",
                              subject=alert_id, data=report)  # fmt: skip
    publish_envelope(vhost_uri, PARTNER_REPLY_EXCHANGE, "police.03.csp-vichy.outcome", envelope.model_dump_json())
    with ServiceRpcClient("alert") as client:
        closed = wait_until(lambda: client.get_alert(alert_id=alert_id)["closed_at"], 10, "closed by the outcome")
        assert closed
        assert client.get_alert(alert_id=alert_id)["result"] == "author_arrested"
    assert wait_until(lambda: queue_depth(vhost_uri, police_queue) == 1, 10, "the closure for the police")


def test_a_dead_letter_on_the_alert_path_raises_the_alarm_even_undecodable(
    alert_service, vhost_uri, caplog, bus_observer
):
    """Every malformed message on an alert queue goes to the dead letters AND raises the
    alarm, including one whose body cannot even be decoded (where and why come from the
    headers); a dead letter elsewhere does not."""
    bus_observer.expect_violations(2)
    publish_raw(vhost_uri, "device.events", "device_activated", b"{not json")
    publish_raw(
        vhost_uri, "device.events", "device_activated", b"\xff\xfe binary", content_type="application/x-garbage"
    )
    wait_until(lambda: caplog.text.count("ALARM dead letter on the alert path") >= 2, 15, "two alarms")
    assert "evt-device-device_activated--alert.on_device_activated" in caplog.text
    assert "binary" not in caplog.text  # where and why, never the content


def test_a_reply_from_a_partner_never_addressed_is_dead_lettered_and_changes_nothing(alert_service, vhost_uri):
    """A partner may publish only its own keys; with its own key but about an alert never
    dispatched to it, the reply is not applied: requeued, then dead-lettered (visible)."""
    publish_event(vhost_uri, "notify", "forces_informed", ForcesInformed.consume({
        "attribution_id": "att-int-1", "device_id": DEVICE, "jurisdiction": "tj-cusset",
        "competent": {"audience": "police", "department": "03", "unit_code": "csp-vichy", "unit_name": "CSP"},
        "acknowledged_at": NOW.isoformat()}))  # fmt: skip
    with ServiceRpcClient("alert") as client:
        wait_until(lambda: client.device_routing(device_id=DEVICE)["competent"], 10, "the competent unit")
        alert_id = client.trigger_alert(trigger={"device_id": DEVICE, "press_id": "p-int-2",
                                                 "triggered_at": NOW.isoformat()})["alert_id"]  # fmt: skip
        view = client.qualify_alert(alert_id=alert_id, request={"operator": "op-int", "outcome": "danger"})
    stranger = {"audience": "police", "territory": "03", "unit": "csp-moulins"}
    ack = PartnerAcknowledged(alert_id=alert_id, dispatch_id=view["deliveries"][0]["dispatch_id"],
                              recipient=stranger, acknowledged_at=NOW)  # fmt: skip
    envelope = build_envelope(source_service="partner-police-03-csp-moulins", event_name="partner_acknowledged",
                              subject=alert_id, data=ack)  # fmt: skip
    key = "police.03.csp-moulins.acknowledgement"  # its own key: a well-formed reply, about what it never got
    publish_envelope(vhost_uri, PARTNER_REPLY_EXCHANGE, key, envelope.model_dump_json())
    wait_until(lambda: queue_depth(vhost_uri, "tgd.dead-letters") == 1, 20, "the stranger's reply dead-lettered")
    with ServiceRpcClient("alert") as client:
        after = client.get_alert(alert_id=alert_id)
    assert all(d["acknowledged_at"] is None for d in after["deliveries"])
    assert after["journal"] == view["journal"]


@pytest.fixture
def sealing_alert(container_factory, nameko_amqp_config, in_memory_db, tmp_path):
    """alert with the police unit's public key registered (provisioning)."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from nameko import config

    from tgd_contracts.sealing import public_key_text

    key = X25519PrivateKey.generate()
    keys_file = tmp_path / "partner-keys.json"
    keys_file.write_text(json.dumps({"police.03.csp-vichy": public_key_text(key.public_key())}))
    with config.patch({"TGD_PARTNER_KEYS_FILE": str(keys_file)}, clear=False):
        in_memory_db(DB_ALIAS)
        FakeDevice.calls = 0
        container_factory(FakeDevice).start()
        container_factory(AlertService).start()
        yield key


def test_a_dispatch_on_the_broker_holds_her_dossier_and_position_only_sealed(sealing_alert, vhost_uri):
    from tgd_contracts.sealing import associated_data, open_sealed

    raise_alert(vhost_uri)
    police_queue = "partner.police.03.csp-vichy"
    assert wait_until(lambda: queue_depth(vhost_uri, police_queue) == 1, 10, "the dispatch held for the police")
    with Connection(vhost_uri) as conn:
        stored = conn.default_channel.basic_get(police_queue, no_ack=True).body  # what RabbitMQ stored
    raw = stored if isinstance(stored, bytes) else stored.encode()
    for fake in (b"EXEMPLE", b"AUTEUR-FICTIF", b"Rue Fictive", b"45.7786", b"judicial_supervision"):
        assert fake not in raw
    body = json.loads(raw)
    assert "dossier" not in body["data"]
    assert "position" not in body["data"]
    aad = associated_data(body["type"], body["id"], "police.03.csp-vichy")
    opened = open_sealed(body["data"], sealing_alert, aad)
    assert opened["dossier"]["beneficiary"]["identity"]["surname"] == "EXEMPLE"
    assert opened["position"]["lat"] == 45.7786


def test_a_position_update_on_the_broker_holds_no_latitude_or_longitude(sealing_alert, vhost_uri):
    """partner_position 2.0.0: her new position travels sealed for the police unit too."""
    from tgd_contracts.sealing import associated_data, open_sealed

    raise_alert(vhost_uri)
    police_queue = "partner.police.03.csp-vichy"
    assert wait_until(lambda: queue_depth(vhost_uri, police_queue) == 1, 10, "the dispatch held for the police")
    with Connection(vhost_uri) as conn:
        conn.default_channel.basic_get(police_queue, no_ack=True)  # the dispatch (tested above)
    moved = {"lat": 45.7712, "lon": 3.0893, "accuracy_m": 15.0, "fixed_at": datetime.now(UTC).isoformat()}
    with ServiceRpcClient("alert") as client:
        client.update_position(update={"device_id": DEVICE, "position": moved})
    assert wait_until(lambda: queue_depth(vhost_uri, police_queue) == 1, 10, "the position held for the police")
    with Connection(vhost_uri) as conn:
        stored = conn.default_channel.basic_get(police_queue, no_ack=True).body  # what RabbitMQ stored
    raw = stored if isinstance(stored, bytes) else stored.encode()
    body = json.loads(raw)
    assert body["type"] == "fr.tgd.partner_position"
    assert body["schemaversion"] == "2.0.0"
    for fake in (b"45.7712", b"3.0893", b'"lat"', b'"lon"'):
        assert fake not in raw
    assert "position" not in body["data"]
    opened = open_sealed(body["data"], sealing_alert, associated_data(body["type"], body["id"], "police.03.csp-vichy"))
    assert (opened["position"]["lat"], opened["position"]["lon"]) == (45.7712, 3.0893)


def test_in_production_a_dispatch_in_clear_still_goes_and_raises_a_counted_alarm(alert_service, vhost_uri, caplog):
    """No key registered for the police unit: the patrol is still sent, in clear, and the
    send is an alarm (addressee and type only; docs/security.md)."""
    import logging

    from alert.dependencies import PartnerPublisher
    from tgd_contracts.clear_sends import ClearSend, ClearSendAlarm

    publisher = next(d for d in alert_service.extensions if isinstance(d, PartnerPublisher))
    publisher.clear_alarm = ClearSendAlarm("production")  # TGD_ENV=production, read at setup
    with caplog.at_level(logging.CRITICAL):
        raise_alert(vhost_uri)
        police_queue = "partner.police.03.csp-vichy"
        assert wait_until(lambda: queue_depth(vhost_uri, police_queue) == 1, 10, "the dispatch still sent")
    assert publisher.clear_alarm.counts[ClearSend("police.03.csp-vichy", "partner_dispatch")] == 1
    assert "ALARM personal fields in clear: addressee=police.03.csp-vichy type=partner_dispatch" in caplog.text
    for fake in ("EXEMPLE", "AUTEUR-FICTIF", "45.7786"):
        assert fake not in caplog.text


@pytest.fixture
def alert_marking_at_stop(container_factory, nameko_amqp_config, in_memory_db, monkeypatch):
    """The alert service whose flusher never ticks (a huge interval): its marks are written
    only by a full batch or by its stop. Each write is recorded with what the store then holds."""
    from nameko import config

    from alert.models import AlertDocument
    from alert.repository import AlertRepository

    writes: list[tuple[list, list[bool]]] = []
    write = AlertRepository.mark_published_batch

    def recorded(self, marks):
        write(self, marks)
        stored = [AlertDocument.objects.get(alert_id=owner) for owner in {owner for owner, _ in marks}]
        writes.append((list(marks), [e.published for doc in stored for e in doc.outbox]))

    monkeypatch.setattr(AlertRepository, "mark_published_batch", recorded)
    in_memory_db(DB_ALIAS)
    FakeDevice.calls = 0
    container_factory(FakeDevice).start()
    with config.patch({"OUTBOX_MARK_INTERVAL_MS": 3_600_000}, clear=False):
        container = container_factory(AlertService)
        container.start()
    return container, writes


def test_the_marks_of_several_changes_wait_in_one_queue_and_a_clean_stop_writes_them_at_once(
    alert_marking_at_stop, vhost_uri
):
    from alert.models import AlertDocument
    from tgd_servicekit.mongo import MongoRepository

    container, writes = alert_marking_at_stop
    alert_id, _ = raise_alert(vhost_uri)  # raised, then qualified: the event and the dispatches
    (flusher,) = [e.marks for e in container.extensions if isinstance(e, MongoRepository)]
    entries = [e.event_id for e in AlertDocument.objects.get(alert_id=alert_id).outbox]
    assert len(entries) > 1
    wait_until(lambda: len(flusher.pending) == len(entries), 10, "every message confirmed and its mark queued")
    assert writes == []  # confirmed, not yet marked: the writer's lease keeps the relay away
    assert not any(e.published for e in AlertDocument.objects.get(alert_id=alert_id).outbox)
    container.stop()
    ((marks, published),) = writes  # one write for the changes of the alert
    assert sorted(event_id for _, event_id in marks) == sorted(entries)
    assert published == [True] * len(entries)  # written before the database was disconnected
