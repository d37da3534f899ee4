"""The partner side of the AsyncAPI document: the exchange the platform publishes on
(``tgd.partners``), the exchange partners answer on (``tgd.partner-replies``), each
audience's queue, binding and broker permissions. Everything comes from
:mod:`tgd_contracts.partners` (the one naming scheme) and the registry."""

from __future__ import annotations

from typing import Any

from tgd_contracts.partners import (
    PARTNER_DEAD_LETTER_EXCHANGE,
    PARTNER_EXCHANGE,
    PARTNER_REPLY_EXCHANGE,
    REPLY_KINDS,
    Audience,
    MessageKind,
    broker_permissions,
    reply_queue_name,
)
from tgd_contracts.registry import CONSUMERS, PARTNER_EVENTS, PARTNER_REPLY_EVENTS

PARTNERS_CHANNEL = "partners"
REPLIES_CHANNEL = "partner-replies"
ADDRESS = "{audience}.{territory}.{unit}.{kind}"
QUEUE = "partner.{audience}.{territory}.{unit}"
SENT_KINDS = [k.value for k in MessageKind if k not in REPLY_KINDS]
REPLY_KIND_VALUES = [k.value for k in MessageKind if k in REPLY_KINDS]

PARTNERS_DESCRIPTION = f"""Everything the platform addresses to a partner.

An addressee is `(audience, territory, unit)`; `unit` is `any` for an addressee of a whole
territory (the association of a jurisdiction, a command centre). Its queue is
`{QUEUE}` (durable quorum queue, dead letters to `{PARTNER_DEAD_LETTER_EXCHANGE}`), bound
with `{{audience}}.{{territory}}.{{unit}}.*`. **The platform declares and binds it** (at
`tgd broker provision-partner` and before its first message), so nothing addressed to a
partner is lost while it is offline and a partner's broker user needs no configure right.
New kinds and message types may appear; they need no new permission. The reference consumer
rejects a type it does not know to the platform's dead letters (an alarm for the platform's
operators: that partner must upgrade), never silently.

**Personal fields are sealed for the addressee** when its public key was registered at
provisioning (`tgd broker provision-partner … --public-key`): `dossier`, `position`,
`located` of a `partner_dispatch`, `position` and `located` of a `partner_position`
(2.0.0), `beneficiary`, `author`, `author_release` of an `attribution_notice` are removed
from `data` and travel in `data.sealed`
(`alg` `X25519-HKDF-SHA256-A256GCM`: ephemeral X25519 with the addressee's key,
HKDF-SHA256 info `tgd-sealed-v1`, AES-256-GCM over the JSON object of those fields, with
associated data `<CloudEvent type>\n<id>\n<audience>.<territory>.<unit>`; `kid` is the
key's fingerprint). The broker's message store and dead letters hold no plaintext dossier;
only the addressee's private key opens it (the reference consumer's `--private-key`)."""

REPLIES_DESCRIPTION = """What partners send back, each with its OWN routing key
`{audience}.{territory}.{unit}.{kind}` (topic permissions refuse any other key, so a unit
can answer only as itself). Persistent, with publisher confirms. The CloudEvents `source` is
`/tgd/partner-{audience}-{territory}-{unit}` (the broker user's name)."""


def _parameters(kinds: list[str]) -> dict[str, Any]:
    return {
        "audience": {"enum": [a.value for a in Audience], "description": "Who is addressed (or answers)."},
        "territory": {"description": "Department (e.g. 03, 2a) or jurisdiction code (tj-moulins)."},
        "unit": {"description": "Unit code (e.g. csp-montlucon, a CIC or CORG code) or `any`."},
        "kind": {"enum": kinds, "description": "What the message is."},
    }


def permissions(audience: Audience) -> dict[str, Any]:
    """The permissions of a provisioned user of this audience (placeholders in braces)."""
    prefix = rf"{audience.value}\.{{territory}}\.{{unit}}"
    return {"vhost": "the one AMQP_URI names", **broker_permissions(prefix, rf"partner\.{prefix}")}


def channels(exchange_binding: Any, sent: dict[str, Any], replies: dict[str, Any]) -> dict[str, Any]:
    return {
        PARTNERS_CHANNEL: {
            "address": ADDRESS,
            "title": f"Partner exchange {PARTNER_EXCHANGE}",
            "description": PARTNERS_DESCRIPTION,
            "parameters": _parameters(SENT_KINDS),
            "messages": sent,
            "bindings": exchange_binding(PARTNER_EXCHANGE),
        },
        REPLIES_CHANNEL: {
            "address": ADDRESS,
            "title": f"Partner replies {PARTNER_REPLY_EXCHANGE}",
            "description": REPLIES_DESCRIPTION,
            "parameters": _parameters(REPLY_KIND_VALUES),
            "messages": replies,
            "bindings": exchange_binding(PARTNER_REPLY_EXCHANGE),
        },
    }


def operations(send: Any, receive: Any, service_queue: Any) -> dict[str, Any]:
    """Each audience receives on its queue and sends its replies; services consume replies."""
    ops: dict[str, Any] = {}
    for audience in Audience:
        consumed = [str(e) for e in PARTNER_EVENTS if audience in CONSUMERS.get(e, tuple(Audience))]
        queue = {
            "name": QUEUE.replace("{audience}", audience.value),
            "durable": True,
            "arguments": {"x-queue-type": "quorum", "x-dead-letter-exchange": PARTNER_DEAD_LETTER_EXCHANGE},
            "binding": f"{audience.value}.{{territory}}.{{unit}}.*",
            "declaredBy": "platform",
            "permissions": permissions(audience),
        }
        ops[f"{audience}.receive.{PARTNERS_CHANNEL}"] = receive(PARTNERS_CHANNEL, consumed, queue)
        answers = [str(e) for e, (_, senders) in PARTNER_REPLY_EVENTS.items() if audience in senders]
        ops[f"{audience}.send.{REPLIES_CHANNEL}"] = send(REPLIES_CHANNEL, answers)
    for event, (kind, _) in PARTNER_REPLY_EVENTS.items():
        for consumer in CONSUMERS.get(event, ()):
            queue = {**service_queue(reply_queue_name(str(consumer), kind)), "binding": f"*.*.*.{kind.value}"}
            ops[f"{consumer}.receive.{REPLIES_CHANNEL}.{event}"] = receive(REPLIES_CHANNEL, [str(event)], queue)
    return ops
