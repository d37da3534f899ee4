"""``GET /v1/alerts/stream``: the open alerts as Server-Sent Events, for an operator
screen. An alert raised or closed (:mod:`gateway.alert_events`) is sent at once, applied
to the list last sent (:mod:`gateway.list_changes`); the gateway then reads the list from
the alert service — as soon as it may have changed (such an event, an operator's
decision) and, as a fallback, every ``interval`` seconds — and sends an ``open-alerts``
event whenever the list changed (and a comment as keep-alive). At most one read is in
flight per stream: whatever wakes it during a read makes one more read after it.
Streams are capped per client and per process (``TGD_GATEWAY_STREAMS_PER_CLIENT`` /
``_TOTAL``): one more is refused with 429 ``too_many_streams``."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from gateway.alert_events import StreamWakeups
from gateway.deps import Rpc, ServiceCaller
from gateway.errors import error_responses
from gateway.list_changes import ListChange, applied
from tgd_contracts.errors import ErrorCode, TgdError
from tgd_contracts.events import ServiceName

router = APIRouter(prefix="/v1/alerts", tags=["alerts"])


async def open_alert_events(
    rpc: ServiceCaller,
    interval: float,
    max_events: int | None = None,
    is_disconnected=None,
    wakeups: StreamWakeups | None = None,
) -> AsyncIterator[str]:
    with (wakeups or StreamWakeups()).listening() as listener:
        last: str | None = None
        sent = 0
        while max_events is None or sent < max_events:
            if is_disconnected is not None and await is_disconnected():
                return
            listener.flag.clear()  # what woke the stream until now is in the read below
            listener.take_changes()
            try:
                current = json.dumps(await rpc.call(ServiceName.ALERT, "list_open_alerts"), sort_keys=True)
            except TgdError as exc:
                yield f"event: unavailable\ndata: {json.dumps({'error': exc.code.value})}\n\n"
                sent += 1
            else:
                if current != last:
                    last = current
                    yield open_alerts_event(current)
                    sent += 1
                else:
                    yield ": keep-alive\n\n"
            await woken_or_after(listener.flag, interval)
            ahead = with_changes(last, listener.take_changes())
            if ahead is not None and (max_events is None or sent < max_events):
                last = ahead  # the event's change, sent before the read confirms it
                yield open_alerts_event(ahead)
                sent += 1


def open_alerts_event(listed: str) -> str:
    return f"event: open-alerts\ndata: {listed}\n\n"


def with_changes(last: str | None, changes: list[ListChange]) -> str | None:
    """The list last sent with the events' changes, when they change it (else None)."""
    if last is None or not changes:
        return None
    items = json.loads(last).get("items")
    if not isinstance(items, list):
        return None
    ahead = json.dumps({"items": applied(items, changes)}, sort_keys=True)
    return ahead if ahead != last else None


async def woken_or_after(woken: asyncio.Event, interval: float) -> None:
    """Return when the stream is woken, or after ``interval`` seconds (the fallback re-read)."""
    try:
        async with asyncio.timeout(interval):
            await woken.wait()
    except TimeoutError:
        pass


@router.get(
    "/stream",
    summary="Live stream of open alerts (Server-Sent Events)",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "`open-alerts` events (OpenAlerts)."},
        **error_responses(ErrorCode.INVALID_REQUEST, ErrorCode.TOO_MANY_STREAMS),
    },
)
async def stream_open_alerts(
    request: Request,
    rpc: Rpc,
    interval: Annotated[float, Query(ge=0.2, le=10)] = 1.0,
    max_events: Annotated[
        int | None,
        Query(ge=1, le=10_000, description="Stop after this many events (a bounded client; default: never)."),
    ] = None,
) -> StreamingResponse:
    slots, client_id = request.app.state.streams, request.state.principal.client_id
    if not slots.acquire(client_id):
        raise TgdError(code=ErrorCode.TOO_MANY_STREAMS)

    return HeldStream(
        lambda: slots.release(client_id),  # however the response ends (done, disconnected, failed)
        open_alert_events(
            rpc,
            interval,
            max_events=max_events,
            is_disconnected=request.is_disconnected,
            wakeups=request.app.state.stream_wakeups,
        ),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store"},
    )


class HeldStream(StreamingResponse):
    """A streaming response that calls ``release`` once it is over, whatever ends it."""

    def __init__(self, release: Callable[[], None], *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.release = release

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.release()
