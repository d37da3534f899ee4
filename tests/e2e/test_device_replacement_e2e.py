# ruff: noqa: F811  (the ``who`` fixture is imported from test_lifecycle_e2e)
"""End to end with the real processes: her phone is lost during the measure. A terminal
of the court's stock replaces it; the forces informed get a ``device_replaced`` notice
with their own view; a press on the new terminal reaches the alert service with her
units; a press on the lost one is recorded and flagged; a transfer to another
department is refused and changes nothing."""

from datetime import UTC, datetime

import httpx
import pytest

from tgd_contracts.envelope import Envelope
from tgd_servicekit.testing.partners import PartnerInbox
from tgd_servicekit.testing.processes import wait_until

from .lifecycle_bodies import device
from .test_lifecycle_e2e import DEVICE, FICHE, granted_attribution, ok, start_system, who  # noqa: F401
from .test_partners_e2e import acknowledge

pytestmark = pytest.mark.e2e
SPARE = device(2, imei="356938035643809")
CALLS = ({"direction": "operator_to_beneficiary", "succeeded": True},
         {"direction": "beneficiary_to_operator", "succeeded": True})  # fmt: skip


def data(message):
    return Envelope.consume(message.body).data


def notice(unit, purpose):
    return lambda m: m.routing_key.endswith(f".{unit}.notice") and data(m)["purpose"] == purpose


def press(base, who, device_id, press_id):
    at = datetime.now(UTC).isoformat()
    body = {"device_id": device_id, "press_id": press_id, "triggered_at": at}
    return ok(httpx.post(f"{base}/v1/device-alerts", json=body, headers=who["operator"]), 202)


def test_a_lost_phone_is_replaced_the_forces_told_and_alerts_follow_the_new_one(
    processes, vhost_uri, captured_events, who
):
    capture = captured_events("device")
    partners = PartnerInbox(vhost_uri, "#")
    base = start_system(processes, vhost_uri, {}, who)
    processes.start_service("alert")
    try:  # the alert service's queues exist before the first device event
        alerts_up = lambda: httpx.get(f"{base}/v1/alerts", headers=who["operator"]).status_code == 200  # noqa: E731
        wait_until(alerts_up, 30, "the alert service")
        old = ok(httpx.post(f"{base}/v1/devices", json=DEVICE, headers=who["operator"]), 201)["device_id"]
        _, attribution_id = granted_attribution(base, "e2e-replacement-0001", who)
        ok(httpx.post(f"{base}/v1/attributions/{attribution_id}/fiche-navette", json=FICHE, headers=who["parquet"]))
        for call in CALLS:
            ok(httpx.post(f"{base}/v1/devices/{old}/test-calls", json=call, headers=who["operator"]))
        for unit, partner in (
            ("csp-fictive-a", "police-unit"),
            ("ddsp-03", "police-ddsp"),
            ("ggd-03", "gendarmerie-group"),
        ):
            acknowledge(base, who, partners, notice(unit, "attribution"), unit, partner)
        routing = f"{base}/v1/device-alerts/devices"

        def ready(device_id):
            facts = httpx.get(f"{routing}/{device_id}", headers=who["operator"]).json()
            return facts if facts["active"] and facts["competent"] else None

        wait_until(lambda: ready(old), 30, "the old terminal active with her units in the alert service")

        # out of stock: a clear refusal, her phone unchanged
        replace_url = f"{base}/v1/attributions/{attribution_id}/device-replacement"
        lost = {"reason": "lost", "reported_by": "Opérateur (fictif)"}
        none_left = httpx.post(replace_url, json=lost, headers=who["operator"])
        assert (none_left.status_code, none_left.json()["error"]) == (409, "out_of_stock")
        capture.wait_for("device_out_of_stock")

        # a spare terminal in Moulins; a transfer to another department is refused, nothing changes
        spare = ok(httpx.post(f"{base}/v1/devices", json=SPARE, headers=who["operator"]), 201)["device_id"]
        transfer = {"to_jurisdiction": "tj-nanterre", "requested_by": "Parquet (fictif)"}
        refused = httpx.post(f"{base}/v1/devices/{spare}/transfer", json=transfer, headers=who["parquet"])
        assert (refused.status_code, refused.json()["error"]) == (409, "court_outside_department")
        stock = ok(httpx.get(f"{base}/v1/devices?jurisdiction=tj-moulins", headers=who["parquet"]))
        assert {d["device_id"]: d["state"] for d in stock["items"]} == {old: "active", spare: "in_stock"}

        # the replacement
        view = ok(httpx.post(replace_url, json=lost, headers=who["operator"]))
        assert (view["device_id"], view["status"]) == (spare, "provisioned")
        (replaced,) = capture.wait_for("device_replaced")
        assert (data(replaced)["device_id"], data(replaced)["previous_device_id"]) == (spare, old)

        replaced_notice = notice("csp-fictive-a", "device_replaced")
        (told,) = [m for m in partners.wait_for(replaced_notice) if replaced_notice(m)]
        assert (data(told)["device_id"], data(told)["previous_device_id"]) == (spare, old)
        assert data(told)["beneficiary"]["identity"]["surname"] == "EXEMPLE-CYCLE"

        # the alert service: the new terminal is hers, the old one flagged
        facts = wait_until(
            lambda: (f := httpx.get(f"{routing}/{spare}", headers=who["operator"]).json())["attribution_id"] and f,
            30,
            "the new terminal in the alert service's read model",
        )
        assert (facts["attribution_id"], facts["jurisdiction"]) == (attribution_id, "tj-moulins")
        assert facts["competent"]["unit"] == "csp-fictive-a"  # her units, at once
        assert facts["has_dossier"]
        from_new = press(base, who, spare, "e2e-replacement-press-1")
        assert "replaced_device" not in from_new["flags"]
        from_old = press(base, who, old, "e2e-replacement-press-2")
        assert "replaced_device" in from_old["flags"]
        assert from_old["alert_id"] != from_new["alert_id"]  # recorded, never dropped
        stock = ok(httpx.get(f"{base}/v1/devices?jurisdiction=tj-moulins", headers=who["parquet"]))
        assert {d["device_id"]: d["state"] for d in stock["items"]} == {old: "lost", spare: "assigned"}
    finally:
        partners.close()
