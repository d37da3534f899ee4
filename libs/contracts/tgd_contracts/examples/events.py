"""Fictional event messages: the ``data`` of a few service events (no personal data, as
every event) and the whole CloudEvents envelope the AsyncAPI document shows as the
message's example."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from tgd_contracts.envelope import build_envelope
from tgd_contracts.events import EventName

AT = "2026-01-05T09:30:00Z"
REFERRAL_ID = "0123456789abcdef0123456789abcdef"
ATTRIBUTION_ID = "1123456789abcdef0123456789abcdef"
DEVICE_ID = "2123456789abcdef0123456789abcdef"
TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
#: event -> (subject, data)
DATA: dict[EventName, tuple[str, dict[str, Any]]] = {
    EventName.REFERRAL_RECEIVED: (
        REFERRAL_ID,
        {
            "referral_id": REFERRAL_ID,
            "jurisdiction": "tj-moulins",
            "urgency": "urgent",
            "referrer_kind": "social_worker",
            "received_at": AT,
        },
    ),
    EventName.EVALUATION_REQUESTED: (
        REFERRAL_ID,
        {"referral_id": REFERRAL_ID, "jurisdiction": "tj-moulins", "requested_at": AT},
    ),
    EventName.ATTRIBUTION_DECIDED: (
        ATTRIBUTION_ID,
        {
            "attribution_id": ATTRIBUTION_ID,
            "referral_id": REFERRAL_ID,
            "jurisdiction": "tj-moulins",
            "granted": True,
            "decided_at": AT,
            "ends_at": "2026-07-05T09:30:00Z",
        },
    ),
    EventName.DEVICE_PROVISIONED: (
        DEVICE_ID,
        {
            "device_id": DEVICE_ID,
            "attribution_id": ATTRIBUTION_ID,
            "jurisdiction": "tj-moulins",
            "department": "03",
            "home_insee_code": "03901",
            "provisioned_at": AT,
        },
    ),
    EventName.ATTRIBUTION_WITHDRAWN: (
        ATTRIBUTION_ID,
        {"attribution_id": ATTRIBUTION_ID, "jurisdiction": "tj-moulins", "reason": "danger_ceased", "withdrawn_at": AT},
    ),
}


def envelope(event: EventName, producer: str, model: Any) -> dict[str, Any]:
    """The whole message of ``event`` as ``producer`` publishes it (fixed id, time and trace)."""
    subject, data = DATA[event]
    built = build_envelope(
        source_service=producer,
        event_name=event,
        subject=subject,
        data=model.consume(data),
        traceparent=TRACEPARENT,
        event_id="00000000-0000-4000-8000-000000000001",
        time=datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
    )
    return built.model_dump(mode="json", exclude_none=True)


def asyncapi_examples(event: EventName, producer: str, model: Any) -> dict[str, Any]:
    """``{"examples": [...]}`` for the AsyncAPI message of ``event``: {} when none is written
    or when the model no longer accepts it (a model being changed still renders its
    document; ``tests/test_examples.py`` fails on the stale example)."""
    if event not in DATA:
        return {}
    try:
        payload = envelope(event, producer, model)
    except ValidationError:
        return {}
    headers = {
        "traceparent": TRACEPARENT,
        "cloudEvents:id": payload["id"],
        "cloudEvents:source": payload["source"],
        "cloudEvents:type": payload["type"],
    }
    return {"examples": [{"name": "exemple", "summary": "Exemple fictif", "headers": headers, "payload": payload}]}
