"""The load of ``tgd-dev bench alert-path``, through public surfaces only: the gateway's
HTTP API (trigger, operator decision, close; the operator's live list as the SSE stream
``/v1/alerts/stream``), the partner queues (the raw hop), the consumers' files.

Open loop: alert ``i`` is due at its scheduled instant whatever the earlier ones do,
and every latency counts from that instant (:mod:`bench_stats`). The operator step is
automated: the decision ("dispatch") is sent as soon as the trigger is accepted, the
alert is closed ``close_after`` seconds later (as an operator would: the open list
stays short and the device can press again in the next round).
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import cycle
from pathlib import Path

import httpx


@dataclass
class Round:
    """What one measured round saw, keyed by alert id (the subject partners receive)."""

    scheduled: dict[str, float] = field(default_factory=dict)
    sent: dict[str, float] = field(default_factory=dict)
    accepted: dict[str, float] = field(default_factory=dict)
    decision_sent: dict[str, float] = field(default_factory=dict)
    decided: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    refused: int = 0  # triggers never accepted, even retried: lost presses
    grouped: int = 0  # presses that joined an open incident instead of raising an alert


@dataclass
class ListWatch:
    """The operator's live list as the SSE stream delivers it: each alert's first
    appearance, and the previous sample (where it was not there yet: the resolution)."""

    first_seen: dict[str, float] = field(default_factory=dict)
    absent_at: dict[str, float] = field(default_factory=dict)
    samples: int = 0
    errors: list[str] = field(default_factory=list)


def platform_headers(client_id: str = "bench-platform") -> dict[str, str]:
    """A national teleassistance token signed with the development secret of the
    development gateways the bench starts."""
    from tgd_testkit.tokens import auth_headers

    return auth_headers("teleassistance", "*", client_id=client_id)


def trigger_body(device_id: str, press_id: str) -> dict:
    at = datetime.now(UTC).isoformat()
    return {
        "device_id": device_id,
        "press_id": press_id,
        "triggered_at": at,
        "position": {"lat": 46.34, "lon": 2.6, "accuracy_m": 20.0, "fixed_at": at},
    }


RETRIES = 3  # as the platform does: a 5xx or a timeout is retried with the same press id


async def _post(client: httpx.AsyncClient, url: str, body: dict, done: tuple[int, ...]) -> int:
    """POST, retried on a server error or a timeout; the last status (0: no answer)."""
    status = 0
    for _ in range(RETRIES):
        try:
            response = await client.post(url, json=body)
        except httpx.HTTPError:
            status = 0
            continue
        status = response.status_code
        if status in done or status < 500:
            return status if status not in done else done[0]
    return status


async def one_alert(
    client: httpx.AsyncClient, device: str, press: str, due: float, pool: asyncio.Queue, run: Round, close_after: float
) -> None:
    """Trigger (retried with the same press id), decide, close later; the device goes back
    to the pool only once its alert is closed (else a new press would join that incident)."""
    sent = time.time()
    try:
        response = await _trigger(client, device, press)
    except httpx.HTTPError as exc:
        response = None
        run.errors.append(f"trigger {type(exc).__name__}")
    accepted = time.time()
    if response is None or response.status_code != 202:
        run.refused += 1
        if response is not None:
            run.errors.append(f"trigger {response.status_code}")
        return  # the device is not given back: its press may have raised an alert after all
    answer = response.json()
    alert_id = answer["alert_id"]
    if answer.get("joined") or answer.get("duplicate"):
        run.grouped += 1
    run.scheduled[alert_id], run.sent[alert_id], run.accepted[alert_id] = due, sent, accepted
    run.decision_sent[alert_id] = time.time()
    status = await _post(client, f"/v1/alerts/{alert_id}/dispatch", {"note": "banc de mesure"}, (200, 409))
    run.decided[alert_id] = time.time()
    if status != 200:
        run.errors.append(f"dispatch {status}")
    await asyncio.sleep(close_after)
    if await _post(client, f"/v1/alerts/{alert_id}/close", {}, (200, 409)) == 200:
        pool.put_nowait(device)
    else:
        run.errors.append("close failed (device retired)")


async def _trigger(client: httpx.AsyncClient, device: str, press: str) -> httpx.Response | None:
    response = None
    for _ in range(RETRIES):
        try:
            response = await client.post("/v1/device-alerts", json=trigger_body(device, press))
        except httpx.TimeoutException:
            continue
        if response.status_code < 500:
            return response
    return response


async def raise_alerts(
    bases: list[str], pool: asyncio.Queue, due: list[float], run: Round, tag: str, close_after: float
) -> None:
    """Start alert ``i`` at ``due[i]`` (wall clock), spread over the gateways round robin."""
    limits = httpx.Limits(max_connections=48, max_keepalive_connections=48)
    clients = [httpx.AsyncClient(base_url=b, timeout=30, limits=limits, headers=platform_headers()) for b in bases]
    try:
        tasks = []
        for index, (at, client) in enumerate(zip(due, cycle(clients), strict=False)):
            delay = at - time.time()
            if delay > 0:
                await asyncio.sleep(delay)
            device = await pool.get()  # normally at once: the pool is sized for the rate
            press = f"bench-{tag}-{index}"
            tasks.append(asyncio.create_task(one_alert(client, device, press, at, pool, run, close_after)))
        await asyncio.gather(*tasks)
    finally:
        for client in clients:
            await client.aclose()


async def watch_list(base: str, watch: ListWatch, stop: asyncio.Event, interval: float) -> None:
    """Read ``/v1/alerts/stream`` until ``stop``: every message (event or keep-alive) is
    one look at the list; an alert's first look is when the operator could see it."""
    headers = platform_headers("bench-operator-screen")
    last_sample = time.time()
    async with httpx.AsyncClient(base_url=base, timeout=httpx.Timeout(10, read=60), headers=headers) as client:
        while not stop.is_set():
            try:
                async with client.stream("GET", "/v1/alerts/stream", params={"interval": interval}) as response:
                    event = None
                    async for line in response.aiter_lines():
                        now = time.time()
                        if stop.is_set():
                            return
                        if line.startswith("event:"):
                            event = line[6:].strip()
                        elif line.startswith("data:") and event == "open-alerts":
                            for item in json.loads(line[5:]).get("items", []):
                                if item["alert_id"] not in watch.first_seen:
                                    watch.first_seen[item["alert_id"]] = now
                                    watch.absent_at[item["alert_id"]] = last_sample
                        elif line == "":
                            watch.samples += 1
                            last_sample, event = now, None
            except (httpx.HTTPError, ValueError) as exc:
                watch.errors.append(type(exc).__name__)
                await asyncio.sleep(0.5)


def received(path: Path, event_type: str) -> dict[str, list[float]]:
    """subject (alert id) -> receive times of messages of ``event_type`` in a consumer's file."""
    found: dict[str, list[float]] = {}
    if not path.exists():
        return found
    for line in path.read_text().splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue  # a line being written
        if record["event"]["type"] == event_type:
            found.setdefault(record["event"]["subject"], []).append(record["received_at"])
    return found


def wait_for_files(paths: list[Path], event_type: str, expected: set[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(expected <= set(received(p, event_type)) for p in paths):
            return
        time.sleep(1.0)  # reading the files costs the load side CPU: not too often


def drain(paths: list[Path], event_type: str, expected: set[str], timeout: float, quiet: float) -> float:
    """Wait until every consumer holds every expected message, or nothing new arrived for
    ``quiet`` seconds, or ``timeout``; the seconds waited."""
    started = last_change = time.monotonic()
    held = -1
    while time.monotonic() - started < timeout and time.monotonic() - last_change < quiet:
        found = [expected & set(received(p, event_type)) for p in paths]
        if all(f == expected for f in found):
            break
        if sum(map(len, found)) != held:
            held, last_change = sum(map(len, found)), time.monotonic()
        time.sleep(1.0)
    return round(time.monotonic() - started, 1)
