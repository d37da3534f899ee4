"""``GET /v1/alerts/stream``: the open alerts as Server-Sent Events, for an operator
screen, pushed as soon as the list changes and re-read periodically as a fallback
(``interval``; the messages: :mod:`gateway.live_list`). Streams are capped per client and
per process (``TGD_GATEWAY_STREAMS_PER_CLIENT`` / ``_TOTAL``): one more is refused with
429 ``too_many_streams``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from gateway.deps import Rpc
from gateway.errors import error_responses
from gateway.live_list import open_alert_events
from tgd_contracts.errors import ErrorCode, TgdError

router = APIRouter(prefix="/v1/alerts", tags=["alerts"])


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
