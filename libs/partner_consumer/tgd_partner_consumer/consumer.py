"""The consumer: one partner's durable queue on ``tgd.partners``.

For each message: validate the CloudEvent and its data (``partner_dispatch`` or
``partner_closure``); an invalid message is rejected to the platform's dead letters
(never silently dropped); a valid one goes to the handler; then, for a dispatch, a
``partner_acknowledged`` CloudEvent is published to ``tgd.partner-replies`` (with
publisher confirms, carrying the trace) and only then is the message acknowledged to
the broker. A handler that raises has the message redelivered.
"""

from __future__ import annotations

import json
import logging
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pika
from opentelemetry import trace
from pydantic import ValidationError

from tgd_contracts.alert import InterventionResult, OutcomeReported, PartnerAcknowledged, PartnerDispatch, Recipient
from tgd_contracts.base import Contract
from tgd_contracts.envelope import Envelope, build_envelope
from tgd_contracts.events import EventName
from tgd_contracts.partners import (
    PARTNER_EXCHANGE,
    PARTNER_REPLY_EXCHANGE,
    Audience,
    MessageKind,
    partner_binding,
    partner_queue_arguments,
    partner_queue_name,
    partner_routing_key,
)
from tgd_contracts.registry import event_model

log = logging.getLogger(__name__)
tracer = trace.get_tracer("tgd.partner_consumer")
ACCEPTED = (EventName.PARTNER_DISPATCH, EventName.PARTNER_CLOSURE, EventName.PARTNER_POSITION)


@dataclass(frozen=True)
class Received:
    """A validated message: the envelope, its typed data and the routing key it came with."""

    envelope: Envelope
    data: Contract
    routing_key: str

    @property
    def is_dispatch(self) -> bool:
        return isinstance(self.data, PartnerDispatch)


def reply_id(source: str, kind: MessageKind, data: Contract) -> str:
    """The CloudEvent id of a reply, derived from what it answers: the acknowledgement of
    a dispatch redelivered to this consumer carries the same id as the first one, so the
    platform (which deduplicates on source + id) counts it once. An outcome report is
    unique per alert and partner."""
    answered = getattr(data, "dispatch_id", None) or getattr(data, "alert_id", "")
    return uuid.uuid5(uuid.NAMESPACE_URL, f"tgd:{source}:{kind.value}:{answered}").hex


class InvalidMessage(Exception):
    pass


def parse(body: bytes, routing_key: str) -> Received:
    try:
        envelope = Envelope.consume(json.loads(body))
    except (ValueError, ValidationError):
        raise InvalidMessage("not a CloudEvent") from None
    if envelope.event_name not in ACCEPTED:
        raise InvalidMessage(f"unexpected type {envelope.type}")
    model = event_model(envelope.event_name)
    assert model is not None
    try:
        data = model.consume(envelope.data)
    except ValidationError:
        raise InvalidMessage(f"data does not match {model.__name__}") from None
    return Received(envelope=envelope, data=data, routing_key=routing_key)


class PartnerConsumer:
    """Consume what the platform sends to one partner (audience, territory, unit)."""

    def __init__(
        self,
        amqp_url: str,
        recipient: Recipient,
        handler: Callable[[Received], None],
        *,
        acknowledge: bool = True,
        prefetch: int = 20,
    ):
        self.amqp_url = amqp_url
        self.recipient = recipient
        self.handler = handler
        self.acknowledge = acknowledge
        self.prefetch = prefetch
        self.source = f"{recipient.audience.value}-{recipient.territory}-{recipient.unit}"
        self.queue = partner_queue_name(recipient.audience, recipient.territory, recipient.unit)
        self._connection: pika.BlockingConnection | None = None
        self._channel = None

    def connect(self) -> None:
        """Declare the partner's quorum queue, bind it to its own routing keys, enable confirms."""
        self._connection = pika.BlockingConnection(pika.URLParameters(self.amqp_url))
        channel = self._connection.channel()
        channel.exchange_declare(PARTNER_EXCHANGE, exchange_type="topic", durable=True)
        channel.exchange_declare(PARTNER_REPLY_EXCHANGE, exchange_type="topic", durable=True)
        channel.queue_declare(self.queue, durable=True, arguments=partner_queue_arguments(self.queue))
        binding = partner_binding(self.recipient.audience, self.recipient.territory, self.recipient.unit)
        channel.queue_bind(self.queue, PARTNER_EXCHANGE, routing_key=binding)
        channel.confirm_delivery()
        channel.basic_qos(prefetch_count=self.prefetch)
        channel.basic_consume(self.queue, self._on_message)
        self._channel = channel

    def run(self) -> None:
        """Consume until :meth:`stop` (or Ctrl-C)."""
        if self._channel is None:
            self.connect()
        assert self._channel is not None
        self._channel.start_consuming()

    def run_forever(self, max_backoff_s: float = 30.0) -> None:
        """Consume, and when the connection is lost (broker restart, network), reconnect
        with exponential backoff and go on. Nothing is lost meanwhile: the queue is a
        durable quorum queue and unacknowledged messages come back."""
        backoff = 0.5
        while True:
            try:
                if self._channel is None:
                    self.connect()
                    log.info("consuming %s", self.queue)
                    backoff = 0.5
                self.run()
                return  # stop() was called
            except pika.exceptions.AMQPError as exc:
                log.warning("connection to the broker lost (%s); reconnecting in %.1f s", type(exc).__name__, backoff)
                self._channel = None
                try:
                    self.close()
                except Exception:  # noqa: S110 (the connection is gone anyway)
                    pass
                time.sleep(backoff * (0.5 + random.random() / 2))  # noqa: S311 (jitter, not a secret)
                backoff = min(backoff * 2, max_backoff_s)

    def stop(self) -> None:
        if self._connection is not None and self._connection.is_open:
            self._connection.add_callback_threadsafe(self._channel.stop_consuming)  # type: ignore[union-attr]

    def close(self) -> None:
        if self._connection is not None and self._connection.is_open:
            self._connection.close()

    # -- per message --------------------------------------------------------------
    def _on_message(self, channel, method, properties, body: bytes) -> None:
        try:
            message = parse(body, method.routing_key)
        except InvalidMessage as exc:
            log.error("rejecting a message on %s to the dead letters: %s", self.queue, exc)
            channel.basic_reject(method.delivery_tag, requeue=False)
            return
        attributes = {
            "messaging.system": "rabbitmq",
            "messaging.operation.type": "process",
            "messaging.destination.name": PARTNER_EXCHANGE,
            "messaging.rabbitmq.destination.routing_key": method.routing_key,
            "messaging.message.id": message.envelope.id,
            "tgd.alert_id": message.envelope.subject,
        }
        with tracer.start_as_current_span(
            f"process {message.envelope.event_name}", kind=trace.SpanKind.CONSUMER, attributes=attributes
        ):
            try:
                self.handler(message)
            except Exception:
                log.exception("the handler failed on %s; it will be redelivered", message.envelope.id)
                channel.basic_nack(method.delivery_tag, requeue=True)
                return
            if self.acknowledge and isinstance(message.data, PartnerDispatch):
                self.acknowledge_dispatch(message.data)
        channel.basic_ack(method.delivery_tag)

    # -- replies to the platform ------------------------------------------------------
    def acknowledge_dispatch(self, dispatch: PartnerDispatch) -> Envelope:
        """Tell the platform this dispatch was received (accusé de réception)."""
        reply = PartnerAcknowledged(
            alert_id=dispatch.alert_id,
            dispatch_id=dispatch.dispatch_id,
            recipient=self.recipient,
            acknowledged_at=datetime.now(UTC),
        )
        return self._reply(EventName.PARTNER_ACKNOWLEDGED, MessageKind.ACKNOWLEDGEMENT, dispatch.alert_id, reply)

    def report_outcome(self, alert_id: str, result: InterventionResult, note: str | None = None) -> Envelope:
        """Report the intervention's outcome (compte rendu); the platform closes the alert."""
        report = OutcomeReported(
            alert_id=alert_id, recipient=self.recipient, result=result, reported_at=datetime.now(UTC), note=note
        )
        return self._reply(EventName.OUTCOME_REPORTED, MessageKind.OUTCOME, alert_id, report)

    def _reply(self, event_name: EventName, kind: MessageKind, alert_id: str, data: Contract) -> Envelope:
        assert self._channel is not None, "connect() first"
        span = trace.get_current_span().get_span_context()
        traceparent = f"00-{span.trace_id:032x}-{span.span_id:016x}-01" if span.is_valid else None
        envelope = build_envelope(
            source_service=self.source,
            event_name=event_name,
            subject=alert_id,
            data=data,
            traceparent=traceparent,
            event_id=reply_id(self.source, kind, data),
        )
        r = self.recipient
        self._channel.basic_publish(
            PARTNER_REPLY_EXCHANGE,
            partner_routing_key(Audience(r.audience), r.territory, r.unit, kind),
            envelope.model_dump_json().encode(),
            pika.BasicProperties(
                content_type="application/json",
                delivery_mode=2,
                message_id=envelope.id,
                type=envelope.type,
                headers={"cloudEvents:id": envelope.id, "cloudEvents:source": envelope.source},
            ),
            mandatory=True,
        )
        return envelope
