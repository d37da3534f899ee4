from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from tgd_contracts.envelope import Envelope, build_envelope
from tgd_contracts.referral import ProfessionalKind, ReferralReceived, Urgency

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def received() -> ReferralReceived:
    return ReferralReceived(
        referral_id="r1",
        jurisdiction="tj-moulins",
        urgency=Urgency.URGENT,
        referrer_kind=ProfessionalKind.HOSPITAL,
        received_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )


def test_build_envelope_fills_every_cloudevents_attribute():
    env = build_envelope(
        source_service="referral",
        event_name="referral_received",
        subject="r1",
        data=received(),
        traceparent=TRACEPARENT,
    )
    wire = env.model_dump(mode="json")
    assert wire["specversion"] == "1.0"
    assert wire["source"] == "/tgd/referral"
    assert wire["type"] == "fr.tgd.referral_received"
    assert wire["dataschema"] == "urn:tgd:schema:referral_received:1.0.0"
    assert wire["schemaversion"] == "1.0.0"
    assert wire["traceparent"] == TRACEPARENT
    assert wire["data"]["referral_id"] == "r1"
    assert env.event_name == "referral_received"
    assert env.dedup_key == f"/tgd/referral#{env.id}"


def test_each_envelope_gets_its_own_id():
    a = build_envelope(source_service="referral", event_name="referral_received", subject="r1", data=received())
    b = build_envelope(source_service="referral", event_name="referral_received", subject="r1", data=received())
    assert a.id != b.id


def test_envelope_round_trips_through_json():
    env = build_envelope(source_service="referral", event_name="referral_received", subject="r1", data=received())
    assert Envelope.consume(env.model_dump(mode="json")) == env


def test_consume_tolerates_unknown_extension_attributes():
    wire = build_envelope(source_service="referral", event_name="referral_received", subject="r1", data=received())
    raw = {**wire.model_dump(mode="json"), "partnerext": "x"}
    assert Envelope.consume(raw).id == wire.id


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("specversion", "0.3"),
        ("source", "referral"),
        ("type", "referral_received"),
        ("time", "2026-01-01T00:00:00"),  # no timezone
        ("traceparent", "not-a-traceparent"),
        ("id", ""),
    ],
)
def test_envelope_rejects_broken_attributes(field, value):
    raw = build_envelope(
        source_service="referral", event_name="referral_received", subject="r1", data=received()
    ).model_dump(mode="json")
    raw[field] = value
    with pytest.raises(ValidationError):
        Envelope.consume(raw)


def test_envelope_requires_its_mandatory_attributes():
    raw = build_envelope(
        source_service="referral", event_name="referral_received", subject="r1", data=received()
    ).model_dump(mode="json")
    for attribute in ("id", "source", "type", "specversion", "time", "data"):
        broken = {k: v for k, v in raw.items() if k != attribute}
        with pytest.raises(ValidationError):
            Envelope.consume(broken)
