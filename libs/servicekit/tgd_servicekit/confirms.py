"""Publishing several messages with pipelined publisher confirms.

nameko's publisher waits for the broker's confirm of each message before it sends the
next one: a relay with 200 pending entries pays 200 round trips. :class:`ConfirmedBatch`
puts one channel in confirm mode, publishes every message, then waits for all the
confirms together (RabbitMQ confirms in order, often several with one ``multiple``
ack). Each message gets its own result: None when confirmed, else the reason
(``MessageNacked``, an unroutable message returned to a ``mandatory`` publish, or a
timeout). Messages are persistent JSON, as nameko publishes them.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import eventlet.semaphore
from amqp.exceptions import MessageNacked
from kombu import Connection, Exchange, Producer

PERSISTENT = 2


class Unroutable(Exception):
    """The broker returned a ``mandatory`` message: no queue is bound for its routing key."""


class ConfirmTimeout(Exception):
    """The broker did not confirm the message in time (it may still have it)."""


@dataclass
class Outgoing:
    """One message to publish: body (JSON-serialisable), where, and its AMQP properties."""

    body: Any
    exchange: Exchange
    routing_key: str
    headers: dict[str, Any] = field(default_factory=dict)
    message_id: str | None = None
    type: str | None = None
    declare: Sequence[Any] = ()


class _Pending:
    def __init__(self, count: int):
        self.results: list[BaseException | None] = [None] * count
        self.open = set(range(1, count + 1))  # delivery tags, 1-based on a fresh channel

    def settle(self, tag: int, multiple: bool, error: BaseException | None) -> None:
        tags = {t for t in self.open if t <= tag} if multiple else {tag} & self.open
        for t in tags:
            if error is not None and self.results[t - 1] is None:
                self.results[t - 1] = error
        self.open -= tags


class ConfirmedBatch:
    """Publishes batches on one connection of its own, one batch at a time."""

    def __init__(self, amqp_uri: str, mandatory: bool = False, confirm_timeout: float = 10.0):
        self.amqp_uri = amqp_uri
        self.mandatory = mandatory
        self.confirm_timeout = confirm_timeout
        self._connection: Connection | None = None
        self._lock = eventlet.semaphore.Semaphore()

    def publish(self, messages: Sequence[Outgoing]) -> list[BaseException | None]:
        if not messages:
            return []
        with self._lock:
            try:
                return self._publish(messages)
            except Exception as exc:  # connection lost or refused: every message failed, none confirmed
                self.close()
                return [exc] * len(messages)

    def _publish(self, messages: Sequence[Outgoing]) -> list[BaseException | None]:
        if self._connection is None:
            self._connection = Connection(self.amqp_uri)
            self._connection.ensure_connection(max_retries=1)
        connection = self._connection
        channel = connection.channel()
        pending = _Pending(len(messages))
        by_id = {m.message_id: i for i, m in enumerate(messages) if m.message_id}
        try:
            channel.events["basic_ack"].add(lambda tag, multiple: pending.settle(tag, multiple, None))
            channel.events["basic_nack"].add(lambda tag, multiple: pending.settle(tag, multiple, MessageNacked()))
            channel.events["basic_return"].add(lambda exc, exchange, key, msg: _returned(pending, by_id, msg, key))
            channel.confirm_select()
            producer = Producer(channel)
            for message in messages:
                producer.publish(
                    message.body,
                    exchange=message.exchange,
                    routing_key=message.routing_key,
                    headers=message.headers,
                    message_id=message.message_id,
                    type=message.type,
                    declare=list(message.declare),
                    serializer="json",
                    delivery_mode=PERSISTENT,
                    mandatory=self.mandatory,
                    retry=False,
                )
            deadline = time.monotonic() + self.confirm_timeout
            while pending.open and (remaining := deadline - time.monotonic()) > 0:
                try:
                    connection.drain_events(timeout=remaining)
                except TimeoutError:
                    break
            for tag in pending.open:
                pending.results[tag - 1] = ConfirmTimeout()
            return pending.results
        finally:
            channel.close()

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.release()
            finally:
                self._connection = None


def _returned(pending: _Pending, by_id: dict[str, int], message: Any, routing_key: str) -> None:
    """A returned message comes before its ack: remember why, the ack settles it."""
    index = by_id.get(message.properties.get("message_id")) if message is not None else None
    if index is not None:
        pending.results[index] = Unroutable(routing_key)
