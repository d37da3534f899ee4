"""The faults, each injected once during a burst of alerts.

A scenario's ``inject`` runs in a thread while the burst goes on: it waits until a
third of the burst was sent, breaks something, waits ``down_s``, repairs it, and
records when (the fault window). ``after`` runs once the burst is over (duplicates
replayed to a partner). ``copies`` sends every press that many times at once.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pika

from tgd_cli.faults.private_broker import PrivateBroker
from tgd_cli.faults.report import FaultWindow
from tgd_cli.faults.system import PARTNERS, System
from tgd_contracts.partners import (
    PARTNER_EXCHANGE,
    PARTNER_REPLY_EXCHANGE,
    MessageKind,
    partner_queue_name,
    partner_routing_key,
)

DOWN_S = 2.0


@dataclass
class Context:
    system: System
    broker: PrivateBroker
    window: FaultWindow = field(default_factory=FaultWindow)
    injected_malformed: int = 0


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
    ctx.window.injected_at = time.time()
    ctx.broker.restart(down_s=DOWN_S)
    ctx.window.restored_at = time.time()


def _publish(ctx: Context, exchange: str, routing_key: str, body: bytes) -> None:
    conn = pika.BlockingConnection(pika.URLParameters(ctx.broker.url))
    try:
        channel = conn.channel()
        channel.confirm_delivery()
        channel.basic_publish(exchange, routing_key, body, pika.BasicProperties(delivery_mode=2), mandatory=True)
    finally:
        conn.close()


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
            _publish(ctx, exchange, key, body)
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
        Scenario("kill-alert", "kill -9 the alert service, restart it", _kill_and_restart("alert")),
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
    )
}
CI_SCENARIOS = ("restart-broker", "kill-partner-consumer")
