"""Publishing what a writer has just stored in its outbox, under its own lease (see
:mod:`tgd_servicekit.outbox`): every message of one change at once, then one write
marking those the broker confirmed."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from tgd_contracts.envelope import Envelope

log = logging.getLogger("tgd_servicekit.outbox")


#: runs ``fn`` on each item, possibly at the same time, and gives the results in order
Parallel = Callable[[Callable[[Any], Any], Sequence[Any]], Iterable[Any]]


def in_green_threads(fn: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    """A :data:`Parallel` for eventlet services: one green thread per item."""
    import eventlet

    threads = [eventlet.spawn(fn, item) for item in items]
    return [thread.wait() for thread in threads]


def mark_all_published(store: Any, owner_id: Any, event_ids: Sequence[str]) -> None:
    """One write when the store can (``mark_published_many``), else one per entry."""
    if not event_ids:
        return
    many = getattr(store, "mark_published_many", None)
    if many is not None:
        many(owner_id, list(event_ids))
        return
    for event_id in event_ids:
        store.mark_published(owner_id, event_id)


def publish_stored(
    store: Any,
    owner_id: Any,
    envelopes: Iterable[Envelope],
    publish: Callable[[Envelope], None],
    parallel: Parallel | None = None,
) -> int:
    """Publish what this instance has just stored under its own lease (:func:`outbox_entry`)
    (all at once with ``parallel``, e.g. :func:`in_green_threads`: the addressees get them
    together), then mark those the broker confirmed published, in one write when the store
    can; one that fails gives its lease back, so the relay retries it at its next pass.
    Returns how many were published."""
    envelopes = list(envelopes)

    def attempt(envelope: Envelope) -> BaseException | None:
        try:
            publish(envelope)
        except Exception as exc:  # unroutable or broker down: the relay retries
            return exc
        return None

    results = list((parallel or map)(attempt, envelopes))
    for envelope, error in zip(envelopes, results, strict=True):
        if error is not None:
            log.warning("%s %s left in the outbox (%s)", envelope.event_name, envelope.id, type(error).__name__)
            store.release(owner_id, envelope.id)
    sent = [envelope.id for envelope, error in zip(envelopes, results, strict=True) if error is None]
    mark_all_published(store, owner_id, sent)
    return len(sent)


def started(spawn: Callable[..., Any]) -> Callable[..., None]:
    """``spawn`` (eventlet's), then two turns of the hub before the caller goes on: the new
    green thread runs at once, and so do the publishers it starts (:func:`in_green_threads`),
    each up to its first wait (the broker's confirm). The messages are on the wire before
    the caller answers its own request, and the caller still never waits for their confirms."""
    import eventlet

    def spawn_started(fn: Callable[..., Any], *args: Any) -> None:
        spawn(fn, *args)
        eventlet.sleep(0)  # the publishing thread starts its publishers (FIFO: they run after us)
        eventlet.sleep(0)  # each publisher sends, then waits for its confirm

    return spawn_started
