"""The load of ``tgd bench alert-path``: alerts raised over HTTP with the operator
step automated, the raw AMQP hop for comparison, and the statistics.

Latency of an alert = from just before its trigger request is sent to the moment the
LAST partner consumer (police and association) wrote the dispatch to its file. The
raw hop = from just before a pika publish (persistent, confirmed) of a message of the
same shape to the moment the same reference consumer wrote it. Both use the wall
clock of one machine.
"""

from __future__ import annotations

import asyncio
import json
import math
import statistics
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx


@dataclass
class Run:
    sent_at: dict[str, float] = field(default_factory=dict)  # alert id (or raw id) -> send time
    errors: list[str] = field(default_factory=list)
    steps: list[tuple[float, float]] = field(default_factory=list)  # (trigger, dispatch) request times, ms


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = math.ceil(q / 100 * len(ordered))  # nearest rank
    return ordered[min(len(ordered), max(rank, 1)) - 1]


def trigger_body(device_id: str, press_id: str) -> dict:
    at = datetime.now(UTC).isoformat()
    return {
        "device_id": device_id,
        "press_id": press_id,
        "triggered_at": at,
        "position": {"lat": 46.34, "lon": 2.6, "accuracy_m": 20.0, "fixed_at": at},
    }


def platform_headers() -> dict[str, str]:
    """The national teleassistance platform's token, signed with the development secret
    of the gateway the bench starts (a development gateway on a throwaway vhost)."""
    from tgd_testkit.tokens import auth_headers

    return auth_headers("teleassistance", "*")


async def one_alert(client: httpx.AsyncClient, device_id: str, index: int, run: Run) -> None:
    try:
        await _one_alert(client, device_id, index, run)
    except httpx.HTTPError as exc:
        run.errors.append(type(exc).__name__)


async def _one_alert(client: httpx.AsyncClient, device_id: str, index: int, run: Run) -> None:
    started = time.time()
    response = await client.post("/v1/device-alerts", json=trigger_body(device_id, f"bench-press-{index}"))
    if response.status_code != 202:
        run.errors.append(f"trigger {response.status_code}")
        return
    alert_id = response.json()["alert_id"]
    run.sent_at[alert_id] = started
    triggered = time.time()
    decision = await client.post(f"/v1/alerts/{alert_id}/dispatch", json={"operator": "bench-operator"})
    run.steps.append(((triggered - started) * 1000, (time.time() - triggered) * 1000))
    if decision.status_code != 200:
        run.errors.append(f"dispatch {decision.status_code}")


async def raise_alerts(base: str, devices: list[str], rate: float) -> Run:
    """Open loop: alert i starts at i / rate seconds, whatever the previous ones do."""
    run = Run()
    limits = httpx.Limits(max_connections=16, max_keepalive_connections=16)  # httpx slows down past a few
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits, headers=platform_headers()) as client:
        start = time.monotonic()
        tasks = []
        for index, device_id in enumerate(devices):
            delay = start + index / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one_alert(client, device_id, index, run)))
        await asyncio.gather(*tasks)
    return run


def received(path: Path, event_type: str) -> dict[str, list[float]]:
    """subject (alert id) -> receive times of messages of ``event_type`` in a consumer's file."""
    found: dict[str, list[float]] = {}
    if not path.exists():
        return found
    for line in path.read_text().splitlines():
        record = json.loads(line)
        if record["event"]["type"] == event_type:
            found.setdefault(record["event"]["subject"], []).append(record["received_at"])
    return found


def wait_for_files(paths: list[Path], event_type: str, expected: set[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(expected <= set(received(p, event_type)) for p in paths):
            return
        time.sleep(0.2)


@dataclass
class Stats:
    latencies_ms: list[float]
    lost: int
    duplicated: int


def latencies(run: Run, paths: list[Path], event_type: str) -> Stats:
    per_consumer = [received(p, event_type) for p in paths]
    values, lost, duplicated = [], 0, 0
    for key, sent in run.sent_at.items():
        times = [c.get(key, []) for c in per_consumer]
        duplicated += sum(max(0, len(t) - 1) for t in times)
        if any(not t for t in times):
            lost += 1
            continue
        values.append((max(min(t) for t in times) - sent) * 1000)
    return Stats(values, lost + len(run.errors), duplicated)


def summary(alerts: Stats, raw: Stats, count: int, rate: float, elapsed_s: float, steps: list) -> dict:
    p50, raw_p50 = percentile(alerts.latencies_ms, 50), percentile(raw.latencies_ms, 50)
    return {
        "alerts": count,
        "rate": rate,
        "achieved_rate": round(count / elapsed_s, 1) if elapsed_s else None,
        "p50_ms": _round(p50),
        "p99_ms": _round(percentile(alerts.latencies_ms, 99)),
        "max_ms": _round(max(alerts.latencies_ms) if alerts.latencies_ms else None),
        "raw_p50_ms": _round(raw_p50),
        "raw_p99_ms": _round(percentile(raw.latencies_ms, 99)),
        "ratio_p50": _round(p50 / raw_p50 if p50 and raw_p50 else None),
        "lost": alerts.lost,
        "duplicated": alerts.duplicated,
        "raw_lost": raw.lost,
        "raw_duplicated": raw.duplicated,
        "mean_ms": _round(statistics.fmean(alerts.latencies_ms) if alerts.latencies_ms else None),
        "trigger_request_p50_ms": _round(percentile([t for t, _ in steps], 50)),
        "dispatch_request_p50_ms": _round(percentile([d for _, d in steps], 50)),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
