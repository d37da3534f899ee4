"""A partner's inbox in tests: a queue bound to the ``tgd.partners`` topic exchange with
the partner's own binding patterns (e.g. ``police.03.csp-x.*``), as a real partner would."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from kombu import Connection, Consumer, Exchange, Queue, binding

from tgd_contracts.partners import PARTNER_EXCHANGE

from .bus import CapturedMessage


class PartnerInbox:
    def __init__(self, amqp_uri: str, *patterns: str):
        self.connection = Connection(amqp_uri)
        exchange = Exchange(PARTNER_EXCHANGE, type="topic", durable=True)
        exchange(self.connection.default_channel).declare()
        self.queue = Queue(
            f"partner-inbox-{uuid.uuid4().hex[:8]}",
            bindings=[binding(exchange, routing_key=p) for p in patterns],
            exclusive=True,
            auto_delete=True,
        )
        self.messages: list[CapturedMessage] = []
        self.consumer = Consumer(self.connection, queues=[self.queue], callbacks=[self._on_message], accept=["json"])
        self.consumer.consume()

    def _on_message(self, body: Any, message: Any) -> None:
        self.messages.append(
            CapturedMessage(
                message.delivery_info["routing_key"], body, dict(message.headers or {}), dict(message.properties)
            )
        )
        message.ack()

    def wait_for(
        self, predicate: Callable[[CapturedMessage], bool], count: int = 1, timeout: float = 15
    ) -> list[CapturedMessage]:
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.messages if predicate(m)]
            if len(found) >= count:
                return found
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"{len(found)}/{count} partner messages after {timeout}s")
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
