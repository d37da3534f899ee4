"""The attributions the bench (and the fault suite) provision: the events the device and
notify services would send for each device, and the probe that waits until the alert
service holds every device active with its competent unit."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import httpx
import pika

from tgd_contracts.device import DeviceActivated, DeviceProvisioned, ForcesInformed
from tgd_contracts.envelope import build_envelope
from tgd_dev.bench_load import platform_headers

POLICE_UNIT = "csp-bench"  # the police unit competent for every bench device


def provision(url: str, devices: list[str]) -> None:
    """The events the device and notify services would send for each attribution."""
    now = datetime.now(UTC)
    conn = pika.BlockingConnection(pika.URLParameters(url))
    channel = conn.channel()
    channel.confirm_delivery()
    for device in devices:
        attribution = f"att-{device}"
        competent = {"audience": "police", "department": "03", "unit_code": POLICE_UNIT, "unit_name": "b"}
        informed = {
            "attribution_id": attribution,
            "device_id": device,
            "jurisdiction": "tj-montlucon",
            "acknowledged_at": now.isoformat(),
        }
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
            ("notify", "forces_informed", ForcesInformed.consume({**informed, "competent": competent})),
            (
                "device",
                "device_activated",
                DeviceActivated(device_id=device, attribution_id=attribution, activated_at=now),
            ),
        ):
            envelope = build_envelope(source_service=source, event_name=name, subject=device, data=data)
            properties = pika.BasicProperties(content_type="application/json", delivery_mode=2)
            channel.basic_publish(f"{source}.events", name, envelope.model_dump_json().encode(), properties)
    conn.close()


def ready_devices(base: str, devices: list[str], ready: set[str] | None = None) -> bool:
    """Is every device active with its competent unit known in the alert service? ``ready``
    keeps the devices already seen ready across calls, so that a probe of hundreds of
    devices does not spend the platform client's rate limit again on each pass; a 429
    means "ask again later", never "not ready"."""
    ready = set() if ready is None else ready
    with httpx.Client(base_url=base, timeout=10, headers=platform_headers("bench-probe")) as client:
        for device in reversed(devices):
            if device in ready:
                continue
            answer = client.get(f"/v1/device-alerts/devices/{device}")
            if answer.status_code == 429:
                time.sleep(float(answer.headers.get("Retry-After", "1")))
                return False
            facts = answer.json()
            if not (facts.get("active") and facts.get("competent")):
                return False
            ready.add(device)
    return True
