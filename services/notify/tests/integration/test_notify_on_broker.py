"""The notify service in a nameko container on the real RabbitMQ: notices on the
``tgd.partners`` exchange reach only the partner bound to their keys."""

import json
from datetime import UTC, datetime

import pytest
from nameko.rpc import rpc
from nameko.standalone.rpc import ServiceRpcClient

from notify.models import DB_ALIAS
from notify.service import NotifyService
from tgd_contracts.device import DeviceProvisioned
from tgd_contracts.envelope import Envelope, build_envelope
from tgd_contracts.notice import NoticeAcknowledged
from tgd_contracts.partners import PARTNER_REPLY_EXCHANGE, partner_source
from tgd_servicekit.testing.bus import publish_envelope, queue_depth
from tgd_servicekit.testing.partners import PartnerInbox
from tgd_servicekit.testing.processes import wait_until

from ..factories import dossier

pytestmark = pytest.mark.integration


class FakeDevice:
    """``device.get_dossier`` as the device service answers it (fictional dossier)."""

    name = "device"

    @rpc
    def get_dossier(self, device_id):
        return dossier("92903", attribution_id="att-b", device_id=device_id).to_wire()


@pytest.fixture
def notify_service(container_factory, nameko_amqp_config, in_memory_db):
    in_memory_db(DB_ALIAS)
    container_factory(FakeDevice).start()
    container = container_factory(NotifyService)
    container.start()
    return container


def provisioned_body(insee="92903"):
    data = DeviceProvisioned(
        device_id="dev-b",
        attribution_id="att-b",
        jurisdiction="tj-nanterre",
        department="92",
        home_insee_code=insee,
        provisioned_at=datetime(2026, 5, 1, tzinfo=UTC),
    )
    envelope = build_envelope(source_service="device", event_name="device_provisioned", subject="att-b", data=data)
    return json.dumps(envelope.model_dump(mode="json"))


def test_each_partner_receives_only_its_own_notice_and_acknowledges(notify_service, vhost_uri, captured_events):
    capture = captured_events("notify")
    brigade = PartnerInbox(vhost_uri, "gendarmerie.92.bta-fictive-g.*")
    groupement = PartnerInbox(vhost_uri, "gendarmerie.92.ggd-92.*")
    police = PartnerInbox(vhost_uri, "police.92.#")
    other_department = PartnerInbox(vhost_uri, "police.03.#", "gendarmerie.03.#")
    try:
        publish_envelope(vhost_uri, "device.events", "device_provisioned", provisioned_body())
        (notice,) = brigade.wait_for(lambda m: True)
        (police_notice,) = police.wait_for(lambda m: True)
        assert notice.routing_key == "gendarmerie.92.bta-fictive-g.notice"
        assert police_notice.routing_key == "police.92.ddsp-92.notice"
        assert notice.properties["delivery_mode"] == 2
        told = Envelope.consume(notice.body).data
        assert told["beneficiary"]["identity"]["surname"] == "EXEMPLE"  # SIP needs who she is
        assert told["author"]["no_contact_order"]["basis"] == "protection_order"
        (groupement_notice,) = groupement.wait_for(lambda m: True)
        with ServiceRpcClient("notify") as client:
            for message, unit in ((notice, "bta-fictive-g"), (police_notice, "ddsp-92"), (groupement_notice, "ggd-92")):
                notice_id = Envelope.consume(message.body).data["notice_id"]
                ack = {"unit_code": unit, "acknowledged_by": "Officier (fictif)", "sip_registered": True}
                client.acknowledge_notice(notice_id=notice_id, acknowledgement=ack)
        (informed,) = capture.wait_for("forces_informed")
        assert Envelope.consume(informed.body).data["competent"]["unit_code"] == "bta-fictive-g"
        other_department.drain(0.5)
        assert other_department.messages == []
        brigade.drain(0.2)
        assert len(brigade.messages) == 1
    finally:
        for inbox in (brigade, groupement, police, other_department):
            inbox.close()


def reply_body(notice_id, unit, key):
    data = NoticeAcknowledged(notice_id=notice_id, unit_code=unit, acknowledged_by="Officier (fictif)")
    source = partner_source(*key.split(".")[:3])
    envelope = build_envelope(source_service=source, event_name="notice_acknowledged", subject=notice_id, data=data)
    return json.dumps(envelope.model_dump(mode="json"))


def test_acknowledgements_over_amqp_and_a_forged_one_is_dead_lettered(notify_service, vhost_uri, captured_events):
    capture = captured_events("notify")
    inbox = PartnerInbox(vhost_uri, "gendarmerie.92.#", "police.92.#")
    try:
        publish_envelope(vhost_uri, "device.events", "device_provisioned", provisioned_body())
        notices = inbox.wait_for(lambda m: True, count=3)
        ids = {Envelope.consume(m.body).data["unit_code"]: Envelope.consume(m.body).data["notice_id"] for m in notices}
        # the police directorate cannot acknowledge the brigade's notice
        forged_key = "police.92.ddsp-92.notice-acknowledgement"
        forged = reply_body(ids["bta-fictive-g"], "bta-fictive-g", forged_key)
        publish_envelope(vhost_uri, PARTNER_REPLY_EXCHANGE, forged_key, forged)
        wait_until(lambda: queue_depth(vhost_uri, "tgd.dead-letters") >= 1, 10, "the forged reply dead-lettered")
        for unit, key in (
            ("bta-fictive-g", "gendarmerie.92.bta-fictive-g.notice-acknowledgement"),
            ("ggd-92", "gendarmerie.92.ggd-92.notice-acknowledgement"),
            ("ddsp-92", "police.92.ddsp-92.notice-acknowledgement"),
        ):
            publish_envelope(vhost_uri, PARTNER_REPLY_EXCHANGE, key, reply_body(ids[unit], unit, key))
        capture.wait_for("forces_informed")
    finally:
        inbox.close()


def test_a_notice_to_a_partner_that_never_connected_waits_in_its_queue(notify_service, vhost_uri):
    """The platform declares the addressee's queue before its first notice: nothing is
    unroutable, nothing waits in the outbox for a partner to bind."""
    from notify.models import InformationDocument

    publish_envelope(vhost_uri, "device.events", "device_provisioned", provisioned_body())
    wait_until(
        lambda: (
            queue_depth(vhost_uri, "partner.gendarmerie.92.bta-fictive-g") == 1
            and queue_depth(vhost_uri, "partner.gendarmerie.92.ggd-92") == 1
            and queue_depth(vhost_uri, "partner.police.92.ddsp-92") == 1
        ),
        10,
        "each notice in its addressee's queue",
    )
    wait_until(
        lambda: all(e.published for e in InformationDocument.objects.get(attribution_id="att-b").outbox),
        10,
        "the outbox marked published",
    )


def test_a_deadline_reaches_the_parquet_and_the_operator_on_their_own_keys(notify_service, vhost_uri):
    from tgd_contracts.stock import DeviceOutOfStock

    parquet = PartnerInbox(vhost_uri, "parquet.tj-nanterre.#")
    operator = PartnerInbox(vhost_uri, "teleassistance.tj-nanterre.#")
    association = PartnerInbox(vhost_uri, "association.tj-nanterre.#")
    try:
        data = DeviceOutOfStock(attribution_id="att-b", jurisdiction="tj-nanterre", detected_at=datetime.now(UTC))
        envelope = build_envelope(source_service="device", event_name="device_out_of_stock", subject="att-b", data=data)
        publish_envelope(
            vhost_uri, "device.events", "device_out_of_stock", json.dumps(envelope.model_dump(mode="json"))
        )
        (reminder,) = parquet.wait_for(lambda m: True)
        operator.wait_for(lambda m: True)
        assert reminder.routing_key == "parquet.tj-nanterre.any.reminder"
        reminder_id = Envelope.consume(reminder.body).data["reminder_id"]
        with ServiceRpcClient("notify") as client:
            done = client.acknowledge_reminder(reminder_id=reminder_id, acknowledgement={"acknowledged_by": "Greffe"})
            assert done["acknowledged_at"] is not None
            assert client.list_reminders(jurisdiction="tj-nanterre", audiences=["parquet"])["items"] == []
        association.drain(0.3)
        assert association.messages == []  # not the association's business
    finally:
        for inbox in (parquet, operator, association):
            inbox.close()


@pytest.fixture
def sealing_notify(container_factory, nameko_amqp_config, in_memory_db, tmp_path):
    """notify with the brigade's public key registered (the police directorate has none)."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from nameko import config

    from tgd_contracts.sealing import public_key_text

    key = X25519PrivateKey.generate()
    keys_file = tmp_path / "partner-keys.json"
    keys_file.write_text(json.dumps({"gendarmerie.92.bta-fictive-g": public_key_text(key.public_key())}))
    with config.patch({"TGD_PARTNER_KEYS_FILE": str(keys_file)}, clear=False):
        in_memory_db(DB_ALIAS)
        container_factory(FakeDevice).start()
        container_factory(NotifyService).start()
        yield key


def test_a_notice_on_the_broker_holds_her_dossier_only_sealed_for_its_addressee(sealing_notify, vhost_uri):
    from tgd_contracts.sealing import associated_data, open_sealed

    brigade = PartnerInbox(vhost_uri, "gendarmerie.92.bta-fictive-g.*")
    try:
        publish_envelope(vhost_uri, "device.events", "device_provisioned", provisioned_body())
        (notice,) = brigade.wait_for(lambda m: True)
    finally:
        brigade.close()
    raw = json.dumps(notice.body, ensure_ascii=False).encode()  # the body as the broker delivered it
    for fake in (b"EXEMPLE", b"AUTEUR-FICTIF", b"Rue Fictive", b"0600000011"):
        assert fake not in raw  # what RabbitMQ stores
    envelope = Envelope.consume(notice.body)
    assert "beneficiary" not in envelope.data
    assert envelope.data["sealed"]["alg"] == "X25519-HKDF-SHA256-A256GCM"
    aad = associated_data(envelope.type, envelope.id, "gendarmerie.92.bta-fictive-g")
    opened = open_sealed(envelope.data, sealing_notify, aad)
    assert opened["beneficiary"]["identity"]["surname"] == "EXEMPLE"  # the brigade reads it
