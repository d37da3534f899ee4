"""What to do with a received message: pluggable. The default writes one JSON object
per line (to a file or stdout); a real system hands the dispatch to its dispatch
desk (CIC / CORG software) instead."""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Protocol

from tgd_partner_consumer import retention, store
from tgd_partner_consumer.parsing import Received


class Handler(Protocol):
    def __call__(self, message: Received) -> None:
        """Handle one validated message. Raise to have it redelivered; return normally
        and the platform is acknowledged (when the consumer acknowledges)."""


class JsonLinesHandler:
    """Append ``{"received_at", "routing_key", "event"}`` per message, flushed at once.

    Idempotent on the CloudEvent ``source`` + ``id``: a message redelivered (the broker
    delivers at least once: a crash after the line was written but before the broker
    had the acknowledgement, a broker restart) is not written twice. The file itself is
    the inbox: the ids already in it are read back at start, so a restarted consumer
    does not act twice either. The write of the line and of its dedup record is one
    append, so there is no window between the effect and the record.

    Retention (:mod:`tgd_partner_consumer.retention`): :meth:`purge` rewrites the file
    without the positions older than 72 h after their alert and the dossiers of ended
    measures; it runs when an end-of-measure notice is written and periodically (the
    CLI's ``--purge-every``). ``clock`` gives "now" (tests travel in time with it).
    """

    def __init__(self, path: str | Path | None = None, *, clock: Callable[[], datetime] | None = None):
        self._lock = threading.Lock()
        self._path = Path(path) if path else None
        self._clock = clock or (lambda: datetime.now(UTC))
        self._seen: set[tuple[str, str]] = set()
        if self._path:
            self._seen = {key for key in map(store.record_id, store.read_records(self._path)) if key}
        self._stream: IO[str] = open(self._path, "a", encoding="utf-8") if self._path else sys.stdout

    def __call__(self, message: Received) -> None:
        key = (message.envelope.source, message.envelope.id)
        line = json.dumps(
            {
                "received_at": self._clock().timestamp(),
                "routing_key": message.routing_key,
                "event": message.envelope.model_dump(mode="json"),
            },
            ensure_ascii=False,
        )
        with self._lock:
            if key in self._seen:
                return  # already handled: a redelivery, not a second dispatch
            self._stream.write(line + "\n")
            self._stream.flush()
            if self._stream is not sys.stdout:
                os.fsync(self._stream.fileno())
            self._seen.add(key)
        if getattr(message.data, "purpose", None) in retention.END_PURPOSES:
            self.purge()  # the dossier goes when the measure ends, not at the next periodic pass

    def purge(self, now: datetime | None = None) -> retention.Purged:
        """Apply the retention rules to the file, rewriting it atomically (stdout: nothing)."""
        if self._path is None:
            return retention.Purged()
        with self._lock:
            records, purged = retention.purge(store.read_records(self._path), now or self._clock())
            if purged:
                self._stream.close()
                try:
                    store.rewrite(self._path, records)
                finally:
                    self._stream = open(self._path, "a", encoding="utf-8")
        return purged

    def close(self) -> None:
        if self._stream is not sys.stdout:
            self._stream.close()
