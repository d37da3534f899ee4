"""Safer AMQP consumers for nameko entrypoints.

- :class:`SafeConsumer`: a body that cannot be decoded is rejected to the dead
  letters (kombu's default logs the raw body, which may hold personal data, and
  acknowledges it, which loses it).
- :func:`rpc`: nameko's ``@rpc`` whose service queue is a classic queue whose requests
  expire, with a dead-letter exchange (:mod:`tgd_servicekit.rpc_queues`), which
  dead-letters a request without ``reply_to`` instead of running it and then failing to
  answer, and which answers a caller that uses RabbitMQ's direct reply-to
  (``reply_to`` = ``amq.rabbitmq.reply-to.…``, the gateway) on the default exchange,
  without a publisher confirm (the reply goes straight to the caller's channel: there is
  no queue to confirm a write to, and a lost reply is a caller's timeout and retry);
  other callers (nameko's ``ServiceRpc``) get their reply on ``nameko-rpc`` as before.
- Both survive a broker restart in the middle of a worker: nameko acknowledges (or
  answers) after the worker, and when the connection died meanwhile the socket error
  escaped and killed the whole service container. Here it is logged and dropped: the
  broker gives an unacknowledged message back, and every handler is idempotent.
"""

from __future__ import annotations

import logging
from typing import Any

from amqp.exceptions import ConnectionError as AmqpConnectionError
from amqp.exceptions import RecoverableConnectionError
from kombu import Connection, Exchange
from kombu.exceptions import OperationalError as KombuOperationalError
from nameko import config
from nameko.amqp.consume import Consumer as NamekoConsumer
from nameko.amqp.publish import Publisher
from nameko.constants import AMQP_SSL_CONFIG_KEY, AMQP_URI_CONFIG_KEY, DEFAULT_AMQP_URI, LOGIN_METHOD_CONFIG_KEY
from nameko.rpc import Responder, Rpc, RpcConsumer, get_rpc_exchange

from tgd_servicekit.rpc_queues import prepare_rpc_queue, rpc_queue_arguments
from tgd_servicekit.topology import declare_dead_letter_topology

log = logging.getLogger(__name__)


def queue_names(message: Any) -> str:
    return str(message.delivery_info.get("routing_key", "?"))


#: What a write on a connection the broker closed (restart, network) raises.
CONNECTION_LOST = (OSError, AmqpConnectionError, RecoverableConnectionError, KombuOperationalError)


class SafeConsumer(NamekoConsumer):
    def ack_message(self, message: Any) -> None:
        try:
            super().ack_message(message)
        except CONNECTION_LOST as exc:
            log.warning("acknowledgement lost with the connection (%s); the broker redelivers", type(exc).__name__)

    def requeue_message(self, message: Any) -> None:
        try:
            super().requeue_message(message)
        except CONNECTION_LOST as exc:
            log.warning("requeue lost with the connection (%s); the broker redelivers", type(exc).__name__)

    def on_decode_error(self, message: Any, exc: Exception) -> None:
        log.error(
            "dead-lettering an undecodable message (routing key %s, content type %s, %s)",
            queue_names(message),
            message.content_type,
            type(exc).__name__,
        )
        message.reject(requeue=False)


DIRECT_REPLY_TO = "amq.rabbitmq.reply-to"
DEFAULT_EXCHANGE = Exchange("")


class UnconfirmedPublisher(Publisher):
    use_confirms = False
    delivery_mode = 1  # transient: a direct reply is never stored


class DirectReplyResponder(Responder):
    """Answers on the default exchange with the caller's ``amq.rabbitmq.reply-to.…`` as
    routing key, unconfirmed."""

    publisher_cls = UnconfirmedPublisher


def responder_for(amqp_uri: str, message: Any) -> Responder:
    ssl, login_method = config.get(AMQP_SSL_CONFIG_KEY), config.get(LOGIN_METHOD_CONFIG_KEY)
    if str(message.properties.get("reply_to", "")).startswith(DIRECT_REPLY_TO):
        return DirectReplyResponder(amqp_uri, DEFAULT_EXCHANGE, message, ssl=ssl, login_method=login_method)
    return Responder(amqp_uri, get_rpc_exchange(), message, ssl=ssl, login_method=login_method)


class SafeRpcConsumer(RpcConsumer):
    consumer_cls = SafeConsumer

    def setup(self) -> None:
        super().setup()
        amqp_uri = config.get(AMQP_URI_CONFIG_KEY, DEFAULT_AMQP_URI)
        declare_dead_letter_topology(amqp_uri)
        self.queue.queue_arguments = rpc_queue_arguments(self.queue.name)
        with Connection(amqp_uri, connect_timeout=5) as conn:  # RpcQueueMismatch: a clear refusal to start
            prepare_rpc_queue(conn, self.queue.name)

    def handle_message(self, body: Any, message: Any) -> None:
        if not message.properties.get("reply_to"):
            log.error("dead-lettering an RPC request without reply_to (routing key %s)", queue_names(message))
            message.reject(requeue=False)
            return
        super().handle_message(body, message)

    def handle_result(self, message: Any, result: Any, exc_info: Any) -> Any:
        """nameko's, with the responder chosen by the caller's ``reply_to``."""
        try:
            result, exc_info = responder_for(self.amqp_uri, message).send_response(result, exc_info)
            self.consumer.ack_message(message)
            return result, exc_info
        except CONNECTION_LOST as exc:
            # the reply could not be sent: the request was not acknowledged either, so
            # the broker redelivers it (the caller may also retry; both are idempotent)
            log.warning("RPC reply lost with the connection (%s); the request will be redelivered", type(exc).__name__)
            return result, exc_info


class SafeRpc(Rpc):
    rpc_consumer = SafeRpcConsumer()


rpc = SafeRpc.decorator
