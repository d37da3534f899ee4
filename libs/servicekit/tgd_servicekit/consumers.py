"""Safer AMQP consumers for nameko entrypoints.

- :class:`SafeConsumer`: a body that cannot be decoded is rejected to the dead
  letters (kombu's default logs the raw body, which may hold personal data, and
  acknowledges it, which loses it).
- :func:`rpc`: nameko's ``@rpc`` whose service queue is a quorum queue with a dead-letter
  exchange, and which dead-letters a request without ``reply_to`` instead of running it
  and then failing to answer.
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
from kombu.exceptions import OperationalError as KombuOperationalError
from nameko import config
from nameko.amqp.consume import Consumer as NamekoConsumer
from nameko.constants import AMQP_URI_CONFIG_KEY, DEFAULT_AMQP_URI
from nameko.rpc import Rpc, RpcConsumer

from tgd_servicekit.topology import consumer_queue_arguments, declare_dead_letter_topology

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


class SafeRpcConsumer(RpcConsumer):
    consumer_cls = SafeConsumer

    def setup(self) -> None:
        super().setup()
        declare_dead_letter_topology(config.get(AMQP_URI_CONFIG_KEY, DEFAULT_AMQP_URI))
        self.queue.queue_arguments = consumer_queue_arguments(self.queue.name)

    def handle_message(self, body: Any, message: Any) -> None:
        if not message.properties.get("reply_to"):
            log.error("dead-lettering an RPC request without reply_to (routing key %s)", queue_names(message))
            message.reject(requeue=False)
            return
        super().handle_message(body, message)

    def handle_result(self, message: Any, result: Any, exc_info: Any) -> Any:
        try:
            return super().handle_result(message, result, exc_info)
        except CONNECTION_LOST as exc:
            # the reply could not be sent: the request was not acknowledged either, so
            # the broker redelivers it (the caller may also retry; both are idempotent)
            log.warning("RPC reply lost with the connection (%s); the request will be redelivered", type(exc).__name__)
            return result, exc_info


class SafeRpc(Rpc):
    rpc_consumer = SafeRpcConsumer()


rpc = SafeRpc.decorator
