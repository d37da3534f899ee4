"""Calling nameko services from the gateway by speaking nameko's RPC wire protocol, on
the event loop (aiormq: asyncio AMQP, no thread, no lock held across confirms).

One connection, one channel in confirm mode. Requests are published mandatory with a
publisher confirm each; confirms are pipelined (aiormq serialises only the writing of a
frame, never the wait for its confirm), so concurrent calls do not queue behind one
another. Replies come back by RabbitMQ's direct reply-to: the channel consumes
``amq.rabbitmq.reply-to`` (no queue, no acknowledgement) and each request carries
``reply_to = amq.rabbitmq.reply-to``; the services answer such a caller on the default
exchange without a confirm (``tgd_servicekit.consumers``). A request no service queue
can take comes back at once (NO_ROUTE: SERVICE_UNAVAILABLE); requests expire after the
call's timeout, so a late service never acts on a call nobody waits for. When the
connection drops, the calls in flight fail with SERVICE_UNAVAILABLE (their replies
would come to a channel that is gone) and the client reconnects with backoff.

Wire format: exchange ``nameko-rpc`` (topic), routing key ``<service>.<method>``,
body ``{"args": [], "kwargs": {...}}`` (kombu's JSON, as nameko decodes it),
``reply_to`` + ``correlation_id``; the reply is
``{"result": ..., "error": {"exc_type", "value", ...} | null}``.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

import aiormq
from aiormq.abc import DeliveredMessage
from kombu.utils.json import dumps, loads
from opentelemetry import propagate, trace
from pamqp.commands import Basic

from gateway.amqp_link import AmqpLink, aiormq_url
from tgd_contracts.errors import ErrorCode, TgdError, parse_remote_error

log = logging.getLogger(__name__)
tracer = trace.get_tracer("tgd.gateway.rpc")
RPC_EXCHANGE = "nameko-rpc"
DIRECT_REPLY_TO = "amq.rabbitmq.reply-to"


class RemoteServiceError(Exception):
    """A service answered with an unexpected error (a bug or a crash there)."""


class RpcClient:
    def __init__(self, amqp_uri: str, timeout_s: float, heartbeat_s: int = 30):
        self.url = aiormq_url(amqp_uri, heartbeat_s)
        self.timeout_s = timeout_s
        self._pending: dict[str, asyncio.Future[Any]] = {}
        self._channel: aiormq.abc.AbstractChannel | None = None
        self._ready = asyncio.Event()
        self._link = AmqpLink(self.url, self._open_channel, self._lost, "rpc client")

    # -- lifecycle ------------------------------------------------------------
    async def start(self, wait_s: float = 10.0) -> None:
        """Connect in the background (reconnecting for ever); wait up to ``wait_s`` for the first connection."""
        self._link.start()
        try:
            await asyncio.wait_for(self._ready.wait(), wait_s)
        except TimeoutError:
            log.warning("rpc client: no broker within %.0f s; retrying in the background", wait_s)

    async def stop(self) -> None:
        await self._link.stop()

    @property
    def connected(self) -> bool:
        return self._channel is not None and self._ready.is_set()

    @property
    def disconnections(self) -> int:
        return self._link.disconnections

    async def _open_channel(self, connection: aiormq.abc.AbstractConnection) -> aiormq.abc.AbstractChannel:
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        await channel.exchange_declare(RPC_EXCHANGE, exchange_type="topic", durable=True)
        await channel.basic_consume(DIRECT_REPLY_TO, self._on_reply, no_ack=True)
        self._channel = channel
        self._ready.set()
        return channel

    def _lost(self) -> None:
        self._ready.clear()
        self._channel = None
        pending, self._pending = self._pending, {}
        for future in pending.values():
            if not future.done():
                future.set_exception(TgdError(code=ErrorCode.SERVICE_UNAVAILABLE))

    # -- replies ----------------------------------------------------------------
    async def _on_reply(self, message: DeliveredMessage) -> None:
        future = self._pending.pop(message.header.properties.correlation_id or "", None)
        if future is None or future.done():
            return  # the caller timed out already
        try:
            future.set_result(loads(message.body))
        except ValueError:
            future.set_exception(RemoteServiceError("malformed reply"))

    # -- requests ---------------------------------------------------------------
    async def call(self, service: str, method: str, **kwargs: Any) -> Any:
        """Call ``service.method(**kwargs)``; raise :class:`TgdError` on an expected
        error, with SERVICE_TIMEOUT/SERVICE_UNAVAILABLE when the service cannot answer."""
        channel = self._channel
        if channel is None or not self._ready.is_set():
            raise TgdError(code=ErrorCode.SERVICE_UNAVAILABLE)
        routing_key = f"{service}.{method}"
        attributes = {
            "messaging.system": "rabbitmq",
            "messaging.operation.type": "publish",
            "messaging.destination.name": RPC_EXCHANGE,
            "messaging.rabbitmq.destination.routing_key": routing_key,
            "rpc.system": "nameko",
            "rpc.service": service,
            "rpc.method": method,
        }
        with tracer.start_as_current_span(f"rpc {routing_key}", kind=trace.SpanKind.CLIENT, attributes=attributes):
            carrier: dict[str, str] = {}
            propagate.inject(carrier)
            correlation_id = uuid.uuid4().hex
            properties = Basic.Properties(
                content_type="application/json",
                content_encoding="utf-8",
                reply_to=DIRECT_REPLY_TO,
                correlation_id=correlation_id,
                headers={f"nameko.{k}": v for k, v in carrier.items()},
                expiration=str(int(self.timeout_s * 1000)),
                delivery_mode=1,  # transient: a request is worth nothing once its caller has given up
            )
            future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            self._pending[correlation_id] = future
            body = dumps({"args": [], "kwargs": kwargs}).encode()
            try:
                async with asyncio.timeout(self.timeout_s):
                    await channel.basic_publish(
                        body, exchange=RPC_EXCHANGE, routing_key=routing_key, properties=properties, mandatory=True
                    )
                    reply = await future
            except TimeoutError:
                raise TgdError(code=ErrorCode.SERVICE_TIMEOUT) from None
            except aiormq.exceptions.PublishError:  # returned: no queue takes <service>.*
                raise TgdError(f"The {service} service is not running.", code=ErrorCode.SERVICE_UNAVAILABLE) from None
            except (aiormq.exceptions.AMQPError, ConnectionError, OSError) as exc:
                raise TgdError(code=ErrorCode.SERVICE_UNAVAILABLE) from exc
            finally:
                self._pending.pop(correlation_id, None)
        return unwrap_reply(reply)


def unwrap_reply(reply: Any) -> Any:
    """The result of a nameko reply, or the TgdError it carries."""
    if not isinstance(reply, dict):
        raise RemoteServiceError("malformed reply")
    error = reply.get("error")
    if not error:
        return reply.get("result")
    parsed = parse_remote_error(str(error.get("value", "")))
    if parsed is not None:
        code, message = parsed
        raise TgdError(message, code=code)
    raise RemoteServiceError(str(error.get("exc_type", "unknown")))
