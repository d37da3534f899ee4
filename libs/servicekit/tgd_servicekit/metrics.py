"""Prometheus metrics of one process (``prometheus_client``, text format on ``/metrics``).

``tgd-service`` serves them when ``TGD_METRICS_PORT`` is set, on ``TGD_METRICS_HOST``
(default ``127.0.0.1``: a scraper on the same host or pod network, never the partners).
Every process: ``process_*`` (CPU, memory), ``tgd_outbox_backlog`` (entries stored and
not yet confirmed by the broker, per store) and ``tgd_dead_letters`` (messages in the
dead-letter queue, read at scrape time, cached). The alert service adds
``tgd_alerts{state}`` and the histogram ``tgd_alert_step_seconds{step}`` (seconds from
the press to each step: on_list, taken, qualified, dispatched, acknowledged).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from prometheus_client import REGISTRY, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from tgd_servicekit.metrics_server import port_from_env, start_metrics_server

log = logging.getLogger(__name__)
PORT_ENV, HOST_ENV = "TGD_METRICS_PORT", "TGD_METRICS_HOST"
STEP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 60, 120, 300, 900)
BACKLOG_CAP = 10_000  # counting stops there: the gauge says "at least"

ALERT_STEP_SECONDS = Histogram(
    "tgd_alert_step_seconds",
    "Seconds from the press of the alert key to each step of the alert path",
    ["step"],
    buckets=STEP_BUCKETS,
)


class Gauges(Collector):
    """Gauges read at scrape time from callables (a count in the store, a queue depth)."""

    def __init__(self) -> None:
        self.sources: dict[str, tuple[str, str, Callable[[], Mapping[str, float]]]] = {}
        self.lock = threading.Lock()

    def add(self, name: str, documentation: str, label: str, read: Callable[[], Mapping[str, float]]) -> None:
        with self.lock:
            self.sources[name] = (documentation, label, read)

    def collect(self) -> Iterable[GaugeMetricFamily]:
        with self.lock:
            sources = dict(self.sources)
        for name, (documentation, label, read) in sources.items():
            family = GaugeMetricFamily(name, documentation, labels=[label])
            try:
                values = read()
            except Exception as exc:  # a scrape must not fail because the store or broker is away
                log.warning("metrics: %s unavailable (%s)", name, type(exc).__name__)
                continue
            for key, value in values.items():
                family.add_metric([key], value)
            yield family


GAUGES = Gauges()
REGISTRY.register(GAUGES)
_outboxes: dict[str, Any] = {}


def track_outbox(store: Any) -> None:
    """Report ``store``'s pending outbox entries as ``tgd_outbox_backlog{store=...}``."""
    name = type(store).__name__
    if name not in _outboxes:
        _outboxes[name] = store
        GAUGES.add("tgd_outbox_backlog", "Outbox entries stored and not yet published", "store", _backlogs)


def _backlogs() -> dict[str, float]:
    found = {}
    for name, store in list(_outboxes.items()):
        count = 0
        for _ in store.pending_events(BACKLOG_CAP):
            count += 1
            if count >= BACKLOG_CAP:
                break
        found[name] = count
    return found


class DeadLetterCount:
    """Messages waiting in the dead-letter queue (passive declare), cached ``cache_s``."""

    def __init__(self, amqp_uri: str, cache_s: float = 10.0):
        self.amqp_uri, self.cache_s = amqp_uri, cache_s
        self._last: tuple[float, dict[str, float]] | None = None

    def __call__(self) -> dict[str, float]:
        from kombu import Connection

        from tgd_servicekit.topology import DEAD_LETTER_QUEUE

        now = time.monotonic()
        if self._last is None or now - self._last[0] >= self.cache_s:
            with Connection(self.amqp_uri, connect_timeout=2) as conn:
                _, count, _ = DEAD_LETTER_QUEUE(conn.default_channel).queue_declare(passive=True)
            self._last = (now, {DEAD_LETTER_QUEUE.name: float(count)})
        return self._last[1]


def observe_new_steps(before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
    """Observe the steps reached in ``after`` and not in ``before`` (instants, with ``press``)."""
    press = after.get("press")
    if press is None:
        return
    for step, at in after.items():
        if step != "press" and step not in before:
            ALERT_STEP_SECONDS.labels(step).observe(max(0.0, (at - press).total_seconds()))


def metrics_port_from_env(environ: Mapping[str, str] = os.environ) -> int | None:
    return port_from_env(PORT_ENV, environ)


def serve_metrics(port: int, host: str | None = None, amqp_uri: str | None = None) -> Any:
    """Serve ``/metrics`` in a daemon thread (``.shutdown()`` stops it)."""
    if amqp_uri:
        GAUGES.add("tgd_dead_letters", "Messages in the dead-letter queue", "queue", DeadLetterCount(amqp_uri))
    server, host = start_metrics_server(port, host, HOST_ENV)
    log.info("metrics on http://%s:%d/metrics", host, port)
    return server
