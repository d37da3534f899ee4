"""What the consumer answers to each message, and how a reply is put on the wire.

- a dispatch or an escalation of an alert (``partner_dispatch``): ``partner_acknowledged``
  with routing key ``<own prefix>.acknowledgement``;
- a notice (``attribution_notice``): ``notice_acknowledged`` with ``<own prefix>.notice-acknowledgement``;
- a closure, a notice escalation (information only): nothing.

Replies go to ``tgd.partner-replies`` with the consumer's OWN routing key (its broker user
may publish no other), persistent, mandatory, with publisher confirms; the W3C
``traceparent`` in the AMQP headers is the one in the envelope.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import pika

from tgd_contracts.alert import OutcomeReported, PartnerAcknowledged, PartnerDispatch, Recipient
from tgd_contracts.base import Contract
from tgd_contracts.envelope import Envelope, build_envelope
from tgd_contracts.events import EventName
from tgd_contracts.notice import AttributionNotice, NoticeAcknowledged
from tgd_contracts.partners import PARTNER_REPLY_EXCHANGE, MessageKind, partner_reply_routing_key, partner_source

DEFAULT_ACKNOWLEDGED_BY = "accusé automatique (tgd-partner-consumer)"


@dataclass(frozen=True)
class Reply:
    event_name: EventName
    kind: MessageKind
    subject: str
    data: Contract


def reply_id(source: str, kind: MessageKind, data: Contract) -> str:
    """The CloudEvent id of a reply, derived from what it answers: the acknowledgement of
    a message redelivered to this consumer carries the same id as the first one, so the
    platform (which deduplicates on source + id) counts it once. An outcome report is
    unique per alert and partner."""
    answered = getattr(data, "dispatch_id", None) or getattr(data, "notice_id", None) or getattr(data, "alert_id", "")
    return uuid.uuid5(uuid.NAMESPACE_URL, f"tgd:{source}:{kind.value}:{answered}").hex


def reply_to(data: Contract, recipient: Recipient, acknowledged_by: str) -> Reply | None:
    """The acknowledgement a received message calls for (None: nothing to answer)."""
    now = datetime.now(UTC)
    if isinstance(data, PartnerDispatch):
        ack = PartnerAcknowledged(
            alert_id=data.alert_id, dispatch_id=data.dispatch_id, recipient=recipient, acknowledged_at=now
        )
        return Reply(EventName.PARTNER_ACKNOWLEDGED, MessageKind.ACKNOWLEDGEMENT, data.alert_id, ack)
    if isinstance(data, AttributionNotice):
        notice = NoticeAcknowledged(notice_id=data.notice_id, unit_code=data.unit_code, acknowledged_by=acknowledged_by)
        return Reply(EventName.NOTICE_ACKNOWLEDGED, MessageKind.NOTICE_ACKNOWLEDGEMENT, data.notice_id, notice)
    return None


def outcome(recipient: Recipient, alert_id: str, report: OutcomeReported) -> Reply:
    return Reply(EventName.OUTCOME_REPORTED, MessageKind.OUTCOME, alert_id, report)


def publish(channel, recipient: Recipient, reply: Reply, traceparent: str | None) -> Envelope:
    """Publish one reply (the channel is in confirm mode: returns once the broker has it)."""
    r = recipient
    source = partner_source(r.audience, r.territory, r.unit)
    envelope = build_envelope(
        source_service=source,
        event_name=reply.event_name,
        subject=reply.subject,
        data=reply.data,
        traceparent=traceparent,
        event_id=reply_id(source, reply.kind, reply.data),
    )
    headers = {"cloudEvents:id": envelope.id, "cloudEvents:source": envelope.source, "cloudEvents:type": envelope.type}
    if traceparent:
        headers["traceparent"] = traceparent  # the same as in the envelope
    channel.basic_publish(
        PARTNER_REPLY_EXCHANGE,
        partner_reply_routing_key(r.audience, r.territory, r.unit, reply.kind),
        envelope.model_dump_json().encode(),
        pika.BasicProperties(
            content_type="application/json",
            delivery_mode=2,
            message_id=envelope.id,
            type=envelope.type,
            headers=headers,
        ),
        mandatory=True,
    )
    return envelope
