"""``tgd-dev bench``: benchmarks that print numbers (never tests).

``tgd-dev bench alert-path --rate 20 --alerts 300 --repeats 3`` starts, in a throwaway
virtual host of the local RabbitMQ and on a durable local store of its own (fsync per
commit), ``--alert-instances`` alert services, ``--gateway-workers`` gateways and the
reference partner consumers (:mod:`bench_system`); feeds the alert service the
attribution events of its devices; runs a short warm-up, then ``--repeats`` measured
rounds. In each round alerts are raised over HTTP at their scheduled instants (open
loop; every latency counts from the scheduled instant), the operator's live list is
read from the SSE stream, the operator's decision is sent as soon as the trigger is
accepted, and a raw AMQP hop is published between the alerts. It prints each figure's
median and spread over the rounds, CPU ms per alert of every process, ``/proc/loadavg``
before and after. ``--duration 60`` is the sustained mode: ``rate x duration`` alerts
per round and the throughput per 10 s window. Everything started is stopped and the
vhost deleted afterwards (``TGD_BENCH_KEEP=DIR`` keeps the logs and files).
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import signal
import tempfile
import time
import uuid
from pathlib import Path

import typer

from tgd_dev import bench_load, bench_report
from tgd_dev.bench_procs import CpuMeter, loadavg
from tgd_dev.bench_stats import schedule
from tgd_dev.bench_system import (  # noqa: F401 (the fault suite imports these from here)
    ASSOCIATION,
    CENTRE,
    DISPATCH,
    PARTNERS,
    POLICE,
    RAW,
    BenchSystem,
    RawHop,
    provision,
    ready_devices,
    start_consumer,
)

bench_app = typer.Typer(help="Benchmarks (numbers, not tests).", no_args_is_help=True)
WINDOW_S = 10.0
ROUND_WAIT_S = 60.0  # after a round, wait at most this for its deliveries before the next
DRAIN_S, QUIET_S = 300.0, 30.0  # at the end: wait for every delivery, until nothing came for QUIET_S


async def _round(system: BenchSystem, devices: list[str], due: list[float], tag: str, options: dict):
    run, watch, stop = bench_load.Round(), bench_load.ListWatch(), asyncio.Event()
    pool: asyncio.Queue = asyncio.Queue()  # a device presses again once its alert is closed
    for device in devices:
        pool.put_nowait(device)
    interval = options["list_interval"]
    watcher = asyncio.create_task(bench_load.watch_list(system.bases[0], watch, stop, interval))
    await bench_load.raise_alerts(system.bases, pool, due, run, tag, options["close_after"])
    await asyncio.sleep(2 * interval + 0.5)
    stop.set()
    watcher.cancel()
    return run, watch


def one_round(system: BenchSystem, pool: list[str], count: int, rate: float, tag: str, options: dict) -> dict:
    """Run one round; what it saw, to be judged once every round has drained."""
    start = time.time() + 1.0
    due = schedule(start, count, rate)
    raw = RawHop(system.url, schedule(start, count, rate, phase=0.5), tag)
    meter = CpuMeter(system.pids())
    before = meter.snapshot()
    raw.start()
    run, watch = asyncio.run(_round(system, pool, due, tag, options))
    raw.join()
    # the round's messages delivered (or ROUND_WAIT_S gone: a saturated system spills into the next round)
    bench_load.wait_for_files(system.partner_files(), DISPATCH, set(run.scheduled), timeout=ROUND_WAIT_S)
    bench_load.wait_for_files([system.files[RAW.unit]], DISPATCH, set(raw.scheduled), timeout=10)
    cpu = CpuMeter.delta(before, meter.snapshot())
    return {"run": run, "watch": watch, "raw": raw.scheduled, "cpu": cpu, "count": count, "rate": rate}


def figures_of(system: BenchSystem, seen: dict) -> dict:
    run, watch, count, rate = seen["run"], seen["watch"], seen["count"], seen["rate"]
    figures = bench_report.round_figures(
        scheduled=run.scheduled,
        sent=run.sent,
        accepted=run.accepted,
        decision_sent=run.decision_sent,
        first_seen=watch.first_seen,
        absent_at=watch.absent_at,
        held=[bench_load.received(p, DISPATCH) for p in system.partner_files()],
        raw_scheduled=seen["raw"],
        raw_held=bench_load.received(system.files[RAW.unit], DISPATCH),
        refused=run.refused,
        cpu_s=seen["cpu"],
        window_s=WINDOW_S,
        windows=max(1, math.ceil(count / rate / WINDOW_S)),
    )
    figures["grouped"] = run.grouped
    figures["errors"] = sorted(set(run.errors))[:5] + sorted(set(watch.errors))[:3]
    figures["list_samples"] = watch.samples
    return figures


def run_bench(options: dict, workdir: Path) -> dict:
    rate, count = options["rate"], options["alerts"]
    system = BenchSystem(workdir, options["alert_instances"], options["gateway_workers"], options["tracing"], rate)
    result: dict = {"loadavg_before": loadavg()}
    try:
        system.start(options["cpu_share"], options["load_cpus"], options["system_cpus"])
        # an alert holds its device until closed; a saturated system keeps them longer (then the
        # generator waits for a device: its lag, counted in the latencies, says so)
        in_flight = math.ceil(rate * (options["close_after"] + 30))
        devices = [f"bench-{uuid.uuid4().hex[:8]}-{i}" for i in range(min(in_flight, count * (options["repeats"] + 1)))]
        system.provision(devices)
        pool = devices
        warm = min(count, max(20, int(rate * 2)))
        one_round(system, pool, warm, rate, "warm", options)  # connections, caches, JIT-free warm-up
        seen = []
        for index in range(options["repeats"]):
            seen.append(one_round(system, pool, count, rate, f"r{index}", options))
            result[f"loadavg_round_{index + 1}"] = loadavg()
        expected = set().union(*(set(s["run"].scheduled) for s in seen))
        # late is not lost: wait while deliveries still progress, then judge every round
        result["drain_s"] = bench_load.drain(system.partner_files(), DISPATCH, expected, DRAIN_S, QUIET_S)
        time.sleep(0.5)  # a duplicate, if any, arrives too
        rounds = [figures_of(system, s) for s in seen]
        result["rounds"] = rounds
        result["summary"] = bench_report.aggregate(rounds)
        result["otlp_exports"] = system.sink.requests if system.sink else None
        return result
    finally:
        system.stop()
        result["loadavg_after"] = loadavg()


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(f"stopped by signal {signum}")


@bench_app.command("alert-path")
def alert_path(
    alerts: int = typer.Option(300, "--alerts", min=1, help="Alerts per measured round."),
    rate: float = typer.Option(20.0, "--rate", min=0.1, help="Alerts (and raw messages) per second."),
    duration: float | None = typer.Option(None, "--duration", min=1, help="Sustained mode: rate x duration alerts."),
    repeats: int = typer.Option(3, "--repeats", min=1, help="Measured rounds (median and spread)."),
    alert_instances: int = typer.Option(1, "--alert-instances", min=1, help="Alert-service processes, one store."),
    gateway_workers: int = typer.Option(1, "--gateway-workers", min=1, help="Gateway processes (round robin)."),
    cpu_share: float | None = typer.Option(None, "--cpu-share", min=0.05, help="CPU quota per alert instance (cores)."),
    load_cpus: str | None = typer.Option(None, "--load-cpus", help="taskset CPUs of the generator and consumers."),
    system_cpus: str | None = typer.Option(None, "--system-cpus", help="taskset CPUs of store, services, gateways."),
    tracing: str = typer.Option("otlp", "--tracing", help="otlp (as deployed, to a local sink), file, none."),
    close_after: float = typer.Option(1.0, "--close-after", min=0, help="Seconds before the operator closes."),
    list_interval: float = typer.Option(1.0, "--list-interval", min=0.2, help="The live list's refresh (s)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object only."),
) -> None:
    """Press -> operator's list, decision -> every partner, whole path; against the raw hop."""
    if tracing not in ("otlp", "file", "none"):
        raise typer.BadParameter("--tracing is otlp, file or none")
    count = math.ceil(rate * duration) if duration else alerts
    options = {
        "alerts": count,
        "rate": rate,
        "repeats": repeats,
        "alert_instances": alert_instances,
        "gateway_workers": gateway_workers,
        "cpu_share": cpu_share,
        "load_cpus": load_cpus,
        "system_cpus": system_cpus,
        "tracing": tracing,
        "close_after": close_after,
        "list_interval": list_interval,
    }
    signal.signal(signal.SIGTERM, _stop)  # a stopped bench still stops what it started
    keep = os.environ.get("TGD_BENCH_KEEP")  # a directory to keep the processes' logs and files in
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        result = run_bench(options, Path(keep))
    else:
        with tempfile.TemporaryDirectory(prefix="tgd-bench-") as workdir:
            result = run_bench(options, Path(workdir))
    result["config"] = options
    if not as_json:
        typer.echo(bench_report.text(options, result))
    typer.echo(json.dumps(result))
