"""Slots for long-lived responses (server-sent-event streams): at most ``per_client``
open at once for one client and ``total`` for the whole process, so that one client
(or a crowd) cannot hold every connection and worker of the gateway."""

from __future__ import annotations

import threading
from collections import Counter


class StreamSlots:
    def __init__(self, per_client: int, total: int):
        self.per_client = per_client
        self.total = total
        self._open: Counter[str] = Counter()
        self._lock = threading.Lock()

    def acquire(self, client_id: str) -> bool:
        with self._lock:
            if self._open[client_id] >= self.per_client or sum(self._open.values()) >= self.total:
                return False
            self._open[client_id] += 1
            return True

    def release(self, client_id: str) -> None:
        with self._lock:
            self._open[client_id] -= 1
            if self._open[client_id] <= 0:
                del self._open[client_id]

    def open_count(self, client_id: str | None = None) -> int:
        with self._lock:
            return self._open[client_id] if client_id is not None else sum(self._open.values())
