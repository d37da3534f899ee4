"""The AsyncAPI 3 document of the whole bus, generated from the contracts registry.

``tgd contracts asyncapi`` writes it to ``docs/asyncapi.yaml``; a test fails when the
checked-in file differs from :func:`build_document`, and the official parser validates
it. Nothing here is written by hand per event: a new entry in
:data:`~tgd_contracts.registry.EVENTS` (and optionally ``CONSUMERS`` /
``PARTNER_EVENTS``) adds its channel, operations and message.

Only channels that carry messages are listed:

- one channel per service event: exchange ``<service>.events`` (topic, durable), routing
  key = the event name; one ``send`` operation for the producing service and one
  ``receive`` operation per consumer (a live view's consumer, such as the gateway's list
  of open alerts, receives through a transient queue of its own);
- the partner exchange ``tgd.partners`` (platform -> partners), routing key
  ``<audience>.<territory>.<unit>.<kind>``, one ``receive`` operation per audience with
  its queue naming, binding and the permissions of a provisioned broker user (a partner
  message is never also on ``<service>.events``);
- the reply exchange ``tgd.partner-replies`` (partners -> platform), the same key with a
  reply kind, one ``send`` operation per audience and a ``receive`` per consuming service;
- every message: the CloudEvents envelope with ``data`` = the event's model, the AMQP
  headers (``traceparent`` identical to the envelope's, ``cloudEvents:*``) and the AMQP
  bindings. The scheme itself lives in :mod:`tgd_contracts.partners` (see
  :mod:`tgd_contracts.asyncapi_partners`).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from tgd_contracts import asyncapi_partners
from tgd_contracts.asyncapi_partners import PARTNERS_CHANNEL
from tgd_contracts.asyncapi_schemas import SchemaComponents
from tgd_contracts.envelope import TRACEPARENT_RE, Envelope, ce_type
from tgd_contracts.events import EventName
from tgd_contracts.examples.events import asyncapi_examples
from tgd_contracts.partners import PARTNER_SOURCE_PATTERN
from tgd_contracts.registry import CONSUMERS, EVENTS, LIVE_VIEW_CONSUMERS, PARTNER_EVENTS, PARTNER_REPLY_EVENTS

ASYNCAPI_VERSION = "3.0.0"
AMQP_BINDING = "0.3.0"
#: Every consuming queue (see tgd_servicekit.topology; a contract test keeps them equal).
QUORUM_QUEUE = {"x-queue-type": "quorum", "x-delivery-limit": 5, "x-dead-letter-exchange": "tgd.dead-letter"}
DESCRIPTION = """The message bus of the Téléphone Grave Danger scheme (RabbitMQ, AMQP 0-9-1).

Every message is a CloudEvents 1.0 envelope in structured JSON mode whose `data` is a
versioned contract (JSON Schemas in `libs/contracts/tgd_contracts/schemas/<name>/<version>.json`).
`source` + `id` is the deduplication key: delivery is at least once. `traceparent`
(W3C Trace Context) is in the envelope and, identical, in the AMQP headers. Messages are persistent
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


def _source(producer: str, event: EventName) -> dict[str, Any]:
    if event in PARTNER_REPLY_EVENTS:
        return {"type": "string", "pattern": PARTNER_SOURCE_PATTERN, "description": "The answering partner."}
    return {"type": "string", "const": f"/tgd/{producer}"}


def _headers(producer: str, event: EventName) -> dict[str, Any]:
    return {
        "type": "object",
        "description": "AMQP application headers (CloudEvents binary-mode names and W3C trace context).",
        "required": ["traceparent", "cloudEvents:id", "cloudEvents:source", "cloudEvents:type"],
        "properties": {
            "traceparent": {
                "type": "string",
                "pattern": TRACEPARENT_RE.pattern,
                "description": "Identical to the envelope's `traceparent`.",
            },
            "tracestate": {"type": "string"},
            "cloudEvents:id": {"type": "string", "description": "Equals the envelope's id."},
            "cloudEvents:source": {**_source(producer, event), "description": "Equals the envelope's source."},
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
            "source": _source(producer, event),
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
        **_kinds(event),
        **asyncapi_examples(event, producer, model),
    }


def _kinds(event: EventName) -> dict[str, Any]:
    """The ``{kind}`` segments a partner message or reply travels with."""
    if event in PARTNER_EVENTS:
        return {"x-kinds": [k.value for k in PARTNER_EVENTS[event]]}
    if event in PARTNER_REPLY_EVENTS:
        return {"x-kinds": [PARTNER_REPLY_EVENTS[event][0].value]}
    return {}


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


def _queue(name: str) -> dict[str, Any]:
    return {"name": name, "durable": True, "arguments": QUORUM_QUEUE}


#: A live view's queue: named by the broker, gone with its connection, never replicated.
TRANSIENT_QUEUE = {
    "name": "<server-named>",
    "durable": False,
    "exclusive": True,
    "autoDelete": True,
    "arguments": {"x-queue-type": "classic"},
}


def _wake_up_receive(channel: str) -> dict[str, Any]:
    """A live view's receive: no acknowledgement (the view re-reads periodically anyway)."""
    operation = _receive(channel, [channel], TRANSIENT_QUEUE)
    operation["bindings"]["amqp"]["ack"] = False
    return operation


def _service_queue(producer: str, event: str, consumer: str) -> dict[str, Any]:
    return _queue(f"evt-{producer}-{event}--{consumer}.<method>")


def build_document() -> dict[str, Any]:
    components = SchemaComponents()
    components.add("CloudEventEnvelope", Envelope.model_json_schema(mode="validation"))
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    partner_messages: dict[str, Any] = {}
    replies: dict[str, Any] = {}
    for event, (producer, model) in EVENTS.items():
        name = str(event)
        messages[name] = _message(event, str(producer), model, components)
        ref = {name: {"$ref": f"#/components/messages/{name}"}}
        if event in PARTNER_EVENTS:  # on tgd.partners only
            partner_messages.update(ref)
            operations[f"{producer}.send.{PARTNERS_CHANNEL}.{name}"] = _send(PARTNERS_CHANNEL, [name])
            continue
        if event in PARTNER_REPLY_EVENTS:  # on tgd.partner-replies only
            replies.update(ref)
            continue
        channels[name] = {
            "address": name,
            "title": f"{producer}.events / {name}",
            "messages": ref,
            "bindings": _exchange_binding(f"{producer}.events"),
        }
        operations[f"{producer}.send.{name}"] = _send(name, [name])
        for consumer in CONSUMERS.get(event, ()):
            queue = _service_queue(str(producer), name, str(consumer))
            operations[f"{consumer}.receive.{name}"] = _receive(name, [name], queue)
        for consumer in LIVE_VIEW_CONSUMERS.get(event, ()):
            operations[f"{consumer}.receive.{name}"] = _wake_up_receive(name)
    channels.update(asyncapi_partners.channels(_exchange_binding, partner_messages, replies))
    operations.update(asyncapi_partners.operations(_send, _receive, _queue))
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {"title": "TGD bus", "version": _contracts_version(), "description": DESCRIPTION},
        "defaultContentType": "application/json",
        "servers": {
            "local": {
                "host": "127.0.0.1:5672",
                "protocol": "amqp",
                "protocolVersion": "0.9.1",
                "description": "One machine (scripts/run.sh). A deployment gives each partner its own user "
                "(`tgd broker provision-partner`) on the virtual host AMQP_URI names.",
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
        # digits stay a string for YAML 1.2 readers too (an INSEE code 03901 is no number)
        style = "|" if "\n" in value else ("'" if value.isdigit() else None)
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    header = "# Generated by `tgd contracts asyncapi` from libs/contracts: do not edit by hand.\n"
    body = yaml.dump(document or build_document(), Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
    return header + body
