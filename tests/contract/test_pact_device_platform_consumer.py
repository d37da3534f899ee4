"""Pact, consumer side: the teleassistance device platform (plateforme de
téléassistance) that receives the presses of the alert key and the devices' positions,
and hands them to the gateway.

The platform's client below is what it relies on: a press answered 202 with the
alert's id, a position answered 202, a malformed press refused with the error shape
(422 ``invalid_request`` and its details). The pact is checked in (docs/pacts/) and
verified against the running gateway by test_pact_gateway_provider.py, with the
national teleassistance platform's token. ``TGD_UPDATE_PACTS=1`` regenerates it.
"""

import json
import os
from pathlib import Path

import httpx
import pytest
from pact import Pact, match

PACTS = Path(__file__).resolve().parents[2] / "docs" / "pacts"
CONSUMER, PROVIDER = "device-platform", "tgd-gateway"
PACT_FILE = f"{CONSUMER}-{PROVIDER}.json"
ID = r"^[0-9a-f]{32}$"
AT = "2026-11-22T22:00:00+00:00"
POSITION = {"lat": 46.3401, "lon": 2.6025, "accuracy_m": 18.5, "fixed_at": AT}
PRESS = {"device_id": "dev-pact-0001", "press_id": "press-pact-0001", "triggered_at": AT, "position": POSITION}
MOVED = {"device_id": "dev-pact-0002", "position": {**POSITION, "lat": 46.3410}}
#: the press that opens the alert of the position interaction (provider state)
OPEN_ALERT_PRESS = {"device_id": "dev-pact-0002", "press_id": "press-pact-0002", "triggered_at": AT}


class DevicePlatformClient:
    """What the device platform's software does with the gateway."""

    def __init__(self, base_url: str):
        self.http = httpx.Client(base_url=base_url, timeout=10)

    def press(self, trigger: dict) -> str:
        """Hand a press over; returns the alert's id (retry on anything but 202/422)."""
        response = self.http.post("/v1/device-alerts", json=trigger)
        if response.status_code == 422:
            body = response.json()
            raise Refused(body["error"], [d["location"] for d in body.get("details", [])])
        assert response.status_code == 202, response.status_code
        return response.json()["alert_id"]

    def position(self, update: dict) -> str:
        response = self.http.post("/v1/device-alerts/positions", json=update)
        assert response.status_code == 202, response.status_code
        return response.json()["alert_id"]


class Refused(Exception):
    def __init__(self, code: str, locations: list[str]):
        super().__init__(f"{code}: {locations}")
        self.code, self.locations = code, locations


def define(pact: Pact) -> None:
    (
        pact.upon_receiving("a press of the alert key")
        .with_request("POST", "/v1/device-alerts")
        .with_body(PRESS, "application/json")
        .will_respond_with(202)
        .with_body(
            {
                "alert_id": match.regex("0123456789abcdef0123456789abcdef", regex=ID),
                "joined": match.bool(False),
                "duplicate": match.bool(False),
            },
            "application/json",
        )
    )
    (
        pact.upon_receiving("a new position of a device whose alert is open")
        .given("an alert is open for the device dev-pact-0002")
        .with_request("POST", "/v1/device-alerts/positions")
        .with_body(MOVED, "application/json")
        .will_respond_with(202)
        .with_body({"alert_id": match.regex("0123456789abcdef0123456789abcdef", regex=ID)}, "application/json")
    )
    (
        pact.upon_receiving("a press without its device id")
        .with_request("POST", "/v1/device-alerts")
        .with_body({k: v for k, v in PRESS.items() if k != "device_id"}, "application/json")
        .will_respond_with(422)
        .with_body(
            {
                "error": "invalid_request",
                "message": match.str("The request does not match the expected schema."),
                "details": match.each_like(
                    {"location": match.str("body.device_id"), "type": match.str("missing"), "message": match.str("x")}
                ),
            },
            "application/json",
        )
    )


def exercise(client: DevicePlatformClient) -> None:
    assert len(client.press(PRESS)) == 32
    assert len(client.position(MOVED)) == 32
    with pytest.raises(Refused) as refused:
        client.press({k: v for k, v in PRESS.items() if k != "device_id"})
    assert refused.value.code == "invalid_request"
    assert refused.value.locations == ["body.device_id"]


def test_the_device_platform_pact_matches_the_checked_in_one(tmp_path):
    pact = Pact(CONSUMER, PROVIDER).with_specification("V4")
    define(pact)
    with pact.serve(addr="127.0.0.1") as server:
        exercise(DevicePlatformClient(str(server.url)))
    pact.write_file(tmp_path, overwrite=True)
    generated = json.loads((tmp_path / PACT_FILE).read_text())
    assert len(generated["interactions"]) == 3
    if os.environ.get("TGD_UPDATE_PACTS"):
        (PACTS / PACT_FILE).write_text(json.dumps(generated, indent=2, sort_keys=True) + "\n")
    checked_in = json.loads((PACTS / PACT_FILE).read_text())
    assert generated == checked_in, "the device platform's expectations changed: review, then TGD_UPDATE_PACTS=1"
