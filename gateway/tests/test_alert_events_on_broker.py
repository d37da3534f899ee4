"""The alert events' subscription on the real broker: an ``alert_raised`` published as the
alert service publishes it reaches an open stream whose fallback interval is never
reached, with the line the alert service then lists; a dropped connection is subscribed
again and wakes the streams (what was missed meanwhile is read)."""

import asyncio
import json
import subprocess

import pytest

from gateway.alert_events import ALERT_EVENTS_EXCHANGE
from tgd_servicekit.testing.bus import publish_envelope

from .open_list import ALERT_ID, NEVER, next_event, run, subscribed_stream

pytestmark = pytest.mark.integration


def test_an_alert_raised_on_the_bus_reaches_an_open_stream_before_its_interval(vhost_uri):
    async def scenario():
        async with subscribed_stream(vhost_uri, NEVER) as (service, subscription, stream):
            first = await next_event(stream)
            envelope = service.raise_alert()  # stored, then published (the outbox)
            body = envelope.model_dump_json()
            await asyncio.to_thread(publish_envelope, vhost_uri, ALERT_EVENTS_EXCHANGE, "alert_raised", body)
            second = await next_event(stream)
            return first, second, service.reads, {"items": service.items}, subscription.received

    first, second, reads, stored, received = run(scenario)
    assert ALERT_ID not in first
    assert json.loads(second.split("data: ", 1)[1]) == stored  # the line the alert service lists
    assert reads == 1  # the message alone: no read (the fallback is an hour away)
    assert received == 1


@pytest.mark.no_bus_observer("it closes every connection of its vhost, the observer's too")
def test_a_dropped_subscription_is_opened_again_and_wakes_the_streams(vhost_uri):
    vhost = vhost_uri.rsplit("/", 1)[1]

    async def scenario():
        async with subscribed_stream(vhost_uri, NEVER) as (service, subscription, stream):
            await next_event(stream)
            service.raise_alert()  # raised while the subscription is down: its event is missed
            closed = await asyncio.to_thread(
                subprocess.run, ["rabbitmqctl", "close_all_connections", "-p", vhost, "test"], capture_output=True
            )
            assert closed.returncode == 0, closed.stderr
            second = await next_event(stream)  # the new subscription woke it
            return second, subscription.disconnections, subscription.subscribed

    second, disconnections, resubscribed = run(scenario)
    assert ALERT_ID in second
    assert disconnections >= 1
    assert resubscribed
