"""``@partner_reply_handler()``: consume notice acknowledgements (``notice_acknowledged``,
routing key ``<audience>.<territory>.<unit>.notice-acknowledgement``) from the
``tgd.partner-replies`` topic exchange, with the same reliability as event handlers:
a durable quorum queue with dead letters; a reply that is not a valid envelope, or whose
``unit_code`` is not the unit of its routing key, goes straight to the dead letters (a
partner's broker user may publish only its own keys: the key proves who answers); a
handler that raises has its message requeued (then dead-lettered after the limit)."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from kombu import Exchange, Queue
from nameko import config
from nameko.constants import AMQP_URI_CONFIG_KEY, DEFAULT_AMQP_URI
from nameko.messaging import Consumer, decode_from_headers
from pydantic import ValidationError

from tgd_contracts.envelope import Envelope
from tgd_contracts.notice import NoticeAcknowledged
from tgd_contracts.partners import PARTNER_REPLY_EXCHANGE, MessageKind, addressee_of_key, reply_queue_name
from tgd_servicekit.consumers import SafeConsumer
from tgd_servicekit.handlers import InvalidEvent, error_locations
from tgd_servicekit.topology import consumer_queue_arguments, declare_dead_letter_topology

log = logging.getLogger(__name__)
REPLIES = Exchange(PARTNER_REPLY_EXCHANGE, type="topic", durable=True)
KIND = MessageKind.NOTICE_ACKNOWLEDGEMENT
QUEUE_NAME = reply_queue_name("notify", KIND)


def parse_reply(body: Any, routing_key: str) -> tuple[NoticeAcknowledged, tuple[str, str]]:
    """The reply, and the (audience, department) of its routing key."""
    try:
        envelope = Envelope.consume(body)
        if envelope.event_name != "notice_acknowledged":
            raise InvalidEvent(f"type {envelope.type!r} is not a reply this service takes")
        reply = NoticeAcknowledged.consume(envelope.data)
    except ValidationError as exc:
        raise InvalidEvent(f"not a valid reply ({', '.join(error_locations(exc))})") from None
    parts = addressee_of_key(routing_key)
    if parts is None or parts[3] != KIND or parts[2] != reply.unit_code:
        raise InvalidEvent("the routing key's unit is not the acknowledging unit")
    return reply, (parts[0], parts[1])


class PartnerReplyHandler(Consumer):
    consumer_cls = SafeConsumer

    def __init__(self, **kwargs: Any):
        super().__init__(queue=None, requeue_on_error=True, **kwargs)

    def setup(self) -> None:
        declare_dead_letter_topology(config.get(AMQP_URI_CONFIG_KEY, DEFAULT_AMQP_URI))
        self.queue = Queue(
            QUEUE_NAME,
            exchange=REPLIES,
            routing_key=f"*.*.*.{KIND.value}",  # only notice acknowledgements: alert replies are not ours
            durable=True,
            queue_arguments=consumer_queue_arguments(QUEUE_NAME),
        )
        super().setup()

    def handle_message(self, body: Any, message: Any) -> None:
        try:
            reply, addressee = parse_reply(body, str(message.delivery_info.get("routing_key", "")))
        except InvalidEvent as exc:
            log.error("dead-lettering a partner reply: %s", exc)
            message.reject(requeue=False)
            return
        context_data = decode_from_headers(message.headers or {})

        def spawn_worker() -> None:
            try:
                self.container.spawn_worker(
                    self,
                    (reply, addressee),
                    {},
                    context_data=context_data,
                    handle_result=partial(self.handle_result, message),
                )
            except Exception:  # container being killed: give the message back
                self.consumer.requeue_message(message)

        self.container.spawn_managed_thread(spawn_worker, identifier=f"partner_reply_handler[{QUEUE_NAME}]")


partner_reply_handler = PartnerReplyHandler.decorator
