"""Helpers for the alert end-to-end tests: start the processes, feed the alert
service's read model with device and notify events, read the partners' files."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx

from tgd_contracts.device import DeviceActivated, DeviceProvisioned, DeviceReturned, ForcesInformed
from tgd_contracts.envelope import build_envelope
from tgd_servicekit.testing.bus import publish_envelope
from tgd_servicekit.testing.processes import BIN, free_port, wait_until
from tgd_testkit.tokens import auth_headers

PLATFORM = auth_headers("teleassistance", "*")  # the national teleassistance platform

HERE = Path(__file__).parent
NOW = datetime.now(UTC)
DEVICE = "dev-e2e-0001"
POLICE = {"audience": "police", "territory": "03", "unit": "csp-montlucon"}
GENDARMERIE = {"audience": "gendarmerie", "territory": "03", "unit": "bta-montlucon"}
ASSOCIATION = {"audience": "association", "territory": "tj-montlucon", "unit": "any"}
CENTRE = {"audience": "command", "territory": "03", "unit": "cic-03"}  # the CIC of the Allier (sample directory)
BACKUP = {"audience": "command", "territory": "03", "unit": "cic-63"}  # its backup centre


def prepare(processes, vhost_uri: str, traces: Path) -> None:
    """Every process started afterwards uses the test's vhost and exports its spans."""
    processes.env.update(
        {
            "AMQP_URI": vhost_uri,
            "OTEL_TRACES_EXPORTER": "otlp_json_file",
            "TGD_TRACES_FILE": str(traces / "{service}.jsonl"),
            "OTEL_BSP_SCHEDULE_DELAY": "200",
        }
    )


def start_alert_system(processes, **alert_env: str) -> str:
    processes.start_service("alert", extra_env=alert_env)
    port = free_port()
    processes.start_gateway(port)
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: httpx.get(f"{base}/health").json()["status"] == "ok", 30, "the gateway's health")
    wait_until(lambda: httpx.get(f"{base}/v1/alerts", headers=PLATFORM).status_code == 200, 30, "the alert service")
    return base


def start_fake_device(processes) -> None:
    processes.start("device", [sys.executable, str(HERE / "fake_device.py")])


def start_partner(processes, partner_url, recipient: dict, output: Path, *extra: str, name: str | None = None) -> None:
    """The reference consumer, with the broker user provisioned for this partner (never guest)."""
    url = partner_url(recipient)
    name = name or f"{recipient['audience']}"
    argv = [str(BIN / "tgd-partner-consumer"), "--amqp-url", url, "--output", str(output), *extra]
    argv += ["--audience", recipient["audience"], "--territory", recipient["territory"], "--unit", recipient["unit"]]
    processes.start(name, argv)


def publish_event(uri: str, source: str, event_name: str, data) -> None:
    envelope = build_envelope(source_service=source, event_name=event_name, subject=DEVICE, data=data)
    publish_envelope(uri, f"{source}.events", event_name, envelope.model_dump_json())


def reissue_device(uri: str, woman_2: dict) -> None:
    """Woman 1's attribution ends (device returned), then the device is given to woman 2:
    ``woman_2`` = attribution_id, jurisdiction, department, police unit (as the device and
    notify services would publish)."""
    returned = DeviceReturned(device_id=DEVICE, attribution_id="att-e2e-0001", returned_at=NOW)
    publish_event(uri, "device", "device_returned", returned)
    attribution = woman_2["attribution_id"]
    provisioned = DeviceProvisioned(
        device_id=DEVICE,
        attribution_id=attribution,
        jurisdiction=woman_2["jurisdiction"],
        department=woman_2["department"],
        home_insee_code=woman_2["insee_code"],
        provisioned_at=datetime.now(UTC),
    )
    publish_event(uri, "device", "device_provisioned", provisioned)
    department, unit = woman_2["department"], woman_2["unit"]
    competent = {"audience": "police", "department": department, "unit_code": unit, "unit_name": "x"}
    informed = ForcesInformed.consume(
        {
            "attribution_id": attribution,
            "device_id": DEVICE,
            "jurisdiction": woman_2["jurisdiction"],
            "competent": competent,
            "acknowledged_at": NOW.isoformat(),
        }
    )
    publish_event(uri, "notify", "forces_informed", informed)
    activated = DeviceActivated(device_id=DEVICE, attribution_id=attribution, activated_at=datetime.now(UTC))
    publish_event(uri, "device", "device_activated", activated)


def attribute_device(uri: str, base: str, expect_dossier: bool) -> dict:
    """Feed the events of an attribution (as the device and notify services would)."""
    publish_event(
        uri,
        "device",
        "device_provisioned",
        DeviceProvisioned(
            device_id=DEVICE,
            attribution_id="att-e2e-0001",
            jurisdiction="tj-montlucon",
            department="03",
            home_insee_code="03185",
            provisioned_at=NOW,
        ),
    )
    publish_event(
        uri,
        "notify",
        "forces_informed",
        ForcesInformed.consume(
            {
                "attribution_id": "att-e2e-0001",
                "device_id": DEVICE,
                "jurisdiction": "tj-montlucon",
                "competent": {"audience": "police", "department": "03", "unit_code": "csp-montlucon", "unit_name": "x"},
                "also_informed": [
                    {"audience": "gendarmerie", "department": "03", "unit_code": "bta-montlucon", "unit_name": "y"}
                ],
                "acknowledged_at": NOW.isoformat(),
            }
        ),
    )
    wait_until(
        lambda: httpx.get(f"{base}/v1/device-alerts/devices/{DEVICE}", headers=PLATFORM).json()["competent"],
        20,
        "routing",
    )
    publish_event(
        uri,
        "device",
        "device_activated",
        DeviceActivated(device_id=DEVICE, attribution_id="att-e2e-0001", activated_at=NOW),
    )

    def ready():
        facts = httpx.get(f"{base}/v1/device-alerts/devices/{DEVICE}", headers=PLATFORM).json()
        return facts if facts["active"] and (facts["has_dossier"] or not expect_dossier) else None

    return wait_until(ready, 20, "the device active in the alert service's read model")


def trigger(base: str, press_id: str) -> httpx.Response:
    at = datetime.now(UTC).isoformat()
    body = {
        "device_id": DEVICE,
        "press_id": press_id,
        "triggered_at": at,
        "position": {"lat": 46.3401, "lon": 2.6025, "accuracy_m": 18.5, "fixed_at": at},
    }
    return httpx.post(f"{base}/v1/device-alerts", json=body, headers=PLATFORM)


def lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text().splitlines()] if path.exists() else []


def messages(path: Path, alert_id: str, event_type: str) -> list[dict]:
    return [m for m in lines(path) if m["event"]["subject"] == alert_id and m["event"]["type"] == event_type]
