"""Is one message on the bus what the contracts promise? Pure checks, usable by the
test harness (which checks every message in integration and end-to-end tests) and by a
partner on its own side.

:func:`check_message` returns the violations of one AMQP message: where it was
published (exchange, routing key), its properties and headers, and its body. The
rules are those of docs/asyncapi.yaml:

- a persistent ``application/json`` body that is a CloudEvents 1.0 envelope
  (``id``, ``source``, ``type``, ``specversion``, ``time``, ``subject``,
  ``dataschema``, ``schemaversion``) with a W3C ``traceparent``;
- a ``type`` registered in the contracts, published by its producing service on
  ``<service>.events`` with the event name as routing key, or on ``tgd.partners``
  with a partner routing key of its kind; a partner's reply on ``tgd.partner-replies``
  with its reply kind, from a ``/tgd/partner-<audience>-<territory>-<unit>`` source
  that is the routing key's addressee;
- ``data`` valid against the JSON Schema snapshot of the version it claims and, at
  the current version, against the model itself (strict, unknown fields refused);
- the AMQP headers ``traceparent`` and ``cloudEvents:id/source/type`` are those of
  the envelope (the same ``traceparent`` in both).

Messages never appear in a violation: only locations and rule names (they may hold
personal data).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from pydantic import ValidationError

from tgd_contracts.envelope import TRACEPARENT_RE, Envelope
from tgd_contracts.partners import (
    PARTNER_EXCHANGE,
    PARTNER_REPLY_EXCHANGE,
    PARTNER_SOURCE_PATTERN,
    Audience,
    MessageKind,
    addressee_of_key,
    partner_source,
)
from tgd_contracts.registry import EVENTS, PARTNER_EVENTS, PARTNER_REPLY_EVENTS
from tgd_contracts.snapshots import read_snapshot

PARTNER_KEY = re.compile(
    r"^(?P<audience>[a-z]+)\.(?P<territory>[a-z0-9-]{1,40})\.(?P<unit>[a-z0-9-]{1,40})\.(?P<kind>[a-z]+(?:-[a-z]+)*)$"
)
REQUIRED_HEADERS = ("traceparent", "cloudEvents:id", "cloudEvents:source", "cloudEvents:type")


def _locations(exc: ValidationError) -> str:
    return ", ".join(".".join(str(p) for p in err["loc"]) + ":" + err["type"] for err in exc.errors())


def _decode(body: Any) -> tuple[Any, str | None]:
    if isinstance(body, bytes | str):
        try:
            return json.loads(body), None
        except ValueError:
            return None, "body is not JSON"
    return body, None


def _reply_violations(exchange: str, routing_key: str, event: str, source: str) -> list[str]:
    if exchange != PARTNER_REPLY_EXCHANGE:
        return [f"{event} is a partner reply, published on {exchange!r}, not on {PARTNER_REPLY_EXCHANGE}"]
    parts = addressee_of_key(routing_key)
    if parts is None:
        return [f"routing key {routing_key!r} is not <audience>.<territory>.<unit>.<reply kind>"]
    kind, audiences = PARTNER_REPLY_EVENTS[event]  # type: ignore[index]
    problems = [] if parts[3] == kind else [f"{event} is sent as {kind}, not as {parts[3]}"]
    if parts[0] not in audiences:
        problems.append(f"{parts[0]} does not send {event}")
    if source != f"/tgd/{partner_source(*parts[:3])}":
        problems.append("source is not the routing key's addressee")
    return problems


def _channel_violations(exchange: str, routing_key: str, event: str, producer: str) -> list[str]:
    if exchange == f"{producer}.events":
        return [] if routing_key == event else [f"routing key {routing_key!r} is not the event name {event!r}"]
    if exchange != PARTNER_EXCHANGE:
        return [f"{event} published on {exchange!r}, not on {producer}.events or {PARTNER_EXCHANGE}"]
    if event not in PARTNER_EVENTS:
        return [f"{event} is not a partner message (registry.PARTNER_EVENTS)"]
    match = PARTNER_KEY.match(routing_key)
    if not match or match["audience"] not in set(Audience) or match["kind"] not in set(MessageKind):
        return [f"routing key {routing_key!r} is not <audience>.<territory>.<unit>.<kind>"]
    kinds = PARTNER_EVENTS[event]  # type: ignore[index]
    if match["kind"] not in kinds:
        return [f"{event} is sent as {'/'.join(kinds)}, not as {match['kind']}"]
    return []


@lru_cache(maxsize=256)
def _validator(event: str, version: str) -> Draft202012Validator | None:
    snapshot = read_snapshot(event, version)
    return None if snapshot is None else Draft202012Validator(snapshot, format_checker=FormatChecker())


def _data_violations(event: str, version: str, data: dict[str, Any]) -> list[str]:
    validator = _validator(event, version)
    if validator is None:
        return [f"no schema snapshot {event}@{version}"]
    problems = [f"data{e.json_path.removeprefix('$')}: {e.validator}" for e in validator.iter_errors(data)]
    model = EVENTS[event][1]  # type: ignore[index]
    if version == model.SCHEMA_VERSION and not problems:
        try:
            model.model_validate_json(json.dumps(data))
        except ValidationError as exc:
            problems.append(f"data does not match {model.__name__} ({_locations(exc)})")
    return problems


def _header_violations(headers: Mapping[str, Any], envelope: Envelope) -> list[str]:
    problems = [f"AMQP header {name!r} missing" for name in REQUIRED_HEADERS if name not in headers]
    expected = {"cloudEvents:id": envelope.id, "cloudEvents:source": envelope.source, "cloudEvents:type": envelope.type}
    problems += [
        f"AMQP header {k!r} differs from the envelope" for k, v in expected.items() if k in headers and headers[k] != v
    ]
    trace = headers.get("traceparent")
    if trace is not None and not TRACEPARENT_RE.match(str(trace)):
        problems.append("AMQP header 'traceparent' is not W3C trace context")
    elif trace is not None and envelope.traceparent and trace != envelope.traceparent:
        problems.append("AMQP header 'traceparent' differs from the envelope's")
    return problems


def check_message(
    exchange: str,
    routing_key: str,
    body: Any,
    headers: Mapping[str, Any] | None = None,
    content_type: str | None = "application/json",
    delivery_mode: int | None = 2,
) -> list[str]:
    """Every rule one message breaks (empty: it conforms)."""
    problems: list[str] = []
    if content_type != "application/json":
        problems.append(f"content type {content_type!r} is not application/json")
    if delivery_mode != 2:
        problems.append("message is not persistent (delivery mode 2)")
    raw, error = _decode(body)
    if error:
        return [*problems, error]
    try:
        envelope = Envelope.model_validate(raw)
    except ValidationError as exc:
        return [*problems, f"not a CloudEvents envelope ({_locations(exc)})"]
    if not envelope.traceparent:
        problems.append("envelope has no traceparent")
    event = envelope.event_name
    if event not in EVENTS:
        return [*problems, f"type {envelope.type!r} is not registered in the contracts"]
    producer = str(EVENTS[event][0])  # type: ignore[index]
    if event in PARTNER_REPLY_EVENTS:
        if not re.match(PARTNER_SOURCE_PATTERN, envelope.source):
            problems.append(f"source {envelope.source!r} is not a partner's (/tgd/partner-...)")
        problems += _reply_violations(exchange, routing_key, event, envelope.source)
    else:
        if envelope.source != f"/tgd/{producer}":
            problems.append(f"source {envelope.source!r} is not the producer of {event} (/tgd/{producer})")
        problems += _channel_violations(exchange, routing_key, event, producer)
    if envelope.dataschema != f"urn:tgd:schema:{event}:{envelope.schemaversion}":
        problems.append("dataschema does not name the event and schemaversion")
    problems += _header_violations(headers or {}, envelope)
    problems += _data_violations(event, envelope.schemaversion, envelope.data)
    return problems
