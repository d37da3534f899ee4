"""Health endpoints of a service process, for container and Kubernetes probes.

``tgd-service`` serves them when ``TGD_HEALTH_PORT`` is set (on ``TGD_HEALTH_HOST``,
default ``127.0.0.1``; images set ``0.0.0.0`` so the kubelet can reach them):

- ``GET /health/live``: 200 while the process answers and its service has not died
  (the broker is not part of it: a broker outage must not restart every pod);
- ``GET /health/ready`` (and ``GET /health``): 200 ``{"status": "ok", "broker":
  "reachable"}`` once the service has started and the broker accepts a connection,
  503 ``{"status": "degraded", ...}`` otherwise, the body shape of the gateway's
  ``/health``.

``python -m tgd_servicekit.health [URL]`` is the probe command of the images: exit 0
when the endpoint answers 200 (default ``http://127.0.0.1:$TGD_HEALTH_PORT/health/ready``).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

log = logging.getLogger(__name__)


class BrokerCheck:
    """Can a new connection to ``amqp_uri`` be opened? Cached for ``cache_s`` seconds
    so frequent probes do not open a connection each."""

    def __init__(self, amqp_uri: str, timeout_s: float = 2.0, cache_s: float = 2.0):
        self.amqp_uri = amqp_uri
        self.timeout_s = timeout_s
        self.cache_s = cache_s
        self._last: tuple[float, bool] | None = None
        self._lock = threading.Lock()

    def _probe(self) -> bool:
        from kombu import Connection

        try:
            with Connection(self.amqp_uri, connect_timeout=self.timeout_s) as conn:
                conn.ensure_connection(max_retries=0)  # one attempt: the probe itself is retried
            return True
        except Exception as exc:
            log.warning("health: broker unreachable (%s)", type(exc).__name__)
            return False

    def __call__(self) -> bool:
        with self._lock:
            now = time.monotonic()
            if self._last is None or now - self._last[0] >= self.cache_s:
                self._last = (now, self._probe())
            return self._last[1]


@dataclass
class HealthState:
    started: Callable[[], bool]
    alive: Callable[[], bool]
    broker: Callable[[], bool]

    def live(self) -> tuple[int, dict[str, str]]:
        ok = self.alive()
        return (200 if ok else 503), {"status": "ok" if ok else "dead"}

    def ready(self) -> tuple[int, dict[str, str]]:
        reachable = self.broker()
        ok = reachable and self.started() and self.alive()
        body = {"status": "ok" if ok else "degraded", "broker": "reachable" if reachable else "unreachable"}
        return (200 if ok else 503), body


def _handler(state: HealthState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            routes = {"/health/live": state.live, "/health/ready": state.ready, "/health": state.ready}
            route = routes.get(self.path.split("?", 1)[0])
            status, body = route() if route else (404, {"status": "not_found"})
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:  # probes are not worth a log line
            return

    return Handler


def serve_health(state: HealthState, host: str, port: int) -> ThreadingHTTPServer:
    """Serve the health endpoints in a daemon thread; ``.shutdown()`` stops them."""
    server = ThreadingHTTPServer((host, port), _handler(state))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="health", daemon=True).start()
    log.info("health endpoints on http://%s:%d/health", host, server.server_address[1])
    return server


def health_port_from_env() -> int | None:
    value = os.environ.get("TGD_HEALTH_PORT", "").strip()
    return int(value) if value and value != "0" else None


def probe(url: str | None = None, timeout_s: float = 3.0) -> bool:
    url = url or f"http://127.0.0.1:{health_port_from_env() or 8081}/health/ready"
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:  # noqa: S310 (a local URL)
            return response.status == 200
    except Exception:
        return False


if __name__ == "__main__":
    sys.exit(0 if probe(sys.argv[1] if len(sys.argv) > 1 else None) else 1)
