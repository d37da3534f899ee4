"""Consuming CloudEvent envelopes in a service.

``@envelope_handler(source_service, event_name)`` is nameko's ``event_handler`` with
the reliability this system needs:

- its queue is a durable quorum queue with a delivery limit and a dead-letter
  exchange (``tgd.dead-letter``), declared before consuming;
- a body that is not a valid envelope, or whose ``data`` does not match the event's
  contract, is rejected straight to the dead letters (logged with its error
  locations, never its content) and the service keeps running;
- a handler that raises has its message requeued, so a transient failure is retried
  and a poison message reaches the dead letters after the delivery limit;
- the message is acknowledged only after the handler returned.

The decorated method receives one :class:`ReceivedEvent`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial
from typing import Any

from kombu import Queue
from nameko import config
from nameko.constants import AMQP_URI_CONFIG_KEY, DEFAULT_AMQP_URI
from nameko.events import EventHandler
from nameko.messaging import Consumer, decode_from_headers
from nameko.standalone.events import get_event_exchange
from pydantic import ValidationError

from tgd_contracts.base import Contract
from tgd_contracts.envelope import Envelope
from tgd_contracts.registry import event_model
from tgd_servicekit.consumers import SafeConsumer
from tgd_servicekit.topology import consumer_queue_arguments, declare_dead_letter_topology

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReceivedEvent:
    envelope: Envelope
    data: Contract


class InvalidEvent(Exception):
    """A message that can never be handled; it goes to the dead letters."""


def error_locations(exc: ValidationError) -> list[str]:
    """Where validation failed, without the offending values (they may be personal)."""
    return [".".join(str(p) for p in err["loc"]) + ":" + err["type"] for err in exc.errors()]


def parse_event(body: Any, expected_event: str) -> ReceivedEvent:
    try:
        envelope = Envelope.consume(body)
    except ValidationError as exc:
        raise InvalidEvent(f"not a CloudEvent envelope ({', '.join(error_locations(exc))})") from None
    if envelope.event_name != expected_event:
        raise InvalidEvent(f"type {envelope.type!r} on the queue of {expected_event!r}")
    model = event_model(expected_event)
    if model is None:
        raise InvalidEvent(f"no contract for {expected_event!r}")
    try:
        data = model.consume(envelope.data)
    except ValidationError as exc:
        raise InvalidEvent(f"data does not match {model.__name__} ({', '.join(error_locations(exc))})") from None
    return ReceivedEvent(envelope=envelope, data=data)


class EnvelopeHandler(EventHandler):
    consumer_cls = SafeConsumer

    def __init__(self, source_service: str, event_name: str, **kwargs: Any):
        super().__init__(source_service, str(event_name), requeue_on_error=True, **kwargs)

    def setup(self) -> None:
        service_name = self.container.service_name
        queue_name = f"evt-{self.source_service}-{self.event_type}--{service_name}.{self.method_name}"
        declare_dead_letter_topology(config.get(AMQP_URI_CONFIG_KEY, DEFAULT_AMQP_URI))
        self.queue = Queue(
            queue_name,
            exchange=get_event_exchange(self.source_service),
            routing_key=self.event_type,
            durable=True,
            queue_arguments=consumer_queue_arguments(queue_name),
        )
        Consumer.setup(self)

    def handle_message(self, body: Any, message: Any) -> None:
        try:
            event = parse_event(body, self.event_type)
        except InvalidEvent as exc:
            log.error("dead-lettering a message on %s: %s", self.queue.name, exc)
            message.reject(requeue=False)
            return
        context_data = decode_from_headers(message.headers or {})
        if event.envelope.traceparent and "traceparent" not in context_data:
            context_data["traceparent"] = event.envelope.traceparent

        def spawn_worker() -> None:
            try:
                self.container.spawn_worker(
                    self, (event,), {}, context_data=context_data, handle_result=partial(self.handle_result, message)
                )
            except Exception:  # container being killed: give the message back
                self.consumer.requeue_message(message)

        self.container.spawn_managed_thread(spawn_worker, identifier=f"envelope_handler[{self.queue.name}]")


envelope_handler = EnvelopeHandler.decorator
