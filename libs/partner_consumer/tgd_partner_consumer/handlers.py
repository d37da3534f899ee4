"""What to do with a received message: pluggable. The default writes one JSON object
per line (to a file or stdout); a real system hands the dispatch to its dispatch
desk (CIC / CORG software) instead."""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import IO, Protocol

from tgd_partner_consumer.consumer import Received


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
    """

    def __init__(self, path: str | Path | None = None):
        self._lock = threading.Lock()
        self._seen: set[tuple[str, str]] = set(_ids_in(Path(path))) if path else set()
        self._stream: IO[str] = open(path, "a", encoding="utf-8") if path else sys.stdout

    def __call__(self, message: Received) -> None:
        key = (message.envelope.source, message.envelope.id)
        line = json.dumps(
            {
                "received_at": time.time(),
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


def _ids_in(path: Path) -> list[tuple[str, str]]:
    """(source, id) of every event already written to a JSON-lines file; a torn last
    line (a crash mid-write) is ignored: that message was not acknowledged, it comes back."""
    if not path.exists():
        return []
    found = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            event = json.loads(line)["event"]
            found.append((str(event["source"]), str(event["id"])))
        except (ValueError, KeyError, TypeError):
            continue
    return found
