"""The system under ``tgd-dev bench alert-path``: a throwaway vhost of the local RabbitMQ,
a durable local store of its own, N alert-service processes on that one store, W
gateway processes, four reference partner consumers (the CIC of 03, police,
association, and one for the raw hop), the devices' attribution events, and the raw
AMQP hop publisher. Production settings where they matter: tracing on and exported
over OTLP/HTTP (to a local sink standing in for the collector), rate limits on."""

from __future__ import annotations

import os
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pika

from tgd_contracts.alert import PartnerDispatch, Recipient
from tgd_contracts.envelope import build_envelope
from tgd_contracts.partners import PARTNER_EXCHANGE, partner_routing_key
from tgd_dev.bench_devices import POLICE_UNIT, provision, ready_devices
from tgd_dev.bench_load import platform_headers
from tgd_dev.bench_procs import CpuQuota, OtlpSink, pin
from tgd_servicekit.testing.broker import find_broker
from tgd_servicekit.testing.processes import BIN, ProcessGroup, free_port, wait_until
from tgd_servicekit.topology import declare_dead_letter_topology, declare_partner_inbox

DISPATCH = "fr.tgd.partner_dispatch"
POLICE = Recipient(audience="police", territory="03", unit=POLICE_UNIT)
ASSOCIATION = Recipient(audience="association", territory="tj-montlucon", unit="any")
CENTRE = Recipient(audience="command", territory="03", unit="cic-03")  # the CIC of 03 (sample directory)
RAW = Recipient(audience="police", territory="03", unit="bench-raw")
PARTNERS = (CENTRE, POLICE, ASSOCIATION)


def bench_env(uri: str, tracing: str, sink: OtlpSink | None, rate: float, workdir: Path) -> dict[str, str]:
    env = {
        "AMQP_URI": uri,
        "TGD_ENV": "development",
        # deadlines far away: the operator decides in milliseconds, no failsafe or escalation fires
        "ALERT_FAILSAFE_DELAY_S": "600",
        "ALERT_ACK_DELAY_S": "600",
        "ALERT_DOSSIER_TIMEOUT_S": "0.5",
        "ALERT_MAX_WORKERS": "40",
        # rate limits ON (the middleware runs), set above what the bench's one platform client sends
        "TGD_GATEWAY_RATE_PER_S": str(max(20, int(rate * 4))),
        "TGD_GATEWAY_RATE_BURST": str(max(40, int(rate * 8))),
        "TGD_TRACE_SAMPLE_RATIO": os.environ.get("TGD_TRACE_SAMPLE_RATIO", "0.1"),
    }
    if tracing == "otlp" and sink is not None:
        env |= {"OTEL_TRACES_EXPORTER": "otlp_proto_http", "OTEL_EXPORTER_OTLP_ENDPOINT": sink.endpoint}
    elif tracing == "file":
        env |= {"OTEL_TRACES_EXPORTER": "otlp_json_file", "TGD_TRACES_FILE": str(workdir / "traces-{service}.jsonl")}
    else:
        env["OTEL_TRACES_EXPORTER"] = "none"
    return env


def start_consumer(
    group: ProcessGroup, url: str, who: Recipient, out: Path, *extra: str, name: str | None = None
) -> None:
    """A reference partner consumer writing what it acts on to ``out`` (JSON lines); its
    queue is declared first, as the platform does for a provisioned partner."""
    declare_partner_inbox(url.replace("amqp://", "pyamqp://", 1), who.audience.value, who.territory, who.unit)
    argv = [str(BIN / "tgd-partner-consumer"), "--amqp-url", url, "--output", str(out), *extra]
    argv += ["--audience", who.audience.value, "--territory", who.territory, "--unit", who.unit]
    group.start(name or f"consumer-{who.audience.value}-{who.unit}", argv)


class BenchSystem:
    def __init__(self, workdir: Path, instances: int, workers: int, tracing: str, rate: float):
        self.workdir, self.instances, self.workers, self.tracing, self.rate = workdir, instances, workers, tracing, rate
        self.files = {who.unit: workdir / f"{who.audience.value}-{who.unit}.jsonl" for who in (*PARTNERS, RAW)}
        self.bases: list[str] = []
        self.quota = CpuQuota(f"tgd-bench-{os.getpid()}")
        self.sink: OtlpSink | None = None

    def start(self, cpu_share: float | None, load_cpus: str | None, system_cpus: str | None) -> None:
        broker, self.container, why = find_broker()
        if broker is None:
            raise RuntimeError(why)
        self.broker, self.vhost = broker, broker.create_vhost()
        uri = broker.uri_for_vhost(self.vhost)
        self.url = uri.replace("pyamqp://", "amqp://")
        self.sink = OtlpSink() if self.tracing == "otlp" else None
        self.group = ProcessGroup(self.workdir, env=bench_env(uri, self.tracing, self.sink, self.rate, self.workdir))
        declare_dead_letter_topology(uri)
        self.group.start_store()
        for index in range(self.instances):
            self.group.start(f"alert-{index}", [str(BIN / "tgd-service"), "alert"])
        for index in range(self.workers):
            port = free_port()
            self.group.start_gateway(port) if index == 0 else self._gateway(index, port)
            self.bases.append(f"http://127.0.0.1:{port}")
        for who in (*PARTNERS, RAW):
            self._consumer(who, *(("--no-acknowledge",) if who is RAW else ()))
        wait_until(lambda: all(self._answers(b) for b in self.bases), 90, "the gateways and the alert service")
        consumers = [n for n in self.group.procs if n.startswith("consumer")]
        wait_until(lambda: all("consuming" in self.group.log(n) for n in consumers), 30, "consumers")
        self._place(cpu_share, load_cpus, system_cpus)

    def _gateway(self, index: int, port: int) -> None:
        env = {
            "TGD_GATEWAY_PORT": str(port),
            "TGD_GATEWAY_HOST": "127.0.0.1",
            "TGD_GATEWAY_DATA_DIR": str(self.workdir / f"gateway-data-{index}"),
        }
        self.group.start(f"gateway-{index}", [str(BIN / "python"), "-m", "gateway"], env)

    def _consumer(self, who: Recipient, *extra: str) -> None:
        start_consumer(self.group, self.url, who, self.files[who.unit], *extra, name=f"consumer-{who.unit}")

    @staticmethod
    def _answers(base: str) -> bool:
        return httpx.get(f"{base}/v1/alerts", headers=platform_headers("bench-probe"), timeout=5).status_code == 200

    def _place(self, cpu_share: float | None, load_cpus: str | None, system_cpus: str | None) -> None:
        """CPU shares for the alert instances; the load side and the system pinned apart."""
        if cpu_share is not None:
            if not CpuQuota.available():
                raise RuntimeError("--cpu-share needs a writable cgroup v1 cpu controller (/sys/fs/cgroup/cpu)")
            for name, pid in self.pids().items():
                if name.startswith("alert-"):
                    self.quota.limit(name, pid, cpu_share)
        if load_cpus:
            os.sched_setaffinity(0, {int(c) for c in load_cpus.split(",")})
            for name, pid in self.pids().items():
                if name.startswith("consumer"):
                    pin(pid, load_cpus)
        if system_cpus:
            for name, pid in self.pids().items():
                if not name.startswith("consumer"):
                    pin(pid, system_cpus)

    def partner_files(self) -> list[Path]:
        return [self.files[who.unit] for who in PARTNERS]

    def pids(self) -> dict[str, int]:
        return {name: proc.pid for name, proc in self.group.procs.items()}

    def stop(self) -> None:
        if hasattr(self, "group"):
            self.group.stop_all()
        self.quota.remove()
        if self.sink is not None:
            self.sink.close()
        if hasattr(self, "vhost"):
            self.broker.delete_vhost(self.vhost)
        if getattr(self, "container", None) is not None:
            self.container.stop()

    def provision(self, devices: list[str]) -> None:
        provision(self.url, devices)
        ready: set[str] = set()
        wait_until(
            lambda: ready_devices(self.bases[0], devices, ready), 300, "the devices in the alert service", interval=1
        )


class RawHop(threading.Thread):
    """Dispatch-shaped messages published (persistent, confirmed, as the outbox relay
    does) straight to the raw consumer's queue at scheduled instants between the
    alerts': the broker's own hop under the same load."""

    def __init__(self, url: str, due: list[float], tag: str):
        super().__init__(name="raw-hop", daemon=True)
        self.url, self.due, self.tag = url, due, tag
        self.scheduled: dict[str, float] = {}

    def run(self) -> None:
        conn = pika.BlockingConnection(pika.URLParameters(self.url))
        channel = conn.channel()
        channel.confirm_delivery()
        key = partner_routing_key(RAW.audience, RAW.territory, RAW.unit, "dispatch")
        properties = pika.BasicProperties(content_type="application/json", delivery_mode=2)
        for index, at in enumerate(self.due):
            delay = at - time.time()
            if delay > 0:
                time.sleep(delay)
            raw_id = f"raw-{self.tag}-{index}"
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
            self.scheduled[raw_id] = at
            channel.basic_publish(PARTNER_EXCHANGE, key, body.model_dump_json().encode(), properties, mandatory=True)
        conn.close()
