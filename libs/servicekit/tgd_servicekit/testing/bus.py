"""Observing and poking the bus in tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kombu import Connection, Consumer, Exchange, Queue


@dataclass
class CapturedMessage:
    routing_key: str
    body: Any
    headers: dict[str, Any]
    properties: dict[str, Any]


class MessageCapture:
    """Exclusive queues that record every message routed to them while the capture is open."""

    def __init__(self, amqp_uri: str, queues: list[Queue]):
        self.connection = Connection(amqp_uri)
        self.messages: list[CapturedMessage] = []
        self.queues = queues
        self.consumer = Consumer(self.connection, queues=self.queues, callbacks=[self._on_message], accept=["json"])
        self.consumer.consume()

    def _on_message(self, body: Any, message: Any) -> None:
        self.messages.append(
            CapturedMessage(
                message.delivery_info["routing_key"], body, dict(message.headers or {}), dict(message.properties)
            )
        )
        message.ack()

    def wait_until(
        self, predicate: Callable[[CapturedMessage], bool], count: int, timeout: float, what: str
    ) -> list[CapturedMessage]:
        """The messages matching ``predicate`` once there are ``count`` of them."""
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.messages if predicate(m)]
            if len(found) >= count:
                return found
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"{len(found)}/{count} {what} after {timeout}s")
            try:
                self.connection.drain_events(timeout=min(remaining, 0.5))
            except TimeoutError:
                pass

    def drain(self, seconds: float) -> None:
        """Keep collecting for ``seconds`` (to check that nothing more arrives)."""
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                self.connection.drain_events(timeout=min(remaining, 0.5))
            except TimeoutError:
                pass

    def close(self) -> None:
        self.connection.release()


class EventCapture(MessageCapture):
    """An exclusive queue bound to ``<service>.events`` (all routing keys) per service."""

    def __init__(self, amqp_uri: str, *services: str):
        queues = [
            Queue(
                f"capture-{service}-{id(self)}",
                exchange=Exchange(f"{service}.events", type="topic", durable=True),
                routing_key="#",
                exclusive=True,
                auto_delete=True,
            )
            for service in services
        ]
        super().__init__(amqp_uri, queues)

    def wait_for(self, routing_key: str, timeout: float = 10, count: int = 1) -> list[CapturedMessage]:
        return self.wait_until(lambda m: m.routing_key == routing_key, count, timeout, f"{routing_key!r} messages")


def publish_raw(
    amqp_uri: str,
    exchange: str,
    routing_key: str,
    body: bytes | str,
    content_type: str = "application/json",
    headers: dict[str, Any] | None = None,
    **properties: Any,
) -> None:
    """Put an arbitrary (possibly malformed) message on the bus."""
    with Connection(amqp_uri, transport_options={"confirm_publish": True}) as conn:
        conn.default_channel.basic_publish(
            conn.default_channel.prepare_message(
                body, content_type=content_type, content_encoding="utf-8", headers=headers or {}, properties=properties
            ),
            exchange=exchange,
            routing_key=routing_key,
        )


def queue_depth(amqp_uri: str, queue: str) -> int:
    with Connection(amqp_uri) as conn:
        return conn.default_channel.queue_declare(queue, passive=True).message_count


def publish_envelope(amqp_uri: str, exchange: str, routing_key: str, envelope: dict[str, Any] | str) -> dict[str, Any]:
    """Publish an event as a service would: persistent, with a trace context (one is made
    when the envelope has none) and the CloudEvents headers. Returns the envelope sent."""
    import json
    import os

    body = json.loads(envelope) if isinstance(envelope, str) else dict(envelope)
    body.setdefault("traceparent", None)
    if not body["traceparent"]:
        body["traceparent"] = f"00-{os.urandom(16).hex()}-{os.urandom(8).hex()}-01"
    headers = {
        "traceparent": body["traceparent"],
        "nameko.traceparent": body["traceparent"],
        "cloudEvents:id": body.get("id"),
        "cloudEvents:source": body.get("source"),
        "cloudEvents:type": body.get("type"),
    }
    publish_raw(
        amqp_uri,
        exchange,
        routing_key,
        json.dumps(body),
        headers=headers,
        delivery_mode=2,
        message_id=body.get("id"),
        type=body.get("type"),
    )
    return body
