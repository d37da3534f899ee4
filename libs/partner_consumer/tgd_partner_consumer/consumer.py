"""The consumer: one partner's durable queue, declared for it by the platform.

The broker user that ``tgd broker provision-partner`` creates may only read its queue
``partner.<audience>.<territory>.<unit>`` and publish its replies with its own routing
keys on ``tgd.partner-replies``: the consumer declares and binds nothing (it checks its
queue exists, passively, and says clearly when it does not).

For each message: validate the CloudEvent and its data (any partner message of the
contracts: notice, dispatch, escalation, closure, ...; see
:mod:`tgd_partner_consumer.parsing`); an invalid message is rejected to
the platform's dead letters (never silently dropped); a valid one goes to the handler;
then the acknowledgement it calls for (see :mod:`tgd_partner_consumer.replies`) is
published with publisher confirms, and only then is the message acknowledged to the
broker. A handler that raises has the message redelivered. A ``partner_reminder`` (parquet,
association, teleassistance operator, BAV) calls for no reply on the bus: a person
acknowledges it on the API once acted upon.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass
from datetime import UTC, datetime

import pika
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from opentelemetry import propagate, trace

from tgd_contracts.alert import InterventionResult, OutcomeReported, PartnerDispatch, Recipient
from tgd_contracts.envelope import Envelope
from tgd_contracts.partners import PARTNER_EXCHANGE, PARTNER_REPLY_EXCHANGE, partner_queue_name
from tgd_partner_consumer import replies
from tgd_partner_consumer.parsing import InvalidMessage, Received, parse
from tgd_partner_consumer.replies import DEFAULT_ACKNOWLEDGED_BY, reply_id  # noqa: F401 (public)

log = logging.getLogger(__name__)
tracer = trace.get_tracer("tgd.partner_consumer")


class NotProvisioned(Exception):
    """The broker refuses this user, or its queue does not exist: provisioning is missing
    or wrong. Retrying cannot help; the consumer stops and says so."""


def _traceparent() -> str | None:
    span = trace.get_current_span().get_span_context()
    return f"00-{span.trace_id:032x}-{span.span_id:016x}-01" if span.is_valid else None


@dataclass(eq=False)
class PartnerConsumer:
    """Consume what the platform sends to one partner (audience, territory, unit)."""

    amqp_url: str
    recipient: Recipient
    handler: Callable[[Received], None]
    _: KW_ONLY
    acknowledge: bool = True
    prefetch: int = 20
    acknowledged_by: str = DEFAULT_ACKNOWLEDGED_BY
    private_key: X25519PrivateKey | None = None  # opens the personal fields sealed for this addressee

    def __post_init__(self) -> None:
        self.queue = partner_queue_name(self.recipient.audience, self.recipient.territory, self.recipient.unit)
        self._connection: pika.BlockingConnection | None = None
        self._channel = None

    def connect(self) -> None:
        """Connect, check the queue the platform declared for us, enable confirms, consume."""
        try:
            self._connection = pika.BlockingConnection(pika.URLParameters(self.amqp_url))
        except (pika.exceptions.ProbableAuthenticationError, pika.exceptions.ProbableAccessDeniedError) as exc:
            raise NotProvisioned(f"the broker refuses this user or virtual host ({type(exc).__name__})") from None
        channel = self._connection.channel()
        try:
            channel.queue_declare(self.queue, passive=True)
        except pika.exceptions.ChannelClosedByBroker as exc:
            self.close()
            raise NotProvisioned(
                f"queue {self.queue!r}: {exc.reply_text}; ask the platform to run "
                f"`tgd broker provision-partner {self.recipient.audience.value} {self.recipient.territory}"
                f" --unit {self.recipient.unit}`"
            ) from None
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
            except pika.exceptions.ChannelClosedByBroker as exc:
                if exc.reply_code in (403, 404):  # ACCESS_REFUSED, NOT_FOUND: retrying cannot help
                    self.close()
                    raise NotProvisioned(f"the broker refused: {exc.reply_text}") from None
                self._lost(exc, backoff)
                backoff = min(backoff * 2, max_backoff_s)
            except pika.exceptions.AMQPError as exc:
                self._lost(exc, backoff)
                backoff = min(backoff * 2, max_backoff_s)

    def _lost(self, exc: Exception, backoff: float) -> None:
        log.warning("connection to the broker lost (%s); reconnecting in %.1f s", type(exc).__name__, backoff)
        self._channel = None
        try:
            self.close()
        except Exception:  # noqa: S110 (the connection is gone anyway)
            pass
        time.sleep(backoff * (0.5 + random.random() / 2))  # noqa: S311 (jitter, not a secret)

    def stop(self) -> None:
        if self._connection is not None and self._connection.is_open:
            self._connection.add_callback_threadsafe(self._channel.stop_consuming)  # type: ignore[union-attr]

    def close(self) -> None:
        if self._connection is not None and self._connection.is_open:
            self._connection.close()

    # -- per message --------------------------------------------------------------
    def _on_message(self, channel, method, properties, body: bytes) -> None:
        try:
            message = parse(body, method.routing_key, self.private_key)
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
        parent = propagate.extract(dict(properties.headers or {}))  # the platform's trace (W3C traceparent)
        with tracer.start_as_current_span(
            f"process {message.envelope.event_name}",
            context=parent,
            kind=trace.SpanKind.CONSUMER,
            attributes=attributes,
        ):
            try:
                self.handler(message)
            except Exception:
                log.exception("the handler failed on %s; it will be redelivered", message.envelope.id)
                channel.basic_nack(method.delivery_tag, requeue=True)
                return
            reply = replies.reply_to(message.data, self.recipient, self.acknowledged_by)
            if self.acknowledge and reply is not None:
                self._reply(reply)
        channel.basic_ack(method.delivery_tag)

    # -- replies to the platform ------------------------------------------------------
    def acknowledge_dispatch(self, dispatch: PartnerDispatch) -> Envelope:
        """Tell the platform this dispatch was received (accusé de réception)."""
        reply = replies.reply_to(dispatch, self.recipient, self.acknowledged_by)
        assert reply is not None
        return self._reply(reply)

    def acknowledge_message(self, message: Received) -> Envelope | None:
        """Acknowledge a message later (``--no-acknowledge``): a dispatch or a notice."""
        reply = replies.reply_to(message.data, self.recipient, self.acknowledged_by)
        return self._reply(reply) if reply is not None else None

    def report_outcome(self, alert_id: str, result: InterventionResult, note: str | None = None) -> Envelope:
        """Report the intervention's outcome (compte rendu); the platform closes the alert."""
        report = OutcomeReported(
            alert_id=alert_id, recipient=self.recipient, result=result, reported_at=datetime.now(UTC), note=note
        )
        return self._reply(replies.outcome(self.recipient, alert_id, report))

    def _reply(self, reply: replies.Reply) -> Envelope:
        assert self._channel is not None, "connect() first"
        attributes = {
            "messaging.system": "rabbitmq",
            "messaging.operation.type": "publish",
            "messaging.destination.name": PARTNER_REPLY_EXCHANGE,
            "tgd.alert_id": reply.subject,
        }
        with tracer.start_as_current_span(
            f"publish {reply.event_name}", kind=trace.SpanKind.PRODUCER, attributes=attributes
        ):
            return replies.publish(self._channel, self.recipient, reply, _traceparent())
