"""What to do with a received message: pluggable. The default writes one JSON object
per line (to a file or stdout); a real system hands the dispatch to its dispatch
desk (CIC / CORG software) instead."""

from __future__ import annotations

import json
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
    """Append ``{"received_at", "routing_key", "event"}`` per message, flushed at once."""

    def __init__(self, path: str | Path | None = None):
        self._lock = threading.Lock()
        self._stream: IO[str] = open(path, "a", encoding="utf-8") if path else sys.stdout

    def __call__(self, message: Received) -> None:
        line = json.dumps(
            {
                "received_at": time.time(),
                "routing_key": message.routing_key,
                "event": message.envelope.model_dump(mode="json"),
            },
            ensure_ascii=False,
        )
        with self._lock:
            self._stream.write(line + "\n")
            self._stream.flush()
