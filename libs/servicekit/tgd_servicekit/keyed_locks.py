"""One lock per key (an aggregate's id), kept only while someone holds or waits for it.

The workers of one service process that change the same aggregate at the same moment
(three partners acknowledging one dispatch within a millisecond) would each read it,
and all but one would lose the version guard and start again: every lost race is a
wasted read, rule, seal and write. Taking the aggregate's lock first makes them wait
their turn in the process instead; the version guard still settles races between
processes (several instances of a service), so this is a saving, never the guarantee.
Under eventlet's monkey patching the locks are green: a waiting worker yields. They are
re-entrant: a worker that changes the same aggregate again from inside its change does
not wait for itself.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from typing import Any


class KeyedLocks:
    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[Hashable, tuple[Any, list[int]]] = {}  # key -> (its RLock, how many use it)

    @contextmanager
    def hold(self, key: Hashable) -> Iterator[None]:
        """Hold ``key``'s lock for the block (waiting for whoever holds it now)."""
        with self._guard:
            lock, users = self._locks.setdefault(key, (threading.RLock(), [0]))
            users[0] += 1
        try:
            with lock:
                yield
        finally:
            with self._guard:
                users[0] -= 1
                if users[0] == 0:
                    del self._locks[key]

    def __len__(self) -> int:
        """How many keys are held or waited for (none once everyone is done)."""
        with self._guard:
            return len(self._locks)
