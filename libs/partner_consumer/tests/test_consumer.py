"""The reference consumer on the real broker, with the broker user the platform
provisions for the unit (never guest): validate, hand over, acknowledge back."""

import json
import threading
from datetime import UTC, datetime

import pika
import pytest

from tgd_contracts.alert import PartnerClosure, PartnerDispatch, Recipient
from tgd_contracts.envelope import build_envelope
from tgd_contracts.notice import AttributionNotice
from tgd_contracts.partners import PARTNER_EXCHANGE, PARTNER_REPLY_EXCHANGE, Audience, partner_routing_key
from tgd_partner_consumer import JsonLinesHandler, PartnerConsumer
from tgd_partner_consumer.consumer import NotProvisioned
from tgd_servicekit.partner_access import PartnerAccount
from tgd_servicekit.testing.bus import publish_envelope, publish_raw, queue_depth
from tgd_servicekit.testing.partners import provisioned_partners
from tgd_servicekit.testing.processes import wait_until
from tgd_servicekit.topology import declare_dead_letter_topology

from . import messages

pytestmark = pytest.mark.integration
POLICE = Recipient(audience="police", territory="03", unit="csp-montlucon")
NOW = datetime(2026, 6, 1, 22, 0, tzinfo=UTC)


def dispatch(alert_id="a-1"):
    data = PartnerDispatch(
        alert_id=alert_id,
        dispatch_id="d-1",
        kind="dispatch",
        attempt=1,
        recipient=POLICE,
        outcome="danger",
        automatic=False,
        raised_at=NOW,
        device_id="dev-1",
    )
    return build_envelope(source_service="alert", event_name="partner_dispatch", subject=alert_id, data=data)


@pytest.fixture
def unit_url(broker, vhost_uri):
    account = PartnerAccount(Audience.POLICE, "03", "csp-montlucon")
    with provisioned_partners(broker, vhost_uri, account) as urls:
        yield urls[account]


def platform_replies_queue(vhost_uri):
    """The platform's side: a queue of every reply (as the alert and notify services bind)."""
    conn = pika.BlockingConnection(pika.URLParameters(vhost_uri.replace("pyamqp://", "amqp://")))
    ch = conn.channel()
    ch.exchange_declare(PARTNER_REPLY_EXCHANGE, exchange_type="topic", durable=True)
    declare_dead_letter_topology(vhost_uri)
    ch.queue_declare("replies", exclusive=True)
    ch.queue_bind("replies", PARTNER_REPLY_EXCHANGE, "#")
    return conn, ch


@pytest.fixture
def running(vhost_uri, unit_url, tmp_path):
    replies = []
    conn, ch = platform_replies_queue(vhost_uri)
    out = tmp_path / "police.jsonl"
    consumer = PartnerConsumer(unit_url, POLICE, JsonLinesHandler(out))
    consumer.connect()
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()

    def read_replies():
        while (m := ch.basic_get("replies", auto_ack=True))[0] is not None:
            replies.append((m[0].routing_key, json.loads(m[2])))
        return replies

    yield vhost_uri, out, read_replies
    consumer.stop()
    thread.join(5)
    conn.close()


def test_a_dispatch_is_handed_over_and_acknowledged_with_the_partners_routing_key(running):
    uri, out, read_replies = running
    envelope = dispatch()
    key = partner_routing_key("police", "03", "csp-montlucon", "dispatch")
    publish_envelope(uri, PARTNER_EXCHANGE, key, envelope.model_dump_json())
    publish_envelope(uri, PARTNER_EXCHANGE, "police.03.other-unit.dispatch", dispatch("a-other").model_dump_json())
    lines = wait_until(lambda: out.exists() and out.read_text().splitlines(), 10, "the dispatch in the file")
    (line,) = [json.loads(x) for x in lines]
    assert line["event"]["id"] == envelope.id
    assert line["routing_key"] == key
    ((routing_key, ack),) = wait_until(read_replies, 10, "the acknowledgement")
    assert routing_key == "police.03.csp-montlucon.acknowledgement"
    assert ack["type"] == "fr.tgd.partner_acknowledged"
    assert ack["data"]["dispatch_id"] == "d-1"
    assert ack["data"]["recipient"] == POLICE.to_wire()


def test_an_invalid_message_goes_to_the_dead_letters_and_consuming_goes_on(running, bus_observer):
    bus_observer.expect_violations(2)  # the observer sees the two invalid messages too
    uri, out, _ = running
    key = partner_routing_key("police", "03", "csp-montlucon", "dispatch")
    publish_raw(uri, PARTNER_EXCHANGE, key, b"{not json")
    bad = dispatch().model_dump(mode="json")
    bad["data"]["attempt"] = "one"
    publish_raw(uri, PARTNER_EXCHANGE, key, json.dumps(bad))
    publish_envelope(uri, PARTNER_EXCHANGE, key, dispatch("a-2").model_dump_json())
    wait_until(lambda: out.exists() and "a-2" in out.read_text(), 10, "the valid dispatch")
    assert len(out.read_text().splitlines()) == 1
    assert queue_depth(uri, "partner.police.03.csp-montlucon") == 0
    assert wait_until(lambda: queue_depth(uri, "tgd.dead-letters") == 2, 10, "two dead letters")


def test_a_handler_can_report_the_outcome_from_the_consumers_thread(vhost_uri, unit_url):
    conn, ch = platform_replies_queue(vhost_uri)
    consumer = None

    def on_site(message):
        consumer.report_outcome(message.data.alert_id, "on_site", note="Compte rendu fictif.")

    consumer = PartnerConsumer(unit_url, POLICE, on_site, acknowledge=False)
    consumer.connect()
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    try:
        key = partner_routing_key("police", "03", "csp-montlucon", "dispatch")
        publish_envelope(vhost_uri, PARTNER_EXCHANGE, key, dispatch("a-9").model_dump_json())

        def outcome():
            method, _, body = ch.basic_get("replies", auto_ack=True)
            return (method.routing_key, json.loads(body)) if method else None

        routing_key, reply = wait_until(outcome, 10, "the outcome")
        assert routing_key == "police.03.csp-montlucon.outcome"  # and no acknowledgement before it
        assert reply["type"] == "fr.tgd.outcome_reported"
        assert reply["data"]["result"] == "on_site"
        assert reply["data"]["alert_id"] == "a-9"
    finally:
        consumer.stop()
        thread.join(5)
        conn.close()


def test_a_notice_is_acknowledged_over_the_bus_and_information_is_not_answered(running):
    uri, out, read_replies = running
    notice = AttributionNotice(
        notice_id="n-1", attribution_id="att-1", device_id="dev-1", jurisdiction="tj-montlucon",
        audience="police", department="03", unit_code="csp-montlucon", role="competent",
        sip_registration_requested=False, attempt=1, sent_at=NOW,
    )  # fmt: skip
    envelope = build_envelope(source_service="notify", event_name="attribution_notice", subject="att-1", data=notice)
    key = partner_routing_key("police", "03", "csp-montlucon", "notice")
    publish_envelope(uri, PARTNER_EXCHANGE, key, envelope.model_dump_json())
    closure = PartnerClosure(alert_id="a-3", closed_at=NOW)
    closed = build_envelope(source_service="alert", event_name="partner_closure", subject="a-3", data=closure)
    publish_envelope(uri, PARTNER_EXCHANGE, partner_routing_key("police", "03", "csp-montlucon", "closure"),
                     closed.model_dump_json())  # fmt: skip
    wait_until(lambda: out.exists() and len(out.read_text().splitlines()) == 2, 10, "both messages handled")
    ((routing_key, ack),) = wait_until(read_replies, 10, "the notice acknowledgement")
    assert routing_key == "police.03.csp-montlucon.notice-acknowledgement"
    assert ack["type"] == "fr.tgd.notice_acknowledged"
    assert ack["source"] == "/tgd/partner-police-03-csp-montlucon"
    assert ack["data"]["notice_id"] == "n-1"
    assert ack["data"]["unit_code"] == "csp-montlucon"
    assert queue_depth(uri, "tgd.dead-letters") == 0


def test_a_consumer_without_its_queue_stops_and_says_how_to_provision_it(broker, vhost_uri):
    other = Recipient(audience="police", territory="03", unit="csp-moulins")  # provisioned for montlucon only
    account = PartnerAccount(Audience.POLICE, "03", "csp-montlucon")
    with provisioned_partners(broker, vhost_uri, account) as urls:
        consumer = PartnerConsumer(urls[account], other, lambda m: None)
        with pytest.raises(NotProvisioned, match="tgd broker provision-partner police 03 --unit csp-moulins"):
            consumer.run_forever()


def test_a_consumer_refused_by_the_broker_stops_instead_of_looping(broker, vhost_uri):
    montlucon = PartnerAccount(Audience.POLICE, "03", "csp-montlucon")
    moulins = PartnerAccount(Audience.POLICE, "03", "csp-moulins")
    as_moulins = Recipient(audience="police", territory="03", unit="csp-moulins")
    with provisioned_partners(broker, vhost_uri, montlucon, moulins) as urls:
        another_units_queue = PartnerConsumer(urls[montlucon], as_moulins, lambda m: None)
        with pytest.raises(NotProvisioned, match="ACCESS_REFUSED"):
            another_units_queue.run_forever()
        wrong_password = urls[moulins].replace(":", ":x", 2).replace("amqp:x//", "amqp://")
        with pytest.raises(NotProvisioned, match="refuses this user"):
            PartnerConsumer(wrong_password, as_moulins, lambda m: None).run_forever()


def test_the_end_of_a_measure_on_the_bus_purges_the_dossier_from_the_consumers_file(running):
    uri, out, read_replies = running
    for message in (messages.notice(), messages.dispatch()):
        kind = "dispatch" if message.is_dispatch else "notice"
        key = partner_routing_key("police", "03", "csp-montlucon", kind)
        publish_envelope(uri, PARTNER_EXCHANGE, key, message.envelope.model_dump_json())
    wait_until(lambda: out.exists() and messages.SURNAME in out.read_text(), 10, "the dossier received")
    ended = messages.notice("measure_ended").envelope
    publish_envelope(uri, PARTNER_EXCHANGE, partner_routing_key("police", "03", "csp-montlucon", "notice"),
                     ended.model_dump_json())  # fmt: skip
    handled = "n-measure_ended-att-1"  # acknowledged once handled, and the handler purges before returning
    wait_until(lambda: any(r[1]["data"].get("notice_id") == handled for r in read_replies()), 10, "end acknowledged")
    assert len(out.read_text().splitlines()) == 3
    content = out.read_bytes().decode()
    assert messages.SURNAME not in content
    assert messages.AUTHOR not in content


def test_a_sealed_dispatch_is_opened_with_the_units_private_key(vhost_uri, unit_url, tmp_path):
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from tgd_contracts.partner_keys import PartnerKeys

    key = X25519PrivateKey.generate()
    key_of_unit = PartnerKeys({"police.03.csp-montlucon": key.public_key()})
    routing_key = partner_routing_key("police", "03", "csp-montlucon", "dispatch")
    sealed = key_of_unit.seal(messages.dispatch("a-7").envelope, routing_key)
    assert messages.SURNAME not in sealed.model_dump_json()  # as it waits in the queue
    out = tmp_path / "police.jsonl"
    consumer = PartnerConsumer(unit_url, POLICE, JsonLinesHandler(out), acknowledge=False, private_key=key)
    consumer.connect()
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    try:
        publish_envelope(vhost_uri, PARTNER_EXCHANGE, routing_key, sealed.model_dump_json())
        wait_until(lambda: out.exists() and out.read_text(), 10, "the dispatch handled")
    finally:
        consumer.stop()
        thread.join(5)
    stored = json.loads(out.read_text().splitlines()[0])["event"]["data"]
    assert stored["dossier"]["beneficiary"]["identity"]["surname"] == messages.SURNAME
    assert "sealed" not in stored
