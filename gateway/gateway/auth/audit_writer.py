"""The access log's one writer in a gateway process: group commit off the event loop.

A request that must be recorded hands its entry to :meth:`AuditWriter.record` and awaits
it: the entry is on the log (and the head anchored) before the answer leaves, as before.
The file work (a lock shared with the other processes, the chain's head, one write, the
anchor) runs in a worker thread, never on the event loop, and one batch at a time: the
entries that arrive while a batch is being written wait and go together in the next one
(one lock, one head read, one write and one anchor for all of them). A failed write fails
every request of its batch, as a failed single write did.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from gateway.auth.audit import AuditLog

Waiter = tuple[dict[str, Any], asyncio.Future[dict[str, Any]]]


class AuditWriter:
    def __init__(self, log: AuditLog, max_batch: int = 512):
        self.log = log
        self.max_batch = max_batch
        self.batches = 0  # written so far (tests and benchmarks read it)
        self._waiting: list[Waiter] = []
        self._task: asyncio.Task[None] | None = None  # the writer, while there is something to write
        self._lock = threading.Lock()  # the waiting list, if two event loops share the app (tests)

    async def record(self, **fields: Any) -> dict[str, Any]:
        """The chain entry, once written."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[dict[str, Any]] = loop.create_future()
        with self._lock:
            self._waiting.append((fields, future))
            task = self._task
            if task is None or task.done() or task.get_loop().is_closed():
                self._task = loop.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while True:
            with self._lock:
                batch, self._waiting = self._waiting[: self.max_batch], self._waiting[self.max_batch :]
                if not batch:
                    self._task = None
                    return
            try:
                entries = await asyncio.to_thread(self.log.append, [fields for fields, _ in batch])
            except Exception as exc:
                for _, future in batch:
                    _settle(future, exc=exc)
                continue
            self.batches += 1
            for (_, future), entry in zip(batch, entries, strict=True):
                _settle(future, result=entry)


def _settle(future: asyncio.Future[Any], result: Any = None, exc: BaseException | None = None) -> None:
    def settle() -> None:
        if future.done():
            return  # its request was cancelled (the client went away): the entry is written all the same
        if exc is not None:
            future.set_exception(exc)
        else:
            future.set_result(result)

    loop = future.get_loop()
    if loop is asyncio.get_running_loop():
        settle()
    elif not loop.is_closed():
        loop.call_soon_threadsafe(settle)
