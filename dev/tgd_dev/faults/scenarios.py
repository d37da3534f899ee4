"""The faults, each injected once during a burst of alerts.

A scenario's ``inject`` runs in a thread while the burst goes on: it waits until a
third of the burst was sent, breaks something, waits ``down_s``, repairs it, and
records when (the fault window). ``after`` runs once the burst is over (duplicates
replayed to a partner). ``copies`` sends every press that many times at once.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import pika

from tgd_contracts.partners import (
    PARTNER_EXCHANGE,
    PARTNER_REPLY_EXCHANGE,
    MessageKind,
    partner_queue_name,
    partner_routing_key,
)
from tgd_dev.faults.private_broker import PrivateBroker
from tgd_dev.faults.report import FaultWindow
from tgd_dev.faults.system import PARTNERS, STORE, System
from tgd_servicekit.testing.bus import publish_raw

DOWN_S = 2.0


@dataclass
class Context:
    system: System
    broker: PrivateBroker
    window: FaultWindow = field(default_factory=FaultWindow)
    injected_malformed: int = 0
    alert_ids: set[str] = field(default_factory=set)  # the alerts of this scenario
    health_seen: list[int] = field(default_factory=list)  # the gateway's /health status codes during the fault


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    inject: Callable[[Context], None] | None = None
    after: Callable[[Context], None] | None = None
    copies: int = 1


def _kill_and_restart(*names: str) -> Callable[[Context], None]:
    def inject(ctx: Context) -> None:
        ctx.window.injected_at = time.time()
        for name in names:
            ctx.system.kill(name)
            time.sleep(DOWN_S)
            ctx.system.restart(name)
        ctx.window.restored_at = time.time()

    return inject


def _restart_broker(ctx: Context) -> None:
    """While the broker is down the gateway must say so (``/health`` 503), then recover."""
    done = threading.Event()

    def watch_health() -> None:
        while not done.is_set():
            try:
                ctx.health_seen.append(httpx.get(f"{ctx.system.base}/health", timeout=1).status_code)
            except httpx.HTTPError:
                ctx.health_seen.append(0)
            time.sleep(0.25)

    watcher = threading.Thread(target=watch_health, name="health-watch")
    ctx.window.injected_at = time.time()
    watcher.start()
    try:
        ctx.broker.restart(down_s=DOWN_S)
        ctx.window.restored_at = time.time()
        ctx.system.wait_healthy()
    finally:
        done.set()
        watcher.join()


MALFORMED = (
    b"{not json",
    json.dumps({"specversion": "1.0", "type": "fr.tgd.partner_acknowledged", "id": "x"}).encode(),
    b"\xff\xfe binary",
)


def _inject_malformed(ctx: Context) -> None:
    """Broken messages where the alert path listens: a partner's reply queue (read by
    the alert service), the alert service's device events, and a partner's own queue."""
    police = PARTNERS["police"]
    targets = [
        (
            PARTNER_REPLY_EXCHANGE,
            partner_routing_key(police.audience, police.territory, police.unit, MessageKind.ACKNOWLEDGEMENT),
        ),
        ("device.events", "device_activated"),
        (PARTNER_EXCHANGE, partner_routing_key(police.audience, police.territory, police.unit, MessageKind.DISPATCH)),
    ]
    ctx.window.injected_at = time.time()
    for exchange, key in targets:
        for body in MALFORMED:
            publish_raw(ctx.broker.uri, exchange, key, body, delivery_mode=2)
            ctx.injected_malformed += 1
    ctx.window.restored_at = time.time()


def _replay_dispatches_to_police(ctx: Context) -> None:
    """Every dispatch the police consumer acted on is delivered to it again, same
    CloudEvent id (what a redelivery after a lost acknowledgement looks like)."""
    police = PARTNERS["police"]
    queue = partner_queue_name(police.audience, police.territory, police.unit)
    path = ctx.system.files["police"]
    lines = path.read_text().splitlines() if path.exists() else []
    conn = pika.BlockingConnection(pika.URLParameters(ctx.broker.url))
    try:
        channel = conn.channel()
        channel.confirm_delivery()
        for line in lines:
            event = json.loads(line)["event"]
            if event.get("subject") not in ctx.alert_ids:
                continue  # another scenario's
            channel.basic_publish(
                "", queue, json.dumps(event).encode(), pika.BasicProperties(delivery_mode=2, message_id=event["id"])
            )
    finally:
        conn.close()


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario("baseline", "no fault"),
        Scenario("kill-gateway", "kill -9 the gateway, restart it", _kill_and_restart("gateway")),
        Scenario(
            "kill-device", "kill -9 the device service (the dossier source), restart it", _kill_and_restart("device")
        ),
        Scenario(
            "kill-other-services",
            "kill -9 notify, evaluation and referral in turn, restarting each",
            _kill_and_restart("notify", "evaluation", "referral"),
        ),
        Scenario(
            "kill-partner-consumer",
            "kill -9 the police's consumer, restart it",
            _kill_and_restart("consumer-police"),
        ),
        Scenario("restart-broker", "stop RabbitMQ, start it again", _restart_broker),
        Scenario(
            "duplicates",
            "every press sent twice at once; every police dispatch delivered twice",
            after=_replay_dispatches_to_police,
            copies=2,
        ),
        Scenario("malformed", "malformed messages on the alert path's queues", _inject_malformed),
        Scenario(
            "kill-store",
            "kill -9 the durable local store (every service's database), restart it on the same files",
            _kill_and_restart(STORE),
        ),
        Scenario("kill-alert", "kill -9 the alert service, restart it", _kill_and_restart("alert")),
    )
}
CI_SCENARIOS = ("restart-broker", "kill-partner-consumer", "kill-store")
NEEDS_STORE = ("kill-store",)  # not with --mongodb-uri: the run does not own that database
