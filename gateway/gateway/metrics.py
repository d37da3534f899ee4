"""The gateway's Prometheus metrics: requests by route, method and status, and their
duration, plus the process's own (CPU, memory). Served on a SEPARATE port bound to
127.0.0.1 by default (``TGD_GATEWAY_METRICS_PORT``, ``TGD_GATEWAY_METRICS_HOST``), never
on the partners' API port: a scraper on the host or in the pod reaches it, a partner
does not, and no token or role is needed for it."""

from __future__ import annotations

import os
import time
from typing import Any

from prometheus_client import Counter, Histogram, start_http_server
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PORT_ENV, HOST_ENV = "TGD_GATEWAY_METRICS_PORT", "TGD_GATEWAY_METRICS_HOST"
REQUESTS = Counter("tgd_gateway_requests_total", "HTTP requests answered", ["route", "method", "status"])
DURATION = Histogram(
    "tgd_gateway_request_seconds",
    "Time to the response's first byte",
    ["route", "method"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def route_of(scope: Scope) -> str:
    """The matched route's template (few values), never the raw path (ids in it)."""
    route: Any = scope.get("route")
    return getattr(route, "path", None) or "unmatched"


class MetricsMiddleware:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), {"code": 500}

        async def send_and_count(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                DURATION.labels(route_of(scope), scope["method"]).observe(time.perf_counter() - started)
            await send(message)

        try:
            await self.app(scope, receive, send_and_count)
        finally:
            REQUESTS.labels(route_of(scope), scope["method"], str(status["code"])).inc()


def metrics_port(environ: Any = os.environ) -> int | None:
    value = environ.get(PORT_ENV, "").strip()
    if not value or value == "0":
        return None
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise ValueError(f"{PORT_ENV} must be a port number, not {value!r}")
    return int(value)


def serve(port: int, host: str | None = None) -> Any:
    server, _ = start_http_server(port, addr=host or os.environ.get(HOST_ENV, "127.0.0.1"))
    return server
