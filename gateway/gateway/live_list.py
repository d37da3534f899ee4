"""The messages of one open-alerts stream (``GET /v1/alerts/stream``, Server-Sent Events).

- An alert raised or closed (:mod:`gateway.alert_events`) is sent at once, applied to the
  list last sent (:mod:`gateway.list_changes`), even while a read of the list is in flight.
- The list is read from the alert service as soon as it may have changed (such an event,
  an operator's decision) and, as a fallback, every ``interval`` seconds. At most one read
  is in flight per stream: whatever wakes the stream during a read makes one more read
  after it. A read's result is sent with the changes that came while it was in flight
  applied over it (the read may have started before them: no line disappears and comes
  back); the next read confirms them.
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
    sent = Sent(max_events)
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
            await woken_or_after(listener.flag, interval)
            if (message := sent.ahead(listener.take_changes())) is not None:
                yield message


def with_changes(result: Any, changes: list[ListChange]) -> Any:
    if not changes or not isinstance(result, dict) or not isinstance(result.get("items"), list):
        return result
    return {**result, "items": applied(result["items"], changes)}


async def first_of(read: asyncio.Future[Any], arrived: asyncio.Event) -> None:
    """Wait until the read is done or an event's change arrives."""
    if arrived.is_set():
        return
    waiting = asyncio.ensure_future(arrived.wait())
    try:
        await asyncio.wait([read, waiting], return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiting.cancel()


async def woken_or_after(woken: asyncio.Event, interval: float) -> None:
    """Return when the stream is woken, or after ``interval`` seconds (the fallback re-read)."""
    try:
        async with asyncio.timeout(interval):
            await woken.wait()
    except TimeoutError:
        pass
