"""The entrypoint that consumes partners' replies on ``tgd.partner-replies``.

It is :class:`tgd_servicekit.handlers.EnvelopeHandler` (quorum queue, dead letters,
CloudEvent and contract validation, ack after the handler) bound to the partners'
reply exchange with ``*.*.*.<kind>`` instead of to a service's event exchange.

A reply whose routing key is not the one of the recipient it names is dead-lettered:
a partner's broker user may publish only its own keys (topic permissions), so the key
is what proves who answers.
"""

from __future__ import annotations

import logging
from typing import Any

from kombu import Exchange, Queue
from nameko import config
from nameko.constants import AMQP_URI_CONFIG_KEY, DEFAULT_AMQP_URI
from nameko.messaging import Consumer

from tgd_contracts.partners import PARTNER_REPLY_EXCHANGE, MessageKind, partner_routing_key
from tgd_servicekit.handlers import EnvelopeHandler, InvalidEvent, parse_event
from tgd_servicekit.topology import consumer_queue_arguments, declare_dead_letter_topology

log = logging.getLogger(__name__)
REPLIES = Exchange(PARTNER_REPLY_EXCHANGE, type="topic", durable=True)


class PartnerReplyHandler(EnvelopeHandler):
    def __init__(self, event_name: str, kind: MessageKind, **kwargs: Any):
        super().__init__("partner", event_name, **kwargs)
        self.kind = kind

    def setup(self) -> None:
        queue_name = f"{self.container.service_name}.partner-replies.{self.kind.value}"
        declare_dead_letter_topology(config.get(AMQP_URI_CONFIG_KEY, DEFAULT_AMQP_URI))
        self.queue = Queue(
            queue_name,
            exchange=REPLIES,
            routing_key=f"*.*.*.{self.kind.value}",
            durable=True,
            queue_arguments=consumer_queue_arguments(queue_name),
        )
        Consumer.setup(self)

    def handle_message(self, body: Any, message: Any) -> None:
        try:
            recipient = parse_event(body, self.event_type).data.recipient  # type: ignore[attr-defined]
        except InvalidEvent:
            super().handle_message(body, message)  # rejects it, with the reason logged
            return
        expected = partner_routing_key(recipient.audience, recipient.territory, recipient.unit, self.kind)
        if message.delivery_info.get("routing_key") != expected:
            log.error("dead-lettering a %s sent with another partner's routing key", self.event_type)
            message.reject(requeue=False)
            return
        super().handle_message(body, message)


partner_reply_handler = PartnerReplyHandler.decorator
