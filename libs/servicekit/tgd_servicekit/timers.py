"""Time in a service: the clock it reads, timers whose interval is a setting read when
the service starts (never at import: the configuration is not known then), the pass over
the aggregates whose deadline has passed, and the one outbox-relay timer every service runs."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, Protocol, TypeVar

from nameko import config
from nameko.extensions import DependencyProvider
from nameko.timer import Timer

from tgd_servicekit.outbox import OutboxStore, PublishMany, relay

log = logging.getLogger(__name__)
Result = TypeVar("Result")


class Clock(DependencyProvider):
    """Injects ``now()`` (UTC); tests replace it to move time."""

    def get_dependency(self, worker_ctx: Any):
        return lambda: datetime.now(UTC)


class ConfiguredTimer(Timer):
    """A nameko timer firing every ``setting`` seconds (``default`` when it is not set),
    read from the configuration in :meth:`setup`."""

    def __init__(self, setting: str, default: float, eager: bool = False, **kwargs: Any):
        self.setting = setting
        self.default = default
        super().__init__(interval=float(default), eager=eager, **kwargs)

    def setup(self) -> None:
        self.interval = float(config.get(self.setting, self.default))


every = ConfiguredTimer.decorator


class DueStore(Protocol):
    def due(self, now: datetime) -> Sequence[str]:
        """The keys whose deadline has passed, claimed by this instance."""
        ...

    def release_due(self, key: str, now: datetime) -> None: ...


@dataclass(frozen=True)
class DuePass(Generic[Result]):
    due: int  #: how many deadlines had passed
    handled: list[Result]  #: what was made of those that did not change meanwhile


def each_due(
    store: DueStore,
    now: datetime,
    change: Callable[[str, Callable[[Any], Any]], Result],
    tick: Callable[[Any], Any],
    busy: type[Exception],
) -> DuePass[Result]:
    """``change(key, tick)`` (the service's aggregate algorithm and its deadline rule) for
    every aggregate whose deadline has passed, one after the other: one that changed
    meanwhile (``busy``) is left to the next pass; its claim on the deadline is released
    either way (unless the save cleared it)."""
    keys = store.due(now)
    handled = []
    for key in keys:
        try:
            handled.append(change(key, tick))
        except busy:
            log.info("%s changed during the deadline check; next pass", key)
        finally:
            store.release_due(key, now)
    return DuePass(due=len(keys), handled=handled)


class OutboxRelay:
    """Mixin: publishes what an interrupted or failed publication left in the service's
    outboxes, every ``OUTBOX_RELAY_INTERVAL`` seconds (5 by default). The service says
    which outboxes it has and how each is published (:meth:`outboxes`)."""

    def outboxes(self) -> Iterable[tuple[OutboxStore, PublishMany]]:
        raise NotImplementedError

    @every("OUTBOX_RELAY_INTERVAL", 5)
    def relay_outbox(self) -> None:
        for store, publish_many in self.outboxes():
            report = relay(store, publish_many=publish_many)  # pipelined confirms
            if report.failed:
                log.warning("outbox relay: %d published, %d failed", report.published, report.failed)
