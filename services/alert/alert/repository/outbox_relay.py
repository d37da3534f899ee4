"""The relay of the alert service's outbox: what an interrupted or failed publication
left, published by whichever instance claims it (:mod:`tgd_servicekit.outbox`), never an
entry another worker or instance is publishing. Entries for ``alert.events`` go with
pipelined confirms; partner messages (sealed per addressee) one by one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from alert.repository.store import AlertRepository
from tgd_contracts.envelope import Envelope
from tgd_servicekit.outbox import PublishMany, partitioned


class RoutedStore:
    """The repository as the relay's store, remembering each entry's routing key."""

    def __init__(self, repo: AlertRepository):
        self.repo = repo
        self.routes: dict[str, str | None] = {}

    def pending_events(self, limit: int, now: datetime | None = None) -> Any:
        for owner, raw in self.repo.pending_events(limit, now):
            self.routes[raw["event_id"]] = raw.get("routing_key")
            yield owner, raw

    def __getattr__(self, name: str) -> Any:  # claim, release, mark_published, mark_attempt_failed
        return getattr(self.repo, name)


def alert_outbox(
    repo: AlertRepository, publish_events: PublishMany, send: Callable[[Envelope, str | None], None]
) -> tuple[RoutedStore, PublishMany]:
    """The alert outbox and how the relay publishes it (:class:`tgd_servicekit.timers.OutboxRelay`):
    ``send(envelope, routing_key)`` publishes one message (a partner's when it has a routing key)."""
    store = RoutedStore(repo)

    def send_one(envelope: Envelope) -> None:
        send(envelope, store.routes.get(envelope.id))

    def for_events(envelope: Envelope) -> bool:
        return store.routes.get(envelope.id) is None

    return store, partitioned(for_events, publish_events, send_one)
