"""Run the scenarios one after the other on one system and compute their rows."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from tgd_dev.bench import DISPATCH, provision, ready_devices
from tgd_dev.bench_load import platform_headers, wait_for_files
from tgd_dev.faults import driver
from tgd_dev.faults.private_broker import PrivateBroker
from tgd_dev.faults.report import Press, read_deliveries, scenario_row
from tgd_dev.faults.scenarios import NEEDS_STORE, SCENARIOS, Context, Scenario
from tgd_dev.faults.system import PARTNERS, System
from tgd_servicekit.deadletters import list_dead_letters
from tgd_servicekit.testing.processes import wait_until
from tgd_servicekit.topology import declare_dead_letter_topology

RETRY_FOR_S = 300.0  # how long, after the burst, the device platform and the operator keep retrying
DRAIN_S = 90.0  # after the burst: how long to wait for every accepted alert to reach every partner


def dead_letters(uri: str) -> Counter[tuple[str, str, str, str]]:
    """(message id, queue it died in, reason, when) of every dead letter, left in place
    (a multiset: malformed messages have no id and may die in the same second)."""
    return Counter((d.message_id, d.queue, d.reason, d.died_at) for d in list_dead_letters(uri, limit=100_000))


def run_scenario(ctx: Context, scenario: Scenario, alerts: int, rate: float) -> dict:
    system = ctx.system
    devices = [f"faults-{scenario.name}-{uuid.uuid4().hex[:6]}-{i}" for i in range(alerts)]
    provision(ctx.broker.url, devices)
    ready: set[str] = set()  # kept across passes: hundreds of probes per pass would exceed the rate limit
    wait_until(lambda: ready_devices(system.base, devices, ready), 180, "the devices in the alert service", interval=1)
    presses = [Press(press_id=f"press-{d}", device_id=d, first_attempt_at=0.0) for d in devices]
    dead_before = dead_letters(ctx.broker.uri)
    started = time.time()
    deadline = started + 2 * alerts / rate + RETRY_FOR_S  # the operator may fall behind a burst
    injector = None
    if scenario.inject is not None:
        fault_at = started + alerts / rate / 3

        def inject() -> None:
            time.sleep(max(0.0, fault_at - time.time()))
            scenario.inject(ctx)  # type: ignore[misc]

        injector = threading.Thread(target=inject, name=f"fault-{scenario.name}")
        injector.start()
    asyncio.run(driver.burst(system.base, platform_headers(), presses, rate, deadline, scenario.copies))
    if injector is not None:
        injector.join()
    system.wait_healthy()
    if scenario.after is not None:
        ctx.alert_ids = {a for p in presses for a in p.alert_ids}
        scenario.after(ctx)
    _drain(system, presses)
    deliveries = [d for name, path in system.files.items() for d in read_deliveries(name, path)]
    mine = {a for p in presses for a in p.alert_ids}
    deliveries = [d for d in deliveries if d.alert_id in mine]
    dead = dead_letters(ctx.broker.uri) - dead_before
    row = scenario_row(scenario.name, presses, deliveries, list(PARTNERS), sum(dead.values()), ctx.window)
    by_queue: Counter[str] = Counter()
    for (_, queue, reason, _), n in dead.items():
        by_queue[f"{queue} ({reason})"] += n
    row["dead_letters_by_queue"] = dict(by_queue)
    row["malformed_injected"] = ctx.injected_malformed
    row["storage"] = system.storage
    row["accepted"] = sum(1 for p in presses if p.alert_ids)
    row["decided_by_operator"] = sum(1 for p in presses if p.dispatched)
    refused = Counter(str(p.last_status) for p in presses if not p.alert_ids)
    if refused:
        row["never_accepted_last_status"] = dict(refused)
    if ctx.health_seen:
        row["health_during_fault"] = sorted(set(ctx.health_seen))  # 503 while the broker is down, then 200
    return row


def _drain(system: System, presses: list[Press]) -> None:
    """Wait until every accepted alert reached every partner (or DRAIN_S passed: then it
    is counted as lost), then a little more so that a duplicate, if any, arrives too."""
    expected = {a for p in presses for a in p.alert_ids}
    wait_for_files(list(system.files.values()), DISPATCH, expected, timeout=DRAIN_S)
    time.sleep(2.0)


def run_faults(
    alerts: int,
    names: list[str],
    rate: float,
    workdir: Path,
    on_row: Callable[[dict], None] = lambda row: None,
    mongodb_uri: str | None = None,
) -> list[dict]:
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        raise ValueError(f"unknown scenario(s) {unknown}; known: {', '.join(SCENARIOS)}")
    if mongodb_uri and any(n in NEEDS_STORE for n in names):
        raise ValueError(f"{', '.join(NEEDS_STORE)} kill(s) the run's own local store: not with --mongodb-uri")
    per_scenario = max(1, alerts // len(names))
    broker = PrivateBroker(workdir)
    broker.start()
    system = System(workdir, broker.uri, broker.url, mongodb_uri)
    rows = []
    try:
        declare_dead_letter_topology(broker.uri)
        system.start()
        for name in names:
            ctx = Context(system=system, broker=broker)
            row = run_scenario(ctx, SCENARIOS[name], per_scenario, rate)
            rows.append(row)
            on_row(row)
    finally:
        system.stop()
        broker.remove()
    return rows
