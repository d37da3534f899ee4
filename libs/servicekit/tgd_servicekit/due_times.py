"""When a deadline scan is worth running (pure): a timer that looks for due documents
every half second spends a query each time, though nothing is due almost always.

:class:`DueTimes` remembers the deadlines this process wrote (a min-heap) and says a
scan is due when the earliest of them has passed, or when the last scan is older than
``full_scan`` (deadlines written by another instance of the service, which handles them
itself while it lives: the periodic scan is for those an instance left behind when it
died, later by ``full_scan`` at most, like its expired claims). A deadline moved later
leaves its earlier time behind: one scan too many, never one too few. A clock that went
back (tests) makes the next scan run.
"""

from __future__ import annotations

import heapq
import threading
from datetime import datetime, timedelta


class DueTimes:
    def __init__(self, full_scan: timedelta):
        self.full_scan = full_scan
        self._times: list[datetime] = []
        self._last_scan: datetime | None = None
        self._lock = threading.Lock()

    def note(self, deadline: datetime | None) -> None:
        """A deadline this process has just written."""
        if deadline is not None:
            with self._lock:
                heapq.heappush(self._times, deadline)

    def scan_due(self, now: datetime) -> bool:
        """Whether a scan at ``now`` may find something."""
        with self._lock:
            last = self._last_scan
            if last is None or now < last or now - last >= self.full_scan:
                return True
            return bool(self._times) and self._times[0] <= now

    def scanned(self, now: datetime) -> None:
        """A scan ran at ``now``: the deadlines it covered are forgotten."""
        with self._lock:
            self._last_scan = now
            while self._times and self._times[0] <= now:
                heapq.heappop(self._times)
