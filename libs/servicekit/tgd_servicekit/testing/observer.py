"""A broker-side observer that checks every message crossing the bus in a test.

:class:`BusObserver` binds one exclusive queue (``#``) to every events exchange of the
registry (``<service>.events``), to ``tgd.partners`` and to ``tgd.partner-replies`` on
the test's virtual host,
before the services start. When the test ends, :meth:`BusObserver.collect` takes every
message that went through and checks it with
:func:`tgd_contracts.conformance.check_message` (CloudEvents envelope, traceparent,
schema of its event and version, channel, headers).

The pytest plugin turns it on for every test marked ``integration`` or ``e2e`` that
uses ``vhost_uri``; any violation fails the test. A test that publishes invalid
messages on purpose says how many with ``bus_observer.expect_violations(n)``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from kombu import Connection, Exchange, Queue

from tgd_contracts.conformance import check_message
from tgd_contracts.events import ServiceName
from tgd_contracts.partners import PARTNER_EXCHANGE, PARTNER_REPLY_EXCHANGE
from tgd_contracts.registry import EVENTS


def observed_exchanges() -> list[str]:
    """Every events exchange of the registry (and of every known service), the partner
    exchange and the partners' reply exchange."""
    services = {str(s) for s in ServiceName} | {str(producer) for producer, _ in EVENTS.values()}
    return [*(f"{s}.events" for s in sorted(services)), PARTNER_EXCHANGE, PARTNER_REPLY_EXCHANGE]


@dataclass(frozen=True)
class CheckedMessage:
    exchange: str
    routing_key: str
    violations: tuple[str, ...]


@dataclass
class BusObserver:
    amqp_uri: str
    exchanges: list[str] = field(default_factory=observed_exchanges)
    checked: list[CheckedMessage] = field(default_factory=list)
    expected_violations: int = 0

    def __post_init__(self) -> None:
        self.connection = Connection(self.amqp_uri)
        self.channel = self.connection.channel()
        tag = uuid.uuid4().hex[:8]
        self.queues: dict[str, Queue] = {}
        for name in self.exchanges:
            queue = Queue(
                f"observer-{tag}-{name}",
                exchange=Exchange(name, type="topic", durable=True),
                routing_key="#",
                exclusive=True,
                auto_delete=False,
            )
            bound = queue(self.channel)
            bound.declare()
            self.queues[name] = bound

    def expect_violations(self, count: int) -> None:
        """This test publishes ``count`` invalid messages on purpose."""
        self.expected_violations = count

    def collect(self) -> list[CheckedMessage]:
        """Check every message that arrived since the last call."""
        new: list[CheckedMessage] = []
        for exchange, queue in self.queues.items():
            while (message := queue.get(no_ack=True, accept=["json", "application/json"])) is not None:
                new.append(self._check(exchange, message))
        self.checked.extend(new)
        return new

    @staticmethod
    def _check(exchange: str, message: Any) -> CheckedMessage:
        properties = message.properties or {}
        violations = check_message(
            exchange,
            message.delivery_info.get("routing_key", ""),
            message.body,
            message.headers or {},
            content_type=message.content_type,
            delivery_mode=properties.get("delivery_mode"),
        )
        return CheckedMessage(exchange, message.delivery_info.get("routing_key", ""), tuple(violations))

    @property
    def violations(self) -> list[CheckedMessage]:
        return [m for m in self.checked if m.violations]

    def report(self) -> str:
        lines = [f"{m.exchange} {m.routing_key}: " + "; ".join(m.violations) for m in self.violations]
        return "\n".join(lines)

    def close(self) -> None:
        self.connection.release()
