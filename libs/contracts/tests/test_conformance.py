"""check_message: the rules every message on the bus must follow."""

import json
from datetime import UTC, datetime

import pytest

from tgd_contracts import registry
from tgd_contracts.conformance import check_message
from tgd_contracts.envelope import build_envelope
from tgd_contracts.events import EventName
from tgd_contracts.partners import MessageKind
from tgd_contracts.referral import ProfessionalKind, ReferralReceived, Urgency

TRACE = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def valid():
    envelope = build_envelope(
        source_service="referral",
        event_name=EventName.REFERRAL_RECEIVED,
        subject="r1",
        data=ReferralReceived(
            referral_id="r1",
            jurisdiction="tj-paris",
            urgency=Urgency.URGENT,
            referrer_kind=ProfessionalKind.JUDGE,
            received_at=datetime(2026, 1, 1, tzinfo=UTC),
        ),
        traceparent=TRACE,
    )
    body = envelope.model_dump(mode="json")
    headers = {
        "traceparent": TRACE,
        "cloudEvents:id": envelope.id,
        "cloudEvents:source": envelope.source,
        "cloudEvents:type": envelope.type,
    }
    return body, headers


def test_a_message_from_the_real_envelope_code_conforms():
    body, headers = valid()
    assert check_message("referral.events", "referral_received", body, headers) == []
    assert check_message("referral.events", "referral_received", json.dumps(body).encode(), headers) == []


def mutate(body, path, value):
    target = body
    for key in path[:-1]:
        target = target[key]
    if value is None:
        target.pop(path[-1])
    else:
        target[path[-1]] = value
    return body


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("traceparent",), None, "envelope has no traceparent"),
        (("id",), None, "id:missing"),
        (("time",), None, "time:missing"),
        (("specversion",), "0.3", "specversion:literal_error"),
        (("source",), "/tgd/device", "is not the producer"),
        (("type",), "fr.tgd.nobody_knows", "not registered"),
        (("dataschema",), "urn:tgd:schema:referral_received:9.9.9", "dataschema does not name"),
        (("schemaversion",), "9.9.9", "no schema snapshot referral_received@9.9.9"),
        (("data", "jurisdiction"), None, "data: required"),
        (("data", "urgency"), "whenever", "data.urgency: enum"),
        (("data", "surname"), "EXEMPLE", "data: additionalProperties"),
        (("unknown_attribute",), "x", "unknown_attribute:extra_forbidden"),
    ],
)
def test_each_broken_envelope_rule_is_reported(path, value, expected):
    body, headers = valid()
    problems = check_message("referral.events", "referral_received", mutate(body, path, value), headers)
    assert any(expected in p for p in problems), problems


def test_the_channel_must_be_the_producers_with_the_event_as_routing_key():
    body, headers = valid()
    assert "is not the event name" in check_message("referral.events", "device_activated", body, headers)[0]
    assert "not on referral.events" in check_message("device.events", "referral_received", body, headers)[0]
    assert "not a partner message" in check_message("tgd.partners", "police.03.any.notice", body, headers)[0]


def test_partner_messages_need_a_partner_routing_key_of_their_kind(monkeypatch):
    monkeypatch.setitem(registry.PARTNER_EVENTS, EventName.REFERRAL_RECEIVED, (MessageKind.NOTICE,))
    body, headers = valid()
    assert check_message("tgd.partners", "association.tj-paris.any.notice", body, headers) == []
    assert "is not <audience>" in check_message("tgd.partners", "pompiers.75.any.notice", body, headers)[0]
    assert "not as dispatch" in check_message("tgd.partners", "association.tj-paris.any.dispatch", body, headers)[0]


def test_headers_properties_and_encoding_are_checked():
    body, headers = valid()
    assert check_message("referral.events", "referral_received", body, {}) == [
        "AMQP header 'traceparent' missing",
        "AMQP header 'cloudEvents:id' missing",
        "AMQP header 'cloudEvents:source' missing",
        "AMQP header 'cloudEvents:type' missing",
    ]
    wrong = {**headers, "cloudEvents:id": "other", "traceparent": "nope"}
    assert len(check_message("referral.events", "referral_received", body, wrong)) == 2
    assert "not persistent" in check_message("referral.events", "referral_received", body, headers, delivery_mode=1)[0]
    assert "content type" in check_message("referral.events", "referral_received", body, headers, "text/plain")[0]
    assert check_message("referral.events", "referral_received", b"{nope", headers) == ["body is not JSON"]


def test_violations_never_carry_the_values():
    body, headers = valid()
    body["data"]["jurisdiction"] = 12345678
    body["data"]["urgency"] = "SECRET-VALUE"
    problems = " ".join(check_message("referral.events", "referral_received", body, headers))
    assert "SECRET-VALUE" not in problems
    assert "12345678" not in problems
    assert "data.jurisdiction: type" in problems
