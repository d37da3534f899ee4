"""A reminder reaches the parquet's system and is recorded, never acknowledged for a person
(pure: no broker)."""

import json
from datetime import UTC, datetime

from tgd_contracts.envelope import build_envelope
from tgd_contracts.reminders import PartnerReminder
from tgd_partner_consumer import JsonLinesHandler
from tgd_partner_consumer.consumer import parse

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


def test_a_reminder_is_parsed_and_recorded_once(tmp_path):
    data = PartnerReminder(
        reminder_id="r" * 32,
        kind="out_of_stock",
        audience="parquet",
        jurisdiction="tj-moulins",
        attribution_id="a-1",
        raised_at=NOW,
    )
    envelope = build_envelope(source_service="notify", event_name="partner_reminder", subject="r", data=data)
    message = parse(envelope.model_dump_json().encode(), "parquet.tj-moulins.any.reminder")
    assert message.data.kind == "out_of_stock"
    assert not message.is_dispatch  # nothing is acknowledged on the bus: a person acknowledges on the API
    out = tmp_path / "reminders.jsonl"
    handler = JsonLinesHandler(out)
    handler(message)
    handler(message)
    (line,) = out.read_text().splitlines()
    assert json.loads(line)["event"]["data"]["reminder_id"] == "r" * 32
