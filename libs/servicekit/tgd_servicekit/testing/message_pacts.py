"""Pact message contracts between a consumer of the bus and the service that produces.

A :class:`MessageContract` says, in a few lines, what one consumer (a partner system,
or the reference consumer) relies on in one kind of message, and how the producing
service builds that message with its real domain and envelope code. From it:

- :func:`write_consumer_pact` records the pact: the consumer's ``handle`` function
  must accept a message shaped like the expectation (the pact file is what a partner
  publishes to the producer);
- :func:`verify_provider` replays the pact against ``produce`` with Pact's verifier,
  and the produced message must also pass :func:`tgd_contracts.conformance.check_message`.
  A pact written by a partner (any Pact implementation, its own descriptions) is
  verified too: each interaction goes to the producer of the CloudEvents ``type`` it
  expects (for a partner message, the one for the audience and kind of its routing key).

Expectations use Pact matchers on the CloudEvents envelope (:func:`envelope`) and the
AMQP metadata (exchange, routing key, content type).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tgd_contracts.conformance import check_message
from tgd_contracts.envelope import TRACEPARENT_RE, Envelope, ce_type
from tgd_contracts.registry import EVENTS, PARTNER_EVENTS, event_model

RFC3339 = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"


@dataclass(frozen=True)
class Produced:
    """A message as the producing service publishes it."""

    envelope: Envelope
    exchange: str
    routing_key: str
    headers: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MessageContract:
    consumer: str  # e.g. "association-system", "police-system"
    event: str  # a registered event name
    description: str  # unique per consumer/provider pair
    data: dict[str, Any]  # what the consumer relies on in ``data`` (Pact matchers allowed)
    produce: Callable[[], Produced]  # provider side: the real producing code
    routing_key: Any = None  # default: the event name; partner messages give a matcher
    handle: Callable[[Envelope, Any, dict[str, Any]], None] | None = None  # consumer's code

    @property
    def provider(self) -> str:
        return f"tgd-{EVENTS[self.event][0]}"  # type: ignore[index]

    @property
    def exchange(self) -> str:
        return "tgd.partners" if self.event in PARTNER_EVENTS else f"{EVENTS[self.event][0]}.events"  # type: ignore[index]


def envelope(contract: MessageContract) -> dict[str, Any]:
    """The CloudEvents envelope every consumer relies on, with ``data`` as expected."""
    from pact import match

    producer = EVENTS[contract.event][0]  # type: ignore[index]
    version = event_model(contract.event).SCHEMA_VERSION  # type: ignore[union-attr]
    return {
        "specversion": "1.0",
        "id": match.str("6a0f2f0e-0000-4000-8000-000000000001"),
        "source": f"/tgd/{producer}",
        "type": ce_type(contract.event),
        "time": match.regex("2026-11-22T10:00:00.123000Z", regex=RFC3339),
        "subject": match.str("0123456789abcdef0123456789abcdef"),
        "dataschema": match.regex(
            f"urn:tgd:schema:{contract.event}:{version}", regex=rf"^urn:tgd:schema:{contract.event}:\d+\.\d+\.\d+$"
        ),
        "schemaversion": match.regex(version, regex=r"^\d+\.\d+\.\d+$"),
        "traceparent": match.regex(
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", regex=TRACEPARENT_RE.pattern
        ),
        "data": contract.data,
    }


def _tolerant_handle(event: str) -> Callable[[Envelope, Any, dict[str, Any]], None]:
    def handle(received: Envelope, data: Any, metadata: dict[str, Any]) -> None:
        assert received.event_name == event
        assert data is not None

    return handle


def write_consumer_pact(contracts: list[MessageContract], directory: Path) -> list[Path]:
    """Record one pact per consumer/provider pair; each consumer's handler must accept
    every expected message (parsed as a partner does: tolerant ``consume``)."""
    from pact import Pact

    written: list[Path] = []
    pairs = sorted({(c.consumer, c.provider) for c in contracts})
    for consumer, provider in pairs:
        pact = Pact(consumer, provider).with_specification("V4")
        mine = [c for c in contracts if (c.consumer, c.provider) == (consumer, provider)]
        for contract in mine:
            (
                pact.upon_receiving(contract.description, "Async")
                .with_body(envelope(contract), "application/json")
                .with_metadata(
                    {
                        "contentType": "application/json",
                        "exchange": contract.exchange,
                        "routingKey": contract.routing_key or contract.event,
                    }
                )
            )
        by_description = {c.description: c for c in mine}

        def handler(body: Any, metadata: dict[str, Any], by_description: dict = by_description) -> None:
            raw = json.loads(body)
            received = Envelope.consume(raw)
            contract = next(c for c in by_description.values() if c.event == received.event_name)
            data = event_model(contract.event).consume(received.data)  # type: ignore[union-attr]
            (contract.handle or _tolerant_handle(contract.event))(received, data, metadata)

        pact.verify(handler, "Async")
        pact.write_file(directory, overwrite=True)
        written.append(directory / f"{consumer}-{provider}.json")
    return written


def produced_message(contract: MessageContract) -> dict[str, Any]:
    """What Pact's verifier receives for one contract: the real message, checked first."""
    produced = contract.produce()
    body = produced.envelope.model_dump(mode="json")
    headers = {
        "traceparent": produced.envelope.traceparent,
        "cloudEvents:id": produced.envelope.id,
        "cloudEvents:source": produced.envelope.source,
        "cloudEvents:type": produced.envelope.type,
        **produced.headers,
    }
    violations = check_message(produced.exchange, produced.routing_key, body, headers)
    if violations:
        raise AssertionError(f"{contract.description}: the produced message breaks the contracts: {violations}")
    return {
        "contents": json.dumps(body).encode(),
        "metadata": {
            "contentType": "application/json",
            "exchange": produced.exchange,
            "routingKey": produced.routing_key,
        },
        "content_type": "application/json",
    }


def _handlers(provider: str, contracts: list[MessageContract], pact_file: Path) -> dict[str, Any]:
    """Producer per interaction: by description, else (a pact written by a partner with
    its own descriptions) by the CloudEvents ``type`` the interaction expects."""
    mine = [c for c in contracts if c.provider == provider]
    handlers: dict[str, Any] = {c.description: (lambda c=c: produced_message(c)) for c in mine}
    for interaction in json.loads(pact_file.read_text()).get("interactions", []):
        if interaction["description"] in handlers:
            continue
        expected_type = str(interaction.get("contents", {}).get("content", {}).get("type", ""))
        routing_key = str(interaction.get("metadata", {}).get("routingKey", ""))
        contract = _closest(mine, expected_type.removeprefix("fr.tgd."), routing_key)
        if contract is not None:
            handlers[interaction["description"]] = lambda c=contract: produced_message(c)
    return handlers


def _closest(contracts: list[MessageContract], event: str, routing_key: str) -> MessageContract | None:
    """The contract of ``event`` whose message goes to the same audience with the same
    kind (first and last segments of a partner routing key); else the first of ``event``."""
    candidates = [c for c in contracts if str(c.event) == event]
    if routing_key.count(".") == 3:
        audience, *_, kind = routing_key.split(".")
        for c in candidates:
            produced = c.produce().routing_key.split(".")
            if (produced[0], produced[-1]) == (audience, kind):
                return c
    return candidates[0] if candidates else None


def verify_provider(provider: str, contracts: list[MessageContract], pact_file: Path) -> dict[str, Any]:
    """Replay ``pact_file`` against the producing code; returns Pact's results."""
    from pact import Verifier

    verifier = (
        Verifier(provider, host="127.0.0.1")
        .message_handler(_handlers(provider, contracts, pact_file))
        .add_source(pact_file)
        .set_coloured_output(enabled=False)
    )
    try:
        verifier.verify()
    except RuntimeError:
        pass  # the results say what failed
    return verifier.results
