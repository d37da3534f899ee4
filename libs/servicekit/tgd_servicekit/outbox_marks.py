"""Marking published, batched across changes: the event ids the broker confirmed are
queued, and one green thread per process writes them every ``interval_s`` or as soon as
``batch`` are waiting, in one store command (:meth:`tgd_servicekit.outbox.DocumentOutboxStore.mark_published_batch`)
instead of one write per change.

Why it is safe. A confirmed entry not yet marked is still ``published: False``, but its
writer's lease (:data:`tgd_servicekit.outbox.LEASE`, 10 s) keeps the relay away from it;
the flush interval (0.2 s by default) is far below the lease, so the mark normally lands
long before anyone may claim the entry. A mark that never lands (a flush failing past the
lease, a process killed with marks queued) costs a duplicate, never a loss: the relay
republishes the entry once its lease has expired and consumers deduplicate on the envelope
id. A failed flush keeps its ids for the next tick (logged), a clean stop flushes what is
queued; only ``kill`` (or more than ``limit`` ids queued during a long store outage) leaves
marks to the relay, and says so in the log.

:class:`PendingMarks` is the pure part (no I/O, no clock); :class:`MarkFlusher` runs it
in an eventlet green thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

log = logging.getLogger("tgd_servicekit.outbox")

#: one mark: the document that holds the entry, and the entry's event id
Mark = tuple[Any, str]
#: writes marks published, as one store command where it can
WriteMarks = Callable[[Sequence[Mark]], None]
INTERVAL_S = 0.2
BATCH = 200
LIMIT = 10_000


class PendingMarks:
    """Marks waiting to be written, in arrival order, each event id once."""

    def __init__(self, batch: int = BATCH, limit: int = LIMIT):
        self.batch = batch
        self.limit = limit
        self._owners: dict[str, Any] = {}  # event id -> owner (insertion-ordered)
        self.dropped = 0  # ids let go beyond ``limit`` (left to the relay)

    def __len__(self) -> int:
        return len(self._owners)

    def add(self, owner_id: Any, event_ids: Iterable[str]) -> bool:
        """Queue the marks; True when a batch is full (time to flush without waiting)."""
        for event_id in event_ids:
            self._owners[event_id] = owner_id
        self._keep_within_limit()
        return len(self._owners) >= self.batch

    def take(self) -> list[Mark]:
        """Up to ``batch`` marks, the oldest first, no longer pending."""
        taken = list(self._owners.items())[: self.batch]
        for event_id, _ in taken:
            del self._owners[event_id]
        return [(owner, event_id) for event_id, owner in taken]

    def put_back(self, marks: Sequence[Mark]) -> None:
        """Marks whose write failed: pending again, before those queued meanwhile."""
        newer = self._owners
        self._owners = {event_id: owner for owner, event_id in marks}
        self._owners.update(newer)
        self._keep_within_limit()

    def _keep_within_limit(self) -> None:
        while len(self._owners) > self.limit:
            del self._owners[next(iter(self._owners))]
            self.dropped += 1


def mark_in_one_command(collection: Any, owner_filter: Callable[[Any], dict[str, Any]], marks: Sequence[Mark]) -> None:
    """Mark the entries published, in whichever documents they are, with one ``update``
    command (``arrayFilters``): the documents found by their owner id (an index), in each
    only the entries named. Raises NotImplementedError where the database has no
    ``arrayFilters`` (mongomock)."""
    if not marks:
        return
    owners = list(dict.fromkeys(owner for owner, _ in marks))
    ids = {"$in": [event_id for _, event_id in marks]}
    collection.update_many(
        {**owner_filter({"$in": owners}), "outbox.event_id": ids},
        {"$set": {"outbox.$[sent].published": True}},
        array_filters=[{"sent.event_id": ids}],
    )


def flush(pending: PendingMarks, write: WriteMarks) -> int:
    """Write every pending mark, ``batch`` at a time; a failed write puts its batch back
    (logged: the next flush retries it) and stops there. Returns how many were written."""
    written = 0
    while len(pending):
        marks = pending.take()
        try:
            write(marks)
        except Exception as exc:  # the store is unreachable or refused: retried at the next flush
            pending.put_back(marks)
            log.warning("outbox: %d marks not written (%s); retried at the next flush", len(marks), type(exc).__name__)
            return written
        written += len(marks)
    return written


class MarkFlusher:
    """Queues marks (:meth:`add`) and writes them from a green thread of its own: every
    ``interval_s``, or at once when ``batch`` are queued. ``start``/``stop``/``kill`` follow
    the owning dependency's lifecycle; ``stop`` writes what is still queued."""

    def __init__(self, write: WriteMarks, interval_s: float = INTERVAL_S, batch: int = BATCH, limit: int = LIMIT):
        import eventlet.queue

        self.write = write
        self.interval_s = interval_s
        self.pending = PendingMarks(batch, limit)
        self._wake: Any = eventlet.queue.LightQueue()
        self._thread: Any = None
        self._running = False
        self._dropped_reported = 0

    def add(self, owner_id: Any, event_ids: Sequence[str]) -> None:
        if self.pending.add(owner_id, event_ids) and self._wake.empty():
            self._wake.put(None)

    def flush(self) -> int:
        if (dropped := self.pending.dropped - self._dropped_reported) > 0:
            log.warning("outbox: %d marks let go (queue full); the relay republishes them", dropped)
            self._dropped_reported = self.pending.dropped
        return flush(self.pending, self.write)

    def start(self) -> None:
        import eventlet

        self._running = True
        self._thread = eventlet.spawn(self._run)

    def _run(self) -> None:
        import eventlet
        import eventlet.queue

        while self._running:
            try:
                self._wake.get(timeout=self.interval_s)
            except eventlet.queue.Empty:
                pass
            self.flush()
            if len(self.pending) >= self.pending.batch:  # the write failed: not again before the next tick
                eventlet.sleep(self.interval_s)

    def stop(self) -> None:
        """Stop the thread (after the write it may be doing), then write what is queued."""
        self._running = False
        if self._thread is not None:
            self._wake.put(None)
            self._thread.wait()
            self._thread = None
        self.flush()
        if len(self.pending):
            log.warning("outbox: %d marks not written at stop; the relay republishes them", len(self.pending))

    def kill(self) -> None:
        """Stop at once, writing nothing: what is queued is left to the relay (harmless)."""
        self._running = False
        if self._thread is not None:
            self._thread.kill()
            self._thread = None
        if len(self.pending):
            log.warning("outbox: %d marks dropped by kill; the relay republishes them", len(self.pending))
