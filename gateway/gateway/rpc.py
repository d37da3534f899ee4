"""Calling nameko services from the gateway by speaking nameko's RPC wire protocol.

nameko's standalone client is blocking and not thread-safe (see STACK-NOTES), so the
gateway owns one small client: a background thread consumes one exclusive reply
queue; requests are published on a separate connection under a lock; each call
waits on an asyncio future resolved from the reply thread. Requests expire after the
call's timeout so a late service never acts on a call nobody waits for.

Wire format: exchange ``nameko-rpc`` (topic), routing key ``<service>.<method>``,
body ``{"args": [], "kwargs": {...}}``, ``reply_to`` + ``correlation_id``; the reply is
``{"result": ..., "error": {"exc_type", "value", ...} | null}``.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from typing import Any

from amqp.exceptions import ChannelError
from kombu import Connection, Consumer, Exchange, Producer, Queue
from kombu.exceptions import OperationalError
from opentelemetry import propagate, trace

from tgd_contracts.errors import ErrorCode, TgdError, parse_remote_error

log = logging.getLogger(__name__)
tracer = trace.get_tracer("tgd.gateway.rpc")
RPC_EXCHANGE = Exchange("nameko-rpc", type="topic", durable=True)


class RemoteServiceError(Exception):
    """A service answered with an unexpected error (a bug or a crash there)."""


class RpcClient:
    def __init__(self, amqp_uri: str, timeout_s: float, heartbeat_s: int = 30):
        self.amqp_uri = amqp_uri
        self.timeout_s = timeout_s
        self.heartbeat_s = heartbeat_s
        self.disconnections = 0
        self.reply_key = f"gateway-{uuid.uuid4().hex}"
        self._pending: dict[str, tuple[asyncio.AbstractEventLoop, asyncio.Future[Any]]] = {}
        self._pending_lock = threading.Lock()
        self._publish_lock = threading.Lock()
        self._publish_conn: Connection | None = None
        self._stop = threading.Event()
        self._connected = threading.Event()
        self._thread = threading.Thread(target=self._consume_forever, name="rpc-replies", daemon=True)

    # -- lifecycle ------------------------------------------------------------
    def start(self, wait_s: float = 10.0) -> None:
        self._thread.start()
        self._connected.wait(wait_s)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        if self._publish_conn is not None:
            self._publish_conn.release()

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    # -- replies ----------------------------------------------------------------
    def _reply_queue(self) -> Queue:
        return Queue(
            f"rpc.reply-{self.reply_key}",
            exchange=RPC_EXCHANGE,
            routing_key=self.reply_key,
            exclusive=True,
            auto_delete=True,
        )

    def _consume_forever(self) -> None:
        backoff = 0.5
        while not self._stop.is_set():
            try:
                with Connection(self.amqp_uri, heartbeat=self.heartbeat_s, connect_timeout=3) as conn:
                    with Consumer(
                        conn, queues=[self._reply_queue()], callbacks=[self._on_reply], accept=["json"], no_ack=True
                    ):
                        self._connected.set()
                        backoff = 0.5
                        while not self._stop.is_set():
                            try:
                                conn.drain_events(timeout=1)
                            except TimeoutError:
                                pass
                            # after every wake-up, busy or idle: this connection only receives
                            # (no_ack), so without our heartbeats a broker under a steady flow of
                            # replies sees a silent client and closes it after 2 intervals
                            conn.heartbeat_check()
            except Exception as exc:  # broker down or restarting: report, back off, reconnect
                self._connected.clear()
                self.disconnections += 1
                log.warning("rpc reply consumer disconnected (%s); retrying in %.1fs", type(exc).__name__, backoff)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 10)
        self._connected.clear()

    def _on_reply(self, body: Any, message: Any) -> None:
        correlation_id = message.properties.get("correlation_id")
        with self._pending_lock:
            waiter = self._pending.pop(correlation_id, None)
        if waiter is None:
            return  # the caller timed out already
        loop, future = waiter
        loop.call_soon_threadsafe(_resolve, future, body)

    # -- requests ---------------------------------------------------------------
    def _publish(self, routing_key: str, kwargs: dict[str, Any], correlation_id: str, headers: dict[str, Any]) -> None:
        with self._publish_lock:
            if self._publish_conn is None:
                # confirms + mandatory: a request no service queue can take fails at once (NO_ROUTE)
                self._publish_conn = Connection(
                    self.amqp_uri, connect_timeout=3, transport_options={"confirm_publish": True}
                )
            producer = Producer(self._publish_conn.default_channel)
            producer.publish(
                {"args": [], "kwargs": kwargs},
                exchange=RPC_EXCHANGE,
                routing_key=routing_key,
                reply_to=self.reply_key,
                mandatory=True,
                correlation_id=correlation_id,
                headers=headers,
                expiration=self.timeout_s,
                serializer="json",
                retry=True,
                retry_policy={"max_retries": 2, "interval_start": 0.1, "interval_step": 0.5},
                declare=[RPC_EXCHANGE],
            )

    async def call(self, service: str, method: str, **kwargs: Any) -> Any:
        """Call ``service.method(**kwargs)``; raise :class:`TgdError` on an expected
        error, with SERVICE_TIMEOUT/SERVICE_UNAVAILABLE when the service cannot answer."""
        if not self.connected:
            raise TgdError(code=ErrorCode.SERVICE_UNAVAILABLE)
        routing_key = f"{service}.{method}"
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        correlation_id = uuid.uuid4().hex
        attributes = {
            "messaging.system": "rabbitmq",
            "messaging.operation.type": "publish",
            "messaging.destination.name": RPC_EXCHANGE.name,
            "messaging.rabbitmq.destination.routing_key": routing_key,
            "rpc.system": "nameko",
            "rpc.service": service,
            "rpc.method": method,
        }
        with tracer.start_as_current_span(f"rpc {routing_key}", kind=trace.SpanKind.CLIENT, attributes=attributes):
            carrier: dict[str, str] = {}
            propagate.inject(carrier)
            headers = {f"nameko.{k}": v for k, v in carrier.items()}
            with self._pending_lock:
                self._pending[correlation_id] = (loop, future)
            try:
                await asyncio.to_thread(self._publish, routing_key, kwargs, correlation_id, headers)
                reply = await asyncio.wait_for(future, self.timeout_s)
            except TimeoutError:
                raise TgdError(code=ErrorCode.SERVICE_TIMEOUT) from None
            except ChannelError as exc:
                self._drop_publish_connection()
                if "NO_ROUTE" in str(exc):
                    raise TgdError(
                        f"The {service} service is not running.", code=ErrorCode.SERVICE_UNAVAILABLE
                    ) from None
                raise TgdError(code=ErrorCode.SERVICE_UNAVAILABLE) from exc
            except (OSError, OperationalError) as exc:
                self._drop_publish_connection()
                raise TgdError(code=ErrorCode.SERVICE_UNAVAILABLE) from exc
            finally:
                with self._pending_lock:
                    self._pending.pop(correlation_id, None)
        return unwrap_reply(reply)

    def _drop_publish_connection(self) -> None:
        with self._publish_lock:
            if self._publish_conn is not None:
                self._publish_conn.release()
                self._publish_conn = None


def _resolve(future: asyncio.Future[Any], body: Any) -> None:
    if not future.done():
        future.set_result(body)


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
