"""``tgd migrate alert-records`` and ``tgd keys rotate`` against a running alert service
on the durable local store: records of the earlier layout (sealed leaf by leaf) are
converted, then nothing is left to do."""

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tgd_servicekit.testing.processes import wait_until

pytestmark = pytest.mark.e2e
BIN = Path(sys.executable).parent
T0 = datetime(2026, 6, 1, 22, 0, tzinfo=UTC)


def store_legacy_records(uri: str, db_name: str, count: int) -> list[str]:
    """Alert documents as the earlier layout wrote them (mongoengine, leaf by leaf)."""
    from alert import domain
    from alert.models import DB_ALIAS, AlertDocument
    from tgd_servicekit import crypto
    from tgd_servicekit.mongo import connect_database, disconnect_database

    crypto.configure(crypto.development_keyring())
    connect_database(DB_ALIAS, uri, db_name)
    try:
        ids = []
        for i in range(count):
            device = domain.DeviceFacts(device_id=f"dev-m{i}", known=True, active=True, jurisdiction="tj-moulins")
            alert = domain.raise_alert(
                alert_id=f"legacy-{i:03d}", device=device, press_id=f"p-{i}",
                triggered_at=T0 + timedelta(minutes=i), position=None, now=T0 + timedelta(minutes=i),
            )  # fmt: skip
            AlertDocument._get_collection().insert_one(
                AlertDocument(
                    alert_id=alert.alert_id, device_id=device.device_id, state="raised", open=True,
                    raised_at=alert.raised_at, press_ids=[f"p-{i}"], version=1, record=alert.model_dump(mode="json"),
                ).to_mongo().to_dict()
            )  # fmt: skip
            ids.append(alert.alert_id)
        return ids
    finally:
        disconnect_database(DB_ALIAS)


def raw_records(uri: str, db_name: str) -> list[dict]:
    from pymongo import MongoClient

    with MongoClient(uri) as client:
        return list(client[db_name]["alerts"].find({}, {"layout": 1, "record": 1, "sealed": 1, "summary": 1}))


def tgd(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "tgd"), *args], capture_output=True, text=True, timeout=180)


def declare_the_old_alert_raised_queue(vhost_uri: str) -> None:
    from kombu import Connection, Exchange, Queue

    from tgd_cli.migrate_cmd import ORPHAN_QUEUES
    from tgd_servicekit.topology import consumer_queue_arguments

    with Connection(vhost_uri) as conn:
        (name,) = ORPHAN_QUEUES
        exchange = Exchange("alert.events", type="topic", durable=True)
        Queue(name, exchange, "alert_raised", durable=True, queue_arguments=consumer_queue_arguments(name))(
            conn.channel()
        ).declare()


def test_migrate_converts_the_earlier_layout_on_the_local_store_then_finds_nothing(processes, vhost_uri):
    uri, db_name = processes.env["MONGODB_URI"], f"{processes.env['MONGODB_DB_PREFIX']}_alert"
    ids = store_legacy_records(uri, db_name, 7)
    declare_the_old_alert_raised_queue(vhost_uri)  # as the previous version of the service left it
    processes.env["AMQP_URI"] = vhost_uri
    processes.start_service("alert")
    wait_until(lambda: "starting services: alert" in processes.log("alert"), 60, "the alert service")

    first = wait_until(
        lambda: (r := tgd("migrate", "alert-records", "--amqp-uri", vhost_uri, "--batch", "3")).returncode == 0 and r,
        90,
        "a migration",
    )
    assert "7 converted, 0 resealed, 0 left" in first.stdout
    assert "deleted the queue(s) no longer consumed: evt-alert-alert_raised--alert.on_alert_raised" in first.stdout
    records = raw_records(uri, db_name)
    assert sorted(r["_id"] for r in records) == ids
    assert all(r["layout"] == 2 and "record" not in r and r["sealed"].startswith("enc:v1:") for r in records)
    assert {r["summary"]["jurisdiction"] for r in records} == {"tj-moulins"}

    again = tgd("migrate", "alert-records", "--amqp-uri", vhost_uri)
    assert again.returncode == 0
    assert "0 converted, 0 resealed, 0 left" in again.stdout  # idempotent
    assert "deleted the queue" not in again.stdout
    rotated = tgd("keys", "rotate", "--amqp-uri", vhost_uri, "--timeout", "30")
    assert "alert: resealed {'AlertDocument': 0, 'DeviceDocument': 0}" in rotated.stdout
