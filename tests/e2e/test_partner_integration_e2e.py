"""A police integrator's path, end to end, with the real processes (notify, alert, the
gateway) and the reference consumer run as the partners — police unit, gendarmerie
directorate, association, the departmental command centre, the CIC of the Allier and its
backup centre — each with the broker user that ``tgd broker provision-partner`` creates
(least privilege, never guest):

notice -> acknowledged over the bus (one late: escalated to the command centre first);
alert -> failsafe dispatch to the CIC (her home's police zone) with her home's unit and the
association, the CIC sent again, then escalated to its backup centre, which acknowledges;
the offline CIC and police unit come back and acknowledge what waited in their queues;
the outcome closes the alert and every addressee gets the closure; the other force is
never alerted.

Nothing is dead-lettered, the platform recorded every acknowledgement, and every message
that crossed ``tgd.partners`` or ``tgd.partner-replies`` is what docs/asyncapi.yaml says."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

import amqp
import httpx
import pytest

from tgd_contracts.device import DeviceActivated, DeviceProvisioned
from tgd_contracts.partners import PARTNER_EXCHANGE, PARTNER_REPLY_EXCHANGE, Audience
from tgd_servicekit.partner_access import PartnerAccount
from tgd_servicekit.testing.asyncapi_conformance import AsyncApiDocument
from tgd_servicekit.testing.bus import queue_depth
from tgd_servicekit.testing.partners import provisioned_partners
from tgd_servicekit.testing.processes import BIN, wait_until
from tgd_testkit.tokens import auth_headers

from .alert_system import PLATFORM, lines, prepare, publish_event, start_alert_system, trigger

pytestmark = pytest.mark.e2e
DOC = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.yaml"
DEVICE, ATTRIBUTION = "dev-e2e-0001", "att-e2e-partners"
POLICE = PartnerAccount(Audience.POLICE, "03", "csp-fictive-a")  # competent for commune 03901 (sample directory)
GENDARMERIE = PartnerAccount(Audience.GENDARMERIE, "03", "ggd-03")  # the other force's directorate
DDSP = PartnerAccount(Audience.POLICE, "03", "ddsp-03")  # the police unit's own directorate (notices only)
ASSOCIATION = PartnerAccount(Audience.ASSOCIATION, "tj-montlucon")
COMMAND = PartnerAccount(Audience.COMMAND, "03")  # the notices' escalations
CENTRE = PartnerAccount(Audience.COMMAND, "03", "cic-03")  # the CIC of 03 (sample operations centres)
BACKUP = PartnerAccount(Audience.COMMAND, "03", "cic-63")  # its backup centre for 03
ACCOUNTS = (POLICE, GENDARMERIE, ASSOCIATION, COMMAND, CENTRE, BACKUP)
ALERTED = (CENTRE, POLICE, ASSOCIATION, BACKUP)  # the addressees of the alert
CAPTURE = "capture-partner-exchanges"


def recipient(account: PartnerAccount) -> dict[str, str]:
    return {"audience": account.audience.value, "territory": account.territory, "unit": account.unit}


def start_consumer(processes, account: PartnerAccount, url: str, output: Path) -> None:
    r = recipient(account)
    argv = [str(BIN / "tgd-partner-consumer"), "--amqp-url", url, "--output", str(output)]
    argv += ["--audience", r["audience"], "--territory", r["territory"], "--unit", r["unit"]]
    processes.start(account.username, argv)


def received(path: Path, event_type: str) -> list[dict]:
    return [m for m in lines(path) if m["event"]["type"] == f"fr.tgd.{event_type}"]


def open_capture(vhost_uri: str) -> None:
    """The platform's side: one queue bound to both partner exchanges, read at the end."""
    vhost = unquote(vhost_uri.rsplit("/", 1)[1])
    with amqp.Connection("127.0.0.1:5672", userid="guest", password="guest", virtual_host=vhost) as conn:
        conn.connect()
        channel = conn.channel()
        channel.queue_declare(CAPTURE, durable=True, auto_delete=False)
        for exchange in (PARTNER_EXCHANGE, PARTNER_REPLY_EXCHANGE):
            channel.exchange_declare(exchange, "topic", durable=True, auto_delete=False)
            channel.queue_bind(CAPTURE, exchange, "#")


def captured(vhost_uri: str) -> list[tuple[str, str, dict, dict]]:
    vhost = unquote(vhost_uri.rsplit("/", 1)[1])
    out = []
    with amqp.Connection("127.0.0.1:5672", userid="guest", password="guest", virtual_host=vhost) as conn:
        conn.connect()
        channel = conn.channel()
        while (message := channel.basic_get(CAPTURE, no_ack=True)) is not None:
            info = message.delivery_info
            headers = dict(message.properties.get("application_headers") or {})
            out.append((info["exchange"], info["routing_key"], json.loads(message.body), headers))
    return out


def consumers(vhost_uri: str, queue: str) -> int:
    vhost = unquote(vhost_uri.rsplit("/", 1)[1])
    with amqp.Connection("127.0.0.1:5672", userid="guest", password="guest", virtual_host=vhost) as conn:
        conn.connect()
        return conn.channel().queue_declare(queue, passive=True).consumer_count


def test_four_provisioned_partners_receive_and_acknowledge_over_the_bus_as_the_asyncapi_says(
    processes, vhost_uri, broker, tmp_path, captured_events
):
    traces = tmp_path / "traces"
    traces.mkdir()
    files = {account: tmp_path / f"{account.username}.jsonl" for account in (*ACCOUNTS, DDSP)}
    prepare(processes, vhost_uri, traces)
    open_capture(vhost_uri)
    notify_events = captured_events("notify")
    with provisioned_partners(broker, vhost_uri, *ACCOUNTS, DDSP) as urls:
        assert all("guest" not in url for url in urls.values())
        processes.start_service("device")  # the dossier the notices carry (none here: ids only)
        processes.start_service(
            "notify",
            {"NOTICE_ESCALATE_AFTER": "PT2S", "NOTICE_RESEND_AFTER": "PT1H", "DEADLINE_CHECK_INTERVAL": "0.3",
             "OUTBOX_RELAY_INTERVAL": "0.5"},
        )  # fmt: skip
        base = start_alert_system(
            processes,
            ALERT_FAILSAFE_DELAY_S="1",
            ALERT_ACK_DELAY_S="1",
            ALERT_REPEATS="1",
            ALERT_TICK_S="0.2",
            ALERT_DOSSIER_TIMEOUT_S="0.3",
        )
        online = (POLICE, DDSP, ASSOCIATION, COMMAND, CENTRE, BACKUP)  # the gendarmerie is offline for now
        for account in online:
            start_consumer(processes, account, urls[account], files[account])
        for account in online:
            wait_until(lambda a=account: consumers(vhost_uri, a.queue), 30, f"{account.username} consuming")

        # -- notices: the police acknowledges at once; the gendarmerie's is escalated, then acknowledged
        now = datetime.now(UTC)
        publish_event(vhost_uri, "device", "device_provisioned", DeviceProvisioned(
            device_id=DEVICE, attribution_id=ATTRIBUTION, jurisdiction="tj-montlucon", department="03",
            home_insee_code="03901", provisioned_at=now))  # fmt: skip

        def gendarmerie_notice_escalated():
            found = received(files[COMMAND], "notice_escalation")
            return [m for m in found if m["event"]["data"]["unit_code"] == GENDARMERIE.unit]

        (escalated,) = wait_until(gendarmerie_notice_escalated, 30, "the escalation of the gendarmerie's notice")
        assert escalated["routing_key"] == "command.03.any.escalation"
        start_consumer(processes, GENDARMERIE, urls[GENDARMERIE], files[GENDARMERIE])
        (informed,) = notify_events.wait_for("forces_informed", timeout=30)  # every notice acknowledged
        data = json.loads(informed.body)["data"] if isinstance(informed.body, str | bytes) else informed.body["data"]
        assert data["competent"]["unit_code"] == POLICE.unit
        assert [u["unit_code"] for u in data["also_informed"]] == [DDSP.unit, GENDARMERIE.unit]
        wait_until(
            lambda: httpx.get(f"{base}/v1/device-alerts/devices/{DEVICE}", headers=PLATFORM).json()["competent"],
            20,
            "the routing in the alert service",
        )
        publish_event(vhost_uri, "device", "device_activated",
                      DeviceActivated(device_id=DEVICE, attribution_id=ATTRIBUTION, activated_at=now))  # fmt: skip
        wait_until(
            lambda: httpx.get(f"{base}/v1/device-alerts/devices/{DEVICE}", headers=PLATFORM).json()["active"],
            20,
            "the device active",
        )

        # -- an alert while the CIC and the police unit are offline: the ladder reaches the backup
        processes.stop(POLICE.username)
        processes.stop(CENTRE.username)
        alert_id = trigger(base, "press-e2e-partners").json()["alert_id"]

        def alert():
            return httpx.get(f"{base}/v1/alerts/{alert_id}", headers=PLATFORM).json()

        def acknowledged(account):
            return [d for d in alert()["deliveries"] if d["recipient"] == recipient(account) and d["acknowledged_at"]]

        wait_until(lambda: acknowledged(BACKUP), 30, "the backup centre's acknowledgement")
        processes.restart(POLICE.username)
        processes.restart(CENTRE.username)
        for account in ALERTED:
            wait_until(lambda a=account: acknowledged(a), 30, f"{account.username}'s acknowledgement over the bus")
        deliveries = alert()["deliveries"]
        assert [d["recipient"] for d in deliveries] == [recipient(a) for a in ALERTED]  # never the gendarmerie
        assert all(d["acknowledged_at"] for d in deliveries)
        police_dispatches = received(files[POLICE], "partner_dispatch")
        assert [m["routing_key"] for m in police_dispatches] == ["police.03.csp-fictive-a.dispatch"] * 2  # + repeat
        centre_dispatches = received(files[CENTRE], "partner_dispatch")
        assert [m["routing_key"] for m in centre_dispatches] == ["command.03.cic-03.dispatch"] * 2  # ladder: again
        escalations = received(files[BACKUP], "partner_dispatch")
        assert {m["routing_key"] for m in escalations} == {"command.03.cic-63.escalation"}
        assert received(files[GENDARMERIE], "partner_dispatch") == []

        # -- the outcome closes the alert; every addressee gets the closure
        report = {"recipient": recipient(POLICE), "result": "on_site", "note": "Compte rendu fictif."}
        police_unit = auth_headers("police", "tj-montlucon", unit=POLICE.unit)
        closed = httpx.post(f"{base}/v1/alerts/{alert_id}/outcome", json=report, headers=police_unit)
        assert closed.status_code == 200, closed.text
        for account in ALERTED:
            wait_until(
                lambda a=account: received(files[a], "partner_closure"), 20, f"the closure at {account.username}"
            )
        for account in ACCOUNTS:  # everything addressed to a partner was consumed by it
            wait_until(lambda a=account: queue_depth(vhost_uri, a.queue) == 0, 20, f"{account.queue} drained")
        assert queue_depth(vhost_uri, "tgd.dead-letters") == 0

    # -- every message on the partner exchanges is what the AsyncAPI document describes
    document = AsyncApiDocument(DOC)
    messages = captured(vhost_uri)
    problems = {f"{x} {k} {b.get('type')}": document.check(x, k, b, h) for x, k, b, h in messages}
    assert {where: p for where, p in problems.items() if p} == {}
    seen = {(x, k.rsplit(".", 1)[1], b["type"].removeprefix("fr.tgd.")) for x, k, b, _ in messages}
    assert seen >= {
        (PARTNER_EXCHANGE, "notice", "attribution_notice"),
        (PARTNER_EXCHANGE, "escalation", "notice_escalation"),
        (PARTNER_EXCHANGE, "dispatch", "partner_dispatch"),
        (PARTNER_EXCHANGE, "escalation", "partner_dispatch"),
        (PARTNER_EXCHANGE, "closure", "partner_closure"),
        (PARTNER_REPLY_EXCHANGE, "notice-acknowledgement", "notice_acknowledged"),
        (PARTNER_REPLY_EXCHANGE, "acknowledgement", "partner_acknowledged"),
    }
    repliers = {b["source"] for x, _, b, _ in messages if x == PARTNER_REPLY_EXCHANGE}
    answering = (POLICE, DDSP, GENDARMERIE, ASSOCIATION, CENTRE, BACKUP)  # a notice's escalation needs no reply
    assert repliers == {f"/tgd/{account.username}" for account in answering}  # each answered as itself
