"""A partner acts once per dispatch, however often the broker delivers it (pure: no broker)."""

from datetime import UTC, datetime

from tgd_contracts.alert import PartnerAcknowledged, PartnerDispatch, Recipient
from tgd_contracts.envelope import build_envelope
from tgd_contracts.partners import MessageKind
from tgd_partner_consumer import JsonLinesHandler
from tgd_partner_consumer.consumer import parse, reply_id

POLICE = Recipient(audience="police", territory="03", unit="csp-fictive")
NOW = datetime(2026, 6, 1, 22, 0, tzinfo=UTC)


def received(alert_id: str = "a-1", dispatch_id: str = "d-1", attempt: int = 1):
    data = PartnerDispatch(
        alert_id=alert_id,
        dispatch_id=dispatch_id,
        kind="dispatch",
        attempt=attempt,
        recipient=POLICE,
        outcome="danger",
        automatic=False,
        raised_at=NOW,
        device_id="dev-1",
    )
    envelope = build_envelope(source_service="alert", event_name="partner_dispatch", subject=alert_id, data=data)
    return parse(envelope.model_dump_json().encode(), "police.03.csp-fictive.dispatch")


def lines(path):
    return path.read_text().splitlines()


def test_a_redelivered_dispatch_is_written_once(tmp_path):
    out = tmp_path / "police.jsonl"
    handler = JsonLinesHandler(out)
    message = received()
    handler(message)
    handler(message)
    handler(received("a-2", "d-2"))
    assert len(lines(out)) == 2


def test_a_restarted_consumer_remembers_what_it_already_handled(tmp_path):
    out = tmp_path / "police.jsonl"
    message = received()
    JsonLinesHandler(out)(message)
    with out.open("a") as f:
        f.write('{"received_at": 1, "event": {"id"')  # a torn line: a crash mid-write
    JsonLinesHandler(out)(message)  # after a kill -9 and a restart, the broker redelivers
    assert len([line for line in lines(out) if line.endswith("}")]) == 1


def test_the_acknowledgement_of_a_redelivered_dispatch_has_the_same_id():
    ack = PartnerAcknowledged(alert_id="a-1", dispatch_id="d-1", recipient=POLICE, acknowledged_at=NOW)
    later = PartnerAcknowledged(alert_id="a-1", dispatch_id="d-1", recipient=POLICE, acknowledged_at=datetime.now(UTC))
    other = PartnerAcknowledged(alert_id="a-1", dispatch_id="d-2", recipient=POLICE, acknowledged_at=NOW)
    source = "police-03-csp-fictive"
    assert reply_id(source, MessageKind.ACKNOWLEDGEMENT, ack) == reply_id(source, MessageKind.ACKNOWLEDGEMENT, later)
    assert reply_id(source, MessageKind.ACKNOWLEDGEMENT, ack) != reply_id(source, MessageKind.ACKNOWLEDGEMENT, other)
    assert reply_id(source, MessageKind.ACKNOWLEDGEMENT, ack) != reply_id(
        "gendarmerie-03-x", MessageKind.ACKNOWLEDGEMENT, ack
    )
