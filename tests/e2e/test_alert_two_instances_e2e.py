"""Two instances of the alert service on one shared store (the durable local store) and
the real broker: every message is published once and every failsafe fires once.

Both processes serve the same RPC queue, handle the same events, and run their deadline
scan and outbox relay far more often than in production (every 0.1 s and 0.05 s), so
the immediate publish after a write, the relay of the same instance and the relay and
scan of the other instance all race on each alert."""

from collections import Counter
from datetime import UTC, datetime

import pymongo
import pytest
from kombu import Connection
from nameko import config
from nameko.standalone.rpc import ServiceRpcClient

from tgd_contracts.device import DeviceActivated, DeviceProvisioned, ForcesInformed
from tgd_servicekit.testing.bus import EventCapture
from tgd_servicekit.testing.partners import PartnerInbox
from tgd_servicekit.testing.processes import BIN, wait_until

from .alert_system import publish_event, start_fake_device

pytestmark = pytest.mark.e2e
ALERTS = 6
INSTANCES = ("alert-1", "alert-2")
NOW = datetime.now(UTC)
ATTRIBUTION = "att-e2e-0001"  # the fake device service's dossier names it


def device_id(n: int) -> str:
    return f"dev-twin-{n:04d}"


def attribute(uri: str, n: int) -> None:
    """Her device attributed, the forces informed, the device activated (as the device
    and notify services would publish)."""
    device, attribution = device_id(n), ATTRIBUTION
    provisioned = DeviceProvisioned(device_id=device, attribution_id=attribution, jurisdiction="tj-montlucon",
                                    department="03", home_insee_code="03185", provisioned_at=NOW)  # fmt: skip
    publish_event(uri, "device", "device_provisioned", provisioned)
    informed = ForcesInformed.consume({
        "attribution_id": attribution, "device_id": device, "jurisdiction": "tj-montlucon",
        "competent": {"audience": "police", "department": "03", "unit_code": "csp-montlucon", "unit_name": "x"},
        "acknowledged_at": NOW.isoformat()})  # fmt: skip
    publish_event(uri, "notify", "forces_informed", informed)


def activate(uri: str, n: int) -> None:
    activated = DeviceActivated(device_id=device_id(n), attribution_id=ATTRIBUTION, activated_at=NOW)
    publish_event(uri, "device", "device_activated", activated)


def consumers(uri: str, queue: str) -> int:
    with Connection(uri) as conn:
        return conn.default_channel.queue_declare(queue, passive=True).consumer_count


def test_two_alert_instances_publish_each_message_once_and_fire_each_failsafe_once(processes, vhost_uri):
    processes.env.update({
        "AMQP_URI": vhost_uri, "OUTBOX_RELAY_INTERVAL": "0.05", "ALERT_TICK_S": "0.1",
        "ALERT_FAILSAFE_DELAY_S": "1", "ALERT_ACK_DELAY_S": "600"})  # fmt: skip
    partners = PartnerInbox(vhost_uri, "#")
    raised = EventCapture(vhost_uri, "alert")
    start_fake_device(processes)
    for name in INSTANCES:
        processes.start(name, [str(BIN / "tgd-service"), "alert"])
    wait_until(lambda: consumers(vhost_uri, "rpc-alert") == len(INSTANCES), 60, "both instances serving")

    with config.patch({"AMQP_URI": vhost_uri}, clear=False), ServiceRpcClient("alert") as client:
        for n in range(ALERTS):
            attribute(vhost_uri, n)
        for n in range(ALERTS):  # the two instances handle events in parallel: activated once known
            wait_until(lambda n=n: client.device_routing(device_id=device_id(n))["competent"], 30, "the routing")
            activate(vhost_uri, n)
        for n in range(ALERTS):
            wait_until(lambda n=n: client.device_routing(device_id=device_id(n))["has_dossier"], 30, "the dossier")
        alert_ids = []
        for n in range(ALERTS):  # nobody takes them: each one's failsafe dispatches it after 1 s
            at = datetime.now(UTC).isoformat()
            position = {"lat": 46.3401, "lon": 2.6025, "accuracy_m": 18.5, "fixed_at": at}
            trigger = {"device_id": device_id(n), "press_id": f"p-twin-{n}", "triggered_at": at, "position": position}
            alert_ids.append(client.trigger_alert(trigger=trigger)["alert_id"])

        def all_dispatched():
            return all(client.get_alert(alert_id=a)["state"] == "dispatched" for a in alert_ids)

        wait_until(all_dispatched, 30, "every failsafe")
        views = {a: client.get_alert(alert_id=a) for a in alert_ids}

    raised.wait_for("alert_raised", count=ALERTS, timeout=15)
    recipients = {a: len(v["deliveries"]) for a, v in views.items()}
    partners.wait_for(lambda m: True, count=sum(recipients.values()), timeout=15)
    partners.drain(2.0)  # many more relay passes and scans: nothing more may come
    raised.drain(0.5)

    partners.close()
    raised.close()
    bodies = [m.body for m in partners.messages]
    ids = Counter(b["id"] for b in bodies)
    assert [i for i, count in ids.items() if count > 1] == []  # no envelope published twice
    per_alert = Counter(b["subject"] for b in bodies)
    assert per_alert == Counter(recipients)  # one dispatch per recipient, one failsafe per alert
    for alert_id, view in views.items():
        assert all(d["attempts"] == 1 for d in view["deliveries"]), view["deliveries"]
    raised_ids = [m.body["id"] for m in raised.messages]
    assert len(raised_ids) == ALERTS == len(set(raised_ids))

    store = pymongo.MongoClient(processes.env["MONGODB_URI"])
    try:
        alerts = store[f"{processes.env['MONGODB_DB_PREFIX']}_alert"]["alerts"]
        entries = [e for doc in alerts.find({}, {"outbox": 1}) for e in doc.get("outbox", [])]
    finally:
        store.close()
    assert entries
    assert all(e["published"] and not e["failed"] for e in entries)
    print(f"\npublished by (host:pid:nonce): {Counter(e.get('claimed_by') for e in entries)}")
