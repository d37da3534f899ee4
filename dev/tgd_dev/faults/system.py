"""The real processes of one fault run, on the private broker: the durable local store
(in the run's own directory; or the MongoDB of ``--mongodb-uri``), every service, the
gateway and the reference consumers of the partners an alert of the run reaches."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import httpx

from tgd_contracts.alert import Recipient
from tgd_dev.bench import ASSOCIATION, CENTRE, POLICE, start_consumer
from tgd_dev.bench_load import platform_headers
from tgd_servicekit.testing.processes import ProcessGroup, free_port, wait_until

SERVICES = ("referral", "evaluation", "device", "notify", "alert")
STORE = "store"
PARTNERS: dict[str, Recipient] = {"centre": CENTRE, "police": POLICE, "association": ASSOCIATION}


class System:
    def __init__(self, workdir: Path, amqp_uri: str, amqp_url: str, mongodb_uri: str | None = None):
        self.amqp_url = amqp_url
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            "AMQP_URI": amqp_uri,
            "OTEL_TRACES_EXPORTER": "none",
            # the failsafe keeps its real delay (30 s): an alert the operator has not decided
            # in time is dispatched automatically, which is part of what is being proven
            "ALERT_ACK_DELAY_S": "600",  # no repeats: partners acknowledge, a repeat would be noise
            "ALERT_DOSSIER_TIMEOUT_S": "0.5",
            "ALERT_MAX_WORKERS": "40",
            "OUTBOX_RELAY_INTERVAL": "1",
            "TGD_GATEWAY_RATE_PER_S": "100000",  # one client sends every press
            "TGD_GATEWAY_RATE_BURST": "100000",
        }
        if mongodb_uri:  # every service on that MongoDB (one database each)
            env["MONGODB_URI"] = mongodb_uri
        self.mongodb_uri = mongodb_uri
        self.storage = "mongodb (--mongodb-uri)" if mongodb_uri else "local store (SecantusDB, fsync per commit)"
        self.group = ProcessGroup(workdir, env=env)
        self.files = {name: workdir / f"partner-{name}.jsonl" for name in PARTNERS}

    def start(self) -> None:
        if not self.mongodb_uri:
            self.group.start_store(STORE)  # in the run's directory, on a port of its own
        for service in SERVICES:
            self.group.start_service(service)
        self.group.start_gateway(self.port)
        for name, who in PARTNERS.items():
            start_consumer(self.group, self.amqp_url, who, self.files[name], name=f"consumer-{name}")
        self.wait_ready()

    def wait_ready(self, timeout: float = 120) -> None:
        wait_until(
            lambda: httpx.get(f"{self.base}/v1/alerts", headers=platform_headers(), timeout=2).status_code == 200,
            timeout,
            "the gateway and the alert service",
        )
        wait_until(lambda: all(self.consuming(n) for n in PARTNERS), 60, "the partner consumers")

    def consuming(self, partner: str) -> bool:
        return "consuming" in self.group.log(f"consumer-{partner}")

    def kill(self, name: str) -> None:
        """``kill -9``: no shutdown, no flush, no acknowledgement."""
        self.group.stop(name, sig=signal.SIGKILL, timeout=5)

    def restart(self, name: str) -> None:
        self.group.restart(name)

    def healthy(self) -> bool:
        try:
            return httpx.get(f"{self.base}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def wait_healthy(self, timeout: float = 120) -> float:
        started = time.monotonic()
        wait_until(self.healthy, timeout, "the gateway's health")
        return time.monotonic() - started

    def stop(self) -> None:
        self.group.stop_all()
