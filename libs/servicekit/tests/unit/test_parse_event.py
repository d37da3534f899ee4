from datetime import UTC, datetime

import pytest

from tgd_contracts.envelope import build_envelope
from tgd_contracts.referral import ProfessionalKind, ReferralReceived, Urgency
from tgd_servicekit.handlers import InvalidEvent, parse_event


def envelope_body(**data_overrides):
    data = ReferralReceived(
        referral_id="r1",
        jurisdiction="tj-moulins",
        urgency=Urgency.STANDARD,
        referrer_kind=ProfessionalKind.JUDGE,
        received_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    body = build_envelope(
        source_service="referral", event_name="referral_received", subject="r1", data=data
    ).model_dump(mode="json")
    body["data"].update(data_overrides)
    return body


def test_a_valid_envelope_is_parsed_with_its_data_model():
    event = parse_event(envelope_body(), "referral_received")
    assert isinstance(event.data, ReferralReceived)
    assert event.data.referral_id == "r1"


def test_unknown_data_fields_are_tolerated():
    assert parse_event(envelope_body(new_field="x"), "referral_received").data.referral_id == "r1"


@pytest.mark.parametrize("body", [None, "text", 42, [], {"data": {}}, {"specversion": "1.0"}])
def test_non_envelopes_are_invalid(body):
    with pytest.raises(InvalidEvent, match="not a CloudEvent envelope"):
        parse_event(body, "referral_received")


def test_data_that_breaks_the_contract_is_invalid_and_the_reason_hides_values():
    with pytest.raises(InvalidEvent) as info:
        parse_event(envelope_body(urgency="SECRET-VALUE"), "referral_received")
    assert "urgency" in str(info.value)
    assert "SECRET-VALUE" not in str(info.value)


def test_an_event_of_another_type_is_invalid_on_this_queue():
    body = envelope_body()
    body["type"] = "fr.tgd.something_else"
    with pytest.raises(InvalidEvent, match="on the queue of"):
        parse_event(body, "referral_received")
