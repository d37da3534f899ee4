"""The messages of one open-alerts stream (``GET /v1/alerts/stream``, Server-Sent Events).

- An alert raised or closed (:mod:`gateway.alert_events`) is sent at once, applied to the
  list last sent (:mod:`gateway.list_changes`: the line is the one the alert service
  lists), even while a read of the list is in flight; it needs no read of its own.
- The list is read from the alert service when it may have changed otherwise (an
  operator's decision through this gateway, the subscription (re)opened, an event the
  gateway cannot apply) and, as the fallback, every ``interval`` seconds, whatever events
  come meanwhile. At most one read is in flight per stream: whatever asks for a read
  during one makes one more read after it. A read's result is sent with the changes that
  came while it was in flight applied over it (the read may have started before them: no
  line disappears and comes back).
- An ``open-alerts`` event whenever the list differs from the one last sent, else a
  comment as keep-alive; ``unavailable`` when the alert service cannot answer.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from gateway.alert_events import StreamWakeups
from gateway.deps import ServiceCaller
from gateway.list_changes import ListChange, applied
from tgd_contracts.errors import TgdError
from tgd_contracts.events import ServiceName

KEEP_ALIVE = ": keep-alive\n\n"


class Sent:
    """What the stream sent: the last list, and how many events (``max_events`` bounds them)."""

    def __init__(self, max_events: int | None):
        self.last: str | None = None
        self.count = 0
        self.max_events = max_events

    @property
    def done(self) -> bool:
        return self.max_events is not None and self.count >= self.max_events

    def listed(self, listed: str) -> str | None:
        """The ``open-alerts`` event of ``listed`` when it differs from the last one sent."""
        if listed == self.last or self.done:
            return None
        self.last, self.count = listed, self.count + 1
        return f"event: open-alerts\ndata: {listed}\n\n"

    def unavailable(self, exc: TgdError) -> str:
        self.count += 1
        return f"event: unavailable\ndata: {json.dumps({'error': exc.code.value})}\n\n"

    def ahead(self, changes: list[ListChange]) -> str | None:
        """The last list sent with the events' changes, when they change it."""
        listed = json.loads(self.last) if self.last is not None and changes else None
        if not isinstance(listed, dict) or not isinstance(listed.get("items"), list):
            return None
        return self.listed(json.dumps({**listed, "items": applied(listed["items"], changes)}, sort_keys=True))


async def open_alert_events(
    rpc: ServiceCaller,
    interval: float,
    max_events: int | None = None,
    is_disconnected: Callable[[], Awaitable[bool]] | None = None,
    wakeups: StreamWakeups | None = None,
) -> AsyncIterator[str]:
    sent, loop = Sent(max_events), asyncio.get_running_loop()
    with (wakeups or StreamWakeups()).listening() as listener:
        while not sent.done:
            if is_disconnected is not None and await is_disconnected():
                return
            listener.flag.clear()  # what woke the stream until now is in the read below
            read = asyncio.ensure_future(rpc.call(ServiceName.ALERT, "list_open_alerts"))
            came: list[ListChange] = []  # the events' changes during the read
            try:
                while not read.done():
                    await first_of(read, listener.arrived)
                    changes = listener.take_changes()
                    came += changes
                    if (message := sent.ahead(changes)) is not None:
                        yield message
            finally:
                read.cancel()  # when the stream is closed meanwhile
            try:
                result = read.result()
            except TgdError as exc:
                yield sent.unavailable(exc)
            else:
                yield sent.listed(json.dumps(with_changes(result, came), sort_keys=True)) or KEEP_ALIVE
            if sent.done:
                return
            next_read = loop.time() + interval  # the fallback, whatever events come meanwhile
            while not listener.flag.is_set() and (left := next_read - loop.time()) > 0:
                await first_of(listener.flag, listener.arrived, timeout=left)
                if (message := sent.ahead(listener.take_changes())) is not None:
                    yield message
                if sent.done:
                    return


def with_changes(result: Any, changes: list[ListChange]) -> Any:
    if not changes or not isinstance(result, dict) or not isinstance(result.get("items"), list):
        return result
    return {**result, "items": applied(result["items"], changes)}


async def first_of(*waits: asyncio.Future[Any] | asyncio.Event, timeout: float | None = None) -> None:
    """Wait until one of ``waits`` is done (a future) or set (an event), at most ``timeout`` seconds."""
    if any(isinstance(w, asyncio.Event) and w.is_set() for w in waits):
        return
    flags = [asyncio.ensure_future(w.wait()) for w in waits if isinstance(w, asyncio.Event)]
    futures = [w for w in waits if not isinstance(w, asyncio.Event)]
    try:
        await asyncio.wait([*futures, *flags], timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for flag in flags:
            flag.cancel()
