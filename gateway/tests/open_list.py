"""A stand-in for the alert service's open list and helpers to read an open-alerts stream
in tests (gateway.routes.alert_stream)."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from gateway.alert_events import AlertEventSubscription, StreamWakeups
from gateway.live_list import open_alert_events
from tgd_contracts.alert import AlertRaised
from tgd_contracts.alert_views import OpenAlertSummary
from tgd_contracts.envelope import build_envelope

ALERT_ID = "0123456789abcdef0123456789abcdef"
NEVER = 3600.0  # a fallback interval no test waits for: only a wake-up can make a second read
RAISED_AT = datetime(2026, 6, 1, 22, 0, 0, 123456, tzinfo=UTC)
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

    def raise_alert(self, alert_id=ALERT_ID, raised_at=RAISED_AT):
        """Stored, as the alert service lists it; returns its ``alert_raised`` envelope (JSON)."""
        event = AlertRaised(
            alert_id=alert_id, device_id="dev-0001", attribution_id="att-0001", raised_at=raised_at,
            flags=["first_alert"], jurisdiction="tj-moulins",
        )  # fmt: skip
        line = OpenAlertSummary(
            alert_id=alert_id, state="raised", device_id="dev-0001", jurisdiction="tj-moulins",
            flags=["first_alert"], raised_at=raised_at, presses=1, acknowledged=False,
        )  # fmt: skip
        self.items = [*self.items, line.to_wire()]
        return build_envelope(source_service="alert", event_name="alert_raised", subject=alert_id, data=event)

    def close_alert(self, alert_id=ALERT_ID):
        self.items = [line for line in self.items if line["alert_id"] != alert_id]

    async def call(self, service, method, **kwargs):
        assert method == "list_open_alerts"
        self.reads += 1
        items = list(self.items)  # what the store holds when the read starts
        self.reading.set()
        await self.release.wait()
        return {"items": items}


async def next_message(stream):
    return await anext(stream)


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


@asynccontextmanager
async def subscribed_stream(amqp_uri, interval, wait_subscribed=True):
    """(the open list, the subscription, an open stream), the subscription started (and, with
    ``wait_subscribed``, open: it wakes the streams once it is)."""
    service, wakeups = OpenList(), StreamWakeups()
    subscription = AlertEventSubscription(amqp_uri, wakeups)
    await subscription.start()
    try:
        while wait_subscribed and not (subscription.subscribed and wakeups.wakes):
            await asyncio.sleep(0.05)
        stream = open_alert_events(service, interval, wakeups=wakeups)
        yield service, subscription, stream
        await stream.aclose()
    finally:
        await subscription.stop()
