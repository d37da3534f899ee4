"""The AsyncAPI 3 document of the whole bus, generated from the contracts registry.

``tgd contracts asyncapi`` writes it to ``docs/asyncapi.yaml``; a test fails when the
checked-in file differs from :func:`build_document`, and the official parser validates
it. Nothing here is written by hand per event: a new entry in
:data:`~tgd_contracts.registry.EVENTS` (and optionally ``CONSUMERS`` /
``PARTNER_EVENTS``) adds its channel, operations and message.

- one channel per event: exchange ``<service>.events`` (topic, durable), routing key
  = the event name; one ``send`` operation for the producing service and one
  ``receive`` operation per consumer;
- one channel for the partner exchange ``tgd.partners``, routing key
  ``<audience>.<territory>.<unit>.<kind>``, with a ``receive`` operation per audience;
- every message: the CloudEvents envelope with ``data`` = the event's model, the AMQP
  headers (``traceparent``, ``cloudEvents:*``) and the AMQP bindings.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from tgd_contracts.asyncapi_schemas import SchemaComponents
from tgd_contracts.envelope import TRACEPARENT_RE, Envelope, ce_type
from tgd_contracts.events import EventName
from tgd_contracts.partners import PARTNER_EXCHANGE, Audience, MessageKind, partner_binding
from tgd_contracts.registry import CONSUMERS, EVENTS, PARTNER_EVENTS

ASYNCAPI_VERSION = "3.0.0"
AMQP_BINDING = "0.3.0"
PARTNERS_CHANNEL = "partners"
#: Every consuming queue (see tgd_servicekit.topology; a contract test keeps them equal).
QUORUM_QUEUE = {"x-queue-type": "quorum", "x-delivery-limit": 5, "x-dead-letter-exchange": "tgd.dead-letter"}
DESCRIPTION = """The message bus of the Téléphone Grave Danger scheme (RabbitMQ, AMQP 0-9-1).

Every message is a CloudEvents 1.0 envelope in structured JSON mode whose `data` is a
versioned contract (JSON Schemas in `libs/contracts/tgd_contracts/schemas/<name>/<version>.json`).
`source` + `id` is the deduplication key: delivery is at least once. `traceparent`
(W3C Trace Context) is in the envelope and in the AMQP headers. Messages are persistent
and published with publisher confirms; every consuming queue is a durable quorum queue
that dead-letters to `tgd.dead-letter` after its delivery limit.

Generated from the contracts package by `tgd contracts asyncapi`: do not edit by hand."""


def _contracts_version() -> str:
    try:
        return version("tgd-contracts")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0"


def _exchange_binding(name: str) -> dict[str, Any]:
    exchange = {"name": name, "type": "topic", "durable": True, "autoDelete": False, "vhost": "/"}
    return {"amqp": {"is": "routingKey", "exchange": exchange, "bindingVersion": AMQP_BINDING}}


def _headers(producer: str, event: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": "AMQP application headers (CloudEvents binary-mode names and W3C trace context).",
        "required": ["traceparent", "cloudEvents:id", "cloudEvents:source", "cloudEvents:type"],
        "properties": {
            "traceparent": {"type": "string", "pattern": TRACEPARENT_RE.pattern},
            "tracestate": {"type": "string"},
            "cloudEvents:id": {"type": "string", "description": "Equals the envelope's id."},
            "cloudEvents:source": {"type": "string", "const": f"/tgd/{producer}"},
            "cloudEvents:type": {"type": "string", "const": ce_type(event)},
        },
    }


def _message(event: EventName, producer: str, model: type, components: SchemaComponents) -> dict[str, Any]:
    data_ref = components.add(model.__name__, model.model_json_schema(mode="validation"))
    schema_version = model.SCHEMA_VERSION  # type: ignore[attr-defined]
    specific = {
        "type": "object",
        "required": ["traceparent"],
        "properties": {
            "type": {"const": ce_type(event)},
            "source": {"const": f"/tgd/{producer}"},
            "dataschema": {"const": f"urn:tgd:schema:{event}:{schema_version}"},
            "schemaversion": {"const": schema_version},
            "data": {"$ref": data_ref},
        },
    }
    summary = (model.__doc__ or event).strip().splitlines()[0]
    return {
        "name": str(event),
        "title": model.__name__,
        "summary": summary,
        "contentType": "application/json",
        "correlationId": {"location": "$message.payload#/id", "description": "CloudEvents id (with source)."},
        "headers": _headers(producer, event),
        "payload": {"allOf": [{"$ref": "#/components/schemas/CloudEventEnvelope"}, specific]},
        "bindings": {
            "amqp": {"contentEncoding": "utf-8", "messageType": ce_type(event), "bindingVersion": AMQP_BINDING}
        },
        "x-schema": f"libs/contracts/tgd_contracts/schemas/{event}/{schema_version}.json",
    }


def _send(channel: str, messages: list[str]) -> dict[str, Any]:
    return {
        "action": "send",
        "channel": {"$ref": f"#/channels/{channel}"},
        "messages": [{"$ref": f"#/channels/{channel}/messages/{m}"} for m in messages],
        "bindings": {"amqp": {"deliveryMode": 2, "bindingVersion": AMQP_BINDING, "x-publisher-confirms": True}},
    }


def _receive(channel: str, messages: list[str], queue: dict[str, Any]) -> dict[str, Any]:
    return {
        "action": "receive",
        "channel": {"$ref": f"#/channels/{channel}"},
        "messages": [{"$ref": f"#/channels/{channel}/messages/{m}"} for m in messages],
        "bindings": {"amqp": {"ack": True, "bindingVersion": AMQP_BINDING, "x-queue": queue}},
    }


def _service_queue(producer: str, event: str, consumer: str) -> dict[str, Any]:
    return {"name": f"evt-{producer}-{event}--{consumer}.<method>", "durable": True, "arguments": QUORUM_QUEUE}


def _partners_channel(messages: dict[str, Any]) -> dict[str, Any]:
    return {
        "address": "{audience}.{territory}.{unit}.{kind}",
        "title": f"Partner exchange {PARTNER_EXCHANGE}",
        "description": "Everything addressed to a partner; each partner's broker user may read only its own keys.",
        "parameters": {
            "audience": {"enum": [a.value for a in Audience], "description": "Who receives it."},
            "territory": {"description": "Department (e.g. 03, 2A) or jurisdiction code (tj-moulins)."},
            "unit": {
                "description": "Unit code (e.g. csp-montlucon), an operations centre's code (cic-03, corg-03) or `any`."
            },
            "kind": {"enum": [k.value for k in MessageKind], "description": "What the message asks."},
        },
        "messages": messages,
        "bindings": _exchange_binding(PARTNER_EXCHANGE),
    }


def build_document() -> dict[str, Any]:
    components = SchemaComponents()
    components.add("CloudEventEnvelope", Envelope.model_json_schema(mode="validation"))
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    partner_messages: dict[str, Any] = {}
    for event, (producer, model) in EVENTS.items():
        name = str(event)
        messages[name] = _message(event, str(producer), model, components)
        ref = {name: {"$ref": f"#/components/messages/{name}"}}
        channels[name] = {
            "address": name,
            "title": f"{producer}.events / {name}",
            "messages": ref,
            "bindings": _exchange_binding(f"{producer}.events"),
        }
        operations[f"{producer}.send.{name}"] = _send(name, [name])
        if event in PARTNER_EVENTS:
            partner_messages.update(ref)
            operations[f"{producer}.send.{PARTNERS_CHANNEL}.{name}"] = _send(PARTNERS_CHANNEL, [name])
        else:
            for consumer in CONSUMERS.get(event, ()):
                queue = _service_queue(str(producer), name, str(consumer))
                operations[f"{consumer}.receive.{name}"] = _receive(name, [name], queue)
    channels[PARTNERS_CHANNEL] = _partners_channel(partner_messages)
    for audience in Audience:
        consumed = [str(e) for e in PARTNER_EVENTS if audience in CONSUMERS.get(e, tuple(Audience))]
        queue = {"name": f"partner.{audience}.<territory>", "durable": True, "arguments": {"x-queue-type": "quorum"}}
        operation = _receive(PARTNERS_CHANNEL, consumed, {**queue, "binding": partner_binding(audience, "<territory>")})
        operations[f"{audience}.receive.{PARTNERS_CHANNEL}"] = operation
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {"title": "TGD bus", "version": _contracts_version(), "description": DESCRIPTION},
        "defaultContentType": "application/json",
        "servers": {
            "local": {
                "host": "127.0.0.1:5672",
                "protocol": "amqp",
                "protocolVersion": "0.9.1",
                "description": "One machine (scripts/run.sh). A deployment gives each partner its own host and user.",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"schemas": components.sorted(), "messages": messages},
    }


def render(document: dict[str, Any] | None = None) -> str:
    import yaml

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    header = "# Generated by `tgd contracts asyncapi` from libs/contracts: do not edit by hand.\n"
    body = yaml.dump(document or build_document(), Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
    return header + body
