"""The entrypoint that consumes partners' replies on ``tgd.partner-replies``.

It is :class:`tgd_servicekit.handlers.EnvelopeHandler` (quorum queue, dead letters,
CloudEvent and contract validation, ack after the handler) bound to the partners'
reply exchange with ``*.*.*.<kind>`` instead of to a service's event exchange.
"""

from __future__ import annotations

from typing import Any

from kombu import Exchange, Queue
from nameko import config
from nameko.constants import AMQP_URI_CONFIG_KEY, DEFAULT_AMQP_URI
from nameko.messaging import Consumer

from tgd_contracts.partners import PARTNER_REPLY_EXCHANGE, MessageKind
from tgd_servicekit.handlers import EnvelopeHandler
from tgd_servicekit.topology import consumer_queue_arguments, declare_dead_letter_topology

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


partner_reply_handler = PartnerReplyHandler.decorator
