"""The open-alerts stream pushed (gateway.alert_events, gateway.routes.alert_stream):
woken streams re-read the list at once, coalesced; without any wake-up (no subscription)
the periodic re-read still shows a new alert; operator commands wake the process's
streams. No broker here (tests/test_alert_events_on_broker.py has it)."""

import asyncio
import json
from datetime import timedelta

from fastapi.testclient import TestClient

from gateway.alert_events import LIST_EVENTS, StreamWakeups
from gateway.list_changes import ListChange, applied, change_of
from gateway.live_list import open_alert_events
from gateway.main import create_app
from gateway.settings import Settings
from tgd_contracts.alert import AlertClosed
from tgd_contracts.envelope import build_envelope
from tgd_contracts.errors import ErrorCode, TgdError
from tgd_contracts.events import EventName
from tgd_contracts.registry import LIVE_VIEW_CONSUMERS
from tgd_testkit.tokens import auth_headers

from .fakes import FakeRpc
from .open_list import ALERT_ID, NEVER, RAISED_AT, OpenList, next_event, next_message, run, subscribed_stream


def test_a_raised_alert_reaches_a_woken_stream_without_the_interval():
    async def scenario():
        service, wakeups = OpenList(), StreamWakeups()
        stream = open_alert_events(service, NEVER, wakeups=wakeups)
        first = await next_event(stream)
        service.raise_alert()
        wakeups.wake_all()  # what the alert service's alert_raised does
        second = await next_event(stream)
        await stream.aclose()
        return first, second, service.reads, wakeups.listeners

    first, second, reads, listeners = run(scenario)
    assert ALERT_ID not in first
    assert second.startswith("event: open-alerts\n")
    assert ALERT_ID in second
    assert reads == 2  # the second read came from the wake-up, not from the 3600 s fallback
    assert listeners == 0  # a closed stream is no longer woken


async def second_read_held(next_one):
    """A stream (no fallback) after its first read, woken: its second read in flight, held;
    ``pending``: what ``next_one`` gets of the stream next."""
    service, wakeups = OpenList(), StreamWakeups()
    stream = open_alert_events(service, NEVER, wakeups=wakeups)
    await next_event(stream)  # read 1
    service.release.clear()
    service.reading.clear()
    wakeups.wake_all()
    pending = asyncio.ensure_future(next_one(stream))
    await service.reading.wait()  # read 2 in flight, started before what the test does next
    return service, wakeups, stream, pending


def test_wake_ups_during_a_read_make_exactly_one_more_read():
    async def scenario():
        service, wakeups, stream, pending = await second_read_held(next_event)
        service.raise_alert()
        for _ in range(5):  # five events while it is in flight
            wakeups.wake_all()
        service.release.set()
        last = await pending  # read 2 unchanged (a keep-alive), read 3 has the alert
        waiting = asyncio.ensure_future(next_event(stream))
        for _ in range(10):  # let the stream reach its wait: nothing may read again
            await asyncio.sleep(0)
        reads = service.reads
        waiting.cancel()
        await asyncio.gather(waiting, return_exceptions=True)
        await stream.aclose()
        return last, reads

    last, reads = run(scenario)
    assert ALERT_ID in last
    assert reads == 3  # one read for the five events that came during read 2


def test_without_any_wake_up_the_periodic_re_read_shows_a_new_alert():
    """The subscription down (no broker on port 1): the stream still re-reads every interval."""

    async def scenario():
        no_broker = "pyamqp://guest:guest@127.0.0.1:1/"
        async with subscribed_stream(no_broker, 0.05, wait_subscribed=False) as (service, subscription, stream):
            await next_event(stream)
            service.raise_alert()
            second = await next_event(stream)
            return second, subscription.subscribed, subscription.wakeups.wakes

    second, subscribed, wakes = run(scenario)
    assert ALERT_ID in second
    assert subscribed is False
    assert wakes == 0


def test_the_gateway_subscribes_to_what_the_contracts_say_it_consumes():
    assert set(LIST_EVENTS) == {e for e, consumers in LIVE_VIEW_CONSUMERS.items() if "gateway" in consumers}
    assert set(LIST_EVENTS) == {EventName.ALERT_RAISED, EventName.ALERT_CLOSED}


def test_an_operator_command_wakes_the_streams_of_the_process_and_a_read_or_a_refusal_does_not():
    view = {
        "alert_id": ALERT_ID, "state": "taken", "device_id": "dev-0001", "flags": [],
        "raised_at": "2026-06-01T22:00:00Z", "presses": ["2026-06-01T22:00:00Z"], "positions": [],
        "automatic": False, "deliveries": [], "journal": [],
    }  # fmt: skip
    refuse = {"now": False}

    def answer(service, method, **kwargs):
        if refuse["now"]:
            raise TgdError(code=ErrorCode.ALERT_STATE_CONFLICT)
        return view

    app = create_app(Settings(), rpc=FakeRpc(answer))
    client = TestClient(app, raise_server_exceptions=False, headers=auth_headers("teleassistance", "*"))
    wakeups = app.state.stream_wakeups
    assert client.get(f"/v1/alerts/{ALERT_ID}").status_code == 200
    assert wakeups.wakes == 0
    assert client.post(f"/v1/alerts/{ALERT_ID}/take", json={}).status_code == 200
    assert client.post(f"/v1/alerts/{ALERT_ID}/dispatch", json={}).status_code == 200
    assert wakeups.wakes == 2
    refuse["now"] = True
    assert client.post(f"/v1/alerts/{ALERT_ID}/take", json={}).status_code == 409
    assert wakeups.wakes == 2


def raised_change(service, alert_id=ALERT_ID, raised_at=RAISED_AT):
    envelope = service.raise_alert(alert_id, raised_at)
    return change_of("alert_raised", envelope.model_dump_json().encode())


def listed(message):
    return json.loads(message.split("data: ", 1)[1])


def test_an_event_is_sent_as_the_line_the_service_lists_without_a_read():
    async def scenario():
        service, wakeups = OpenList(), StreamWakeups()
        stream = open_alert_events(service, NEVER, wakeups=wakeups)
        await next_event(stream)
        wakeups.wake_all(raised_change(service))
        pushed, reads_then, stored = await next_event(stream), service.reads, {"items": service.items}
        service.close_alert()
        closed = AlertClosed(alert_id=ALERT_ID, raised_at=RAISED_AT, closed_at=RAISED_AT, automatic=False)
        body = build_envelope(source_service="alert", event_name="alert_closed", subject=ALERT_ID, data=closed)
        wakeups.wake_all(change_of("alert_closed", body.model_dump_json().encode()))
        removed, reads_at_close = await next_event(stream), service.reads
        await stream.aclose()
        return pushed, reads_then, stored, removed, reads_at_close

    pushed, reads_then, stored, removed, reads_at_close = run(scenario)
    assert listed(pushed) == stored  # what list_open_alerts gives, jurisdiction included
    assert listed(pushed)["items"][0]["jurisdiction"] == "tj-moulins"
    assert ALERT_ID not in removed
    assert reads_then == reads_at_close == 1  # the events alone: no read (the fallback is an hour away)


def test_events_do_not_postpone_the_periodic_re_read():
    async def scenario():
        service, wakeups = OpenList(), StreamWakeups()
        stream = open_alert_events(service, 0.05, wakeups=wakeups)
        reading = asyncio.ensure_future(drain(stream))
        n = 0
        while service.reads < 3:  # an event every 10 ms, five times the interval's rate
            n += 1
            wakeups.wake_all(raised_change(service, f"{n:032x}", RAISED_AT + timedelta(seconds=n)))
            await asyncio.sleep(0.01)
        reading.cancel()
        await asyncio.gather(reading, return_exceptions=True)
        await stream.aclose()
        return service.reads

    assert run(scenario) >= 3  # the fallback re-read ran although events never stopped


async def drain(stream):
    async for _ in stream:
        pass


def test_a_change_applies_once_in_the_service_order_and_garbage_changes_nothing():
    service = OpenList()
    first = raised_change(service, "a" * 32)
    later = raised_change(service, "b" * 32, RAISED_AT + timedelta(seconds=1))
    assert applied([], [later, first, later]) == [first.line, later.line] == service.items
    assert applied(service.items, [first]) == service.items
    assert applied(service.items, [ListChange("a" * 32)]) == [later.line]
    assert change_of("alert_raised", b"not json") is None
    assert change_of("alert_raised", b'{"data": {"alert_id": "x"}}') is None
    assert change_of("alert_test_call", b'{"data": {}}') is None


def test_an_event_during_a_read_is_sent_at_once_and_the_older_read_does_not_hide_it():
    async def scenario():
        service, wakeups, stream, pending = await second_read_held(next_message)
        wakeups.wake_all(raised_change(service))
        pushed = await pending
        still_reading = not service.release.is_set()
        service.release.set()
        after_read_2 = await next_message(stream)  # read 2 (without the alert) + the event's change
        reads = service.reads
        await stream.aclose()
        return pushed, still_reading, after_read_2, reads

    pushed, still_reading, after_read_2, reads = run(scenario)
    assert ALERT_ID in pushed
    assert still_reading  # sent while read 2 was in flight
    assert after_read_2 == ": keep-alive\n\n"  # the line did not leave the list
    assert reads == 2
