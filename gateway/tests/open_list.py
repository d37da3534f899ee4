"""A stand-in for the alert service's open list and helpers to read an open-alerts stream
in tests (gateway.routes.alert_stream)."""

from __future__ import annotations

import asyncio

ALERT_ID = "0123456789abcdef0123456789abcdef"
NEVER = 3600.0  # a fallback interval no test waits for: only a wake-up can make a second read
GUARD_S = 30  # fails a test that hangs; never a measure


class OpenList:
    """The alert service's open list; ``raise_alert`` adds one; reads can be held open."""

    def __init__(self):
        self.items: list[dict] = []
        self.reads = 0
        self.release = asyncio.Event()
        self.release.set()
        self.reading = asyncio.Event()
        self.connected = True

    def raise_alert(self, alert_id=ALERT_ID):
        self.items = [*self.items, {"alert_id": alert_id}]

    async def call(self, service, method, **kwargs):
        assert method == "list_open_alerts"
        self.reads += 1
        items = list(self.items)  # what the store holds when the read starts
        self.reading.set()
        await self.release.wait()
        return {"items": items}


async def next_event(stream):
    async for message in stream:
        if message.startswith("event:"):
            return message
    raise AssertionError("the stream ended")


def run(scenario):
    async def guarded():
        async with asyncio.timeout(GUARD_S):
            return await scenario()

    return asyncio.run(guarded())
