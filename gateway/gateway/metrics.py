"""The gateway's Prometheus metrics: requests by route, method and status, and their
duration, plus the process's own (CPU, memory). Served on a SEPARATE port bound to
127.0.0.1 by default (``TGD_GATEWAY_METRICS_PORT``, ``TGD_GATEWAY_METRICS_HOST``), never
on the partners' API port: a scraper on the host or in the pod reaches it, a partner
does not, and no token or role is needed for it."""

from __future__ import annotations

import os
import time
from typing import Any

from prometheus_client import Counter, Histogram
from starlette.types import Message, Receive, Scope, Send

from gateway.middleware import HttpMiddleware, on_response_start
from tgd_servicekit.metrics_server import port_from_env, start_metrics_server

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


class MetricsMiddleware(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started, status = time.perf_counter(), {"code": 500}

        def observe(message: Message) -> None:
            status["code"] = message["status"]
            DURATION.labels(route_of(scope), scope["method"]).observe(time.perf_counter() - started)

        try:
            await self.app(scope, receive, on_response_start(send, observe))
        finally:
            REQUESTS.labels(route_of(scope), scope["method"], str(status["code"])).inc()


def metrics_port(environ: Any = os.environ) -> int | None:
    return port_from_env(PORT_ENV, environ)


def serve(port: int, host: str | None = None) -> Any:
    return start_metrics_server(port, host, HOST_ENV)[0]
