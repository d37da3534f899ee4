"""``tgd bench``: benchmarks that print numbers (never tests).

``tgd bench alert-path --alerts 500 --rate 50 --json`` starts, in a throwaway virtual
host of the local RabbitMQ and on a durable local store in its own temporary directory
(the default storage: fsync per commit), the alert service, the gateway and four reference
partner consumers (the CIC where she is, police, association, and one for the raw hop); feeds the alert
service the attribution events of N devices; then raises N alerts over HTTP with the
operator step automated (trigger, then "dispatch"), and measures trigger -> every
partner consumer holds the dispatch, against the raw pika publish -> the same
consumer. Everything it started is stopped and the vhost deleted afterwards.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pika
import typer

from tgd_cli import bench_load
from tgd_cli.bench_load import platform_headers
from tgd_contracts.alert import PartnerDispatch, Recipient
from tgd_contracts.device import DeviceActivated, DeviceProvisioned, ForcesInformed
from tgd_contracts.envelope import build_envelope
from tgd_contracts.partners import (
    PARTNER_EXCHANGE,
    partner_binding,
    partner_queue_arguments,
    partner_queue_name,
    partner_routing_key,
)
from tgd_servicekit.testing.broker import find_broker
from tgd_servicekit.testing.processes import BIN, ProcessGroup, free_port, wait_until
from tgd_servicekit.topology import declare_dead_letter_topology, declare_partner_inbox

bench_app = typer.Typer(help="Benchmarks (numbers, not tests).", no_args_is_help=True)
DISPATCH = "fr.tgd.partner_dispatch"
POLICE = Recipient(audience="police", territory="03", unit="csp-bench")
ASSOCIATION = Recipient(audience="association", territory="tj-montlucon", unit="any")
CENTRE = Recipient(audience="command", territory="03", unit="cic-03")  # the CIC of 03 (sample directory)
RAW = Recipient(audience="police", territory="03", unit="bench-raw")


def start_consumer(
    group: ProcessGroup, url: str, who: Recipient, out: Path, *extra: str, name: str | None = None
) -> None:
    """A reference partner consumer writing what it acts on to ``out`` (JSON lines); its
    queue is declared first, as the platform does for a provisioned partner."""
    declare_partner_inbox(url.replace("amqp://", "pyamqp://", 1), who.audience.value, who.territory, who.unit)
    argv = [str(BIN / "tgd-partner-consumer"), "--amqp-url", url, "--output", str(out), *extra]
    argv += ["--audience", who.audience.value, "--territory", who.territory, "--unit", who.unit]
    group.start(name or f"consumer-{who.audience.value}-{who.unit}", argv)


def provision(url: str, devices: list[str]) -> None:
    """The events the device and notify services would send for each attribution."""
    now = datetime.now(UTC)
    conn = pika.BlockingConnection(pika.URLParameters(url))
    channel = conn.channel()
    channel.confirm_delivery()
    for device in devices:
        attribution = f"att-{device}"
        for source, name, data in (
            (
                "device",
                "device_provisioned",
                DeviceProvisioned(
                    device_id=device,
                    attribution_id=attribution,
                    jurisdiction="tj-montlucon",
                    department="03",
                    home_insee_code="03185",
                    provisioned_at=now,
                ),
            ),
            (
                "notify",
                "forces_informed",
                ForcesInformed.consume(
                    {
                        "attribution_id": attribution,
                        "device_id": device,
                        "jurisdiction": "tj-montlucon",
                        "competent": {
                            "audience": "police",
                            "department": "03",
                            "unit_code": POLICE.unit,
                            "unit_name": "b",
                        },
                        "acknowledged_at": now.isoformat(),
                    }
                ),
            ),
            (
                "device",
                "device_activated",
                DeviceActivated(device_id=device, attribution_id=attribution, activated_at=now),
            ),
        ):
            envelope = build_envelope(source_service=source, event_name=name, subject=device, data=data)
            channel.basic_publish(
                f"{source}.events",
                name,
                envelope.model_dump_json().encode(),
                pika.BasicProperties(content_type="application/json", delivery_mode=2),
            )
    conn.close()


def raw_hop(url: str, count: int, rate: float) -> bench_load.Run:
    """Publish ``count`` dispatch-shaped messages straight to the raw consumer's queue."""
    run = bench_load.Run()
    conn = pika.BlockingConnection(pika.URLParameters(url))
    channel = conn.channel()
    queue = partner_queue_name(RAW.audience, RAW.territory, RAW.unit)
    channel.queue_declare(queue, durable=True, arguments=partner_queue_arguments(queue))
    channel.queue_bind(queue, PARTNER_EXCHANGE, partner_binding(RAW.audience, RAW.territory, RAW.unit))
    channel.confirm_delivery()
    key = partner_routing_key(RAW.audience, RAW.territory, RAW.unit, "dispatch")
    start = time.monotonic()
    for index in range(count):
        delay = start + index / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        raw_id = f"raw-{index}"
        data = PartnerDispatch(
            alert_id=raw_id,
            dispatch_id=raw_id,
            kind="dispatch",
            attempt=1,
            recipient=RAW,
            outcome="danger",
            automatic=False,
            raised_at=datetime.now(UTC),
            device_id="raw",
        )
        body = build_envelope(source_service="alert", event_name="partner_dispatch", subject=raw_id, data=data)
        run.sent_at[raw_id] = time.time()
        channel.basic_publish(
            PARTNER_EXCHANGE,
            key,
            body.model_dump_json().encode(),
            pika.BasicProperties(content_type="application/json", delivery_mode=2),
            mandatory=True,
        )
    conn.close()
    return run


def ready_devices(base: str, devices: list[str]) -> bool:
    with httpx.Client(base_url=base, timeout=10, headers=platform_headers()) as client:
        for device in devices:
            facts = client.get(f"/v1/device-alerts/devices/{device}").json()
            if not (facts.get("active") and facts.get("competent")):
                return False
    return True


def run_bench(alerts: int, rate: float, workdir: Path) -> dict:
    broker, container, why = find_broker()
    if broker is None:
        raise RuntimeError(why)
    vhost = broker.create_vhost()
    uri = broker.uri_for_vhost(vhost)
    url = uri.replace("pyamqp://", "amqp://")
    env = {
        "AMQP_URI": uri,
        "OTEL_TRACES_EXPORTER": "none",
        "ALERT_FAILSAFE_DELAY_S": "600",
        "ALERT_ACK_DELAY_S": "600",
        "ALERT_DOSSIER_TIMEOUT_S": "0.5",
        "ALERT_MAX_WORKERS": "40",
        # the gateway's per-client rate limit (20/s by default) would throttle the bench's one client
        "TGD_GATEWAY_RATE_PER_S": "100000",
        "TGD_GATEWAY_RATE_BURST": "100000",
    }
    group = ProcessGroup(workdir, env=env)
    partners = (CENTRE, POLICE, ASSOCIATION, RAW)
    files = {who.unit: workdir / f"{who.audience.value}-{who.unit}.jsonl" for who in partners}
    try:
        declare_dead_letter_topology(uri)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        group.start_store()  # in workdir, like every process's files
        group.start_service("alert")
        group.start_gateway(port)
        start_consumer(group, url, CENTRE, files[CENTRE.unit])
        start_consumer(group, url, POLICE, files[POLICE.unit])
        start_consumer(group, url, ASSOCIATION, files[ASSOCIATION.unit])
        start_consumer(group, url, RAW, files[RAW.unit], "--no-acknowledge")
        wait_until(
            lambda: httpx.get(f"{base}/v1/alerts", headers=platform_headers()).status_code == 200,
            60,
            "the alert service",
        )
        wait_until(
            lambda: all("consuming" in group.log(n) for n in group.procs if n.startswith("consumer")), 30, "consumers"
        )
        devices = [f"bench-{uuid.uuid4().hex[:8]}-{i}" for i in range(alerts)]
        provision(url, devices)
        wait_until(lambda: ready_devices(base, devices), 120, "the devices in the alert service", interval=1)

        raw_run = raw_hop(url, alerts, rate)
        bench_load.wait_for_files([files[RAW.unit]], DISPATCH, set(raw_run.sent_at), timeout=30)
        started = time.monotonic()
        alert_run = asyncio.run(bench_load.raise_alerts(base, devices, rate))
        elapsed = time.monotonic() - started
        paths = [files[CENTRE.unit], files[POLICE.unit], files[ASSOCIATION.unit]]
        bench_load.wait_for_files(paths, DISPATCH, set(alert_run.sent_at), timeout=60)
        time.sleep(0.5)  # let a duplicate, if any, arrive too
        result = bench_load.summary(
            bench_load.latencies(alert_run, paths, DISPATCH),
            bench_load.latencies(raw_run, [files[RAW.unit]], DISPATCH),
            alerts,
            rate,
            elapsed,
            alert_run.steps,
        )
        result["errors"] = sorted(set(alert_run.errors))[:5]
        return result
    finally:
        group.stop_all()
        broker.delete_vhost(vhost)
        if container is not None:
            container.stop()  # type: ignore[attr-defined]


@bench_app.command("alert-path")
def alert_path(
    alerts: int = typer.Option(500, "--alerts", min=1, help="How many alerts to raise."),
    rate: float = typer.Option(50.0, "--rate", min=0.1, help="Alerts (and raw messages) per second."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object only."),
) -> None:
    """Trigger -> every partner consumer holds the dispatch, against the raw AMQP hop."""
    keep = os.environ.get("TGD_BENCH_KEEP")  # a directory to keep the processes' logs and files in
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        result = run_bench(alerts, rate, Path(keep))
    else:
        with tempfile.TemporaryDirectory(prefix="tgd-bench-") as workdir:
            result = run_bench(alerts, rate, Path(workdir))
    if not as_json:
        typer.echo(
            f"{alerts} alerts at {rate:g}/s: p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms "
            f"(raw hop p50 {result['raw_p50_ms']} ms, p99 {result['raw_p99_ms']} ms); "
            f"lost {result['lost']}, duplicated {result['duplicated']}"
        )
    typer.echo(json.dumps(result))
