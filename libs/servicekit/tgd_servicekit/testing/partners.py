"""A partner's inbox in tests: a queue bound to the ``tgd.partners`` topic exchange with
the partner's own binding patterns (e.g. ``police.03.csp-x.*``), as a real partner would."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from kombu import Connection, Exchange, Queue, binding

from tgd_contracts.partners import PARTNER_EXCHANGE

from .bus import CapturedMessage, MessageCapture


class PartnerInbox(MessageCapture):
    def __init__(self, amqp_uri: str, *patterns: str):
        exchange = Exchange(PARTNER_EXCHANGE, type="topic", durable=True)
        with Connection(amqp_uri) as conn:
            exchange(conn.default_channel).declare()
        queue = Queue(
            f"partner-inbox-{uuid.uuid4().hex[:8]}",
            bindings=[binding(exchange, routing_key=p) for p in patterns],
            exclusive=True,
            auto_delete=True,
        )
        super().__init__(amqp_uri, [queue])

    def wait_for(
        self, predicate: Callable[[CapturedMessage], bool], count: int = 1, timeout: float = 15
    ) -> list[CapturedMessage]:
        return self.wait_until(predicate, count, timeout, "partner messages")
