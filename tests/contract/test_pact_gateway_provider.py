"""Pact, provider side: the HTTP pacts (docs/pacts/*-tgd-gateway.json) replayed against
the RUNNING gateway — the real processes (gateway, referral and alert services) on a
throwaway vhost, started as in production. Provider states are reached through the API
itself. The verifier sends each consumer's bearer token with every interaction (tokens
expire, so a pact never records one): the referral partner is the association of
Moulins, the device platform is the national teleassistance platform."""

import json
from pathlib import Path

import httpx
import pytest
from pact import Verifier

from tgd_servicekit.testing.processes import free_port, wait_until
from tgd_testkit.tokens import auth_headers

pytestmark = pytest.mark.e2e
PACTS = Path(__file__).resolve().parents[2] / "docs" / "pacts"
PACT = PACTS / "referral-partner-tgd-gateway.json"
REFERRAL = {
    "referrer": {"kind": "social_worker", "organisation": "Association Fictive"},
    "victim": {"surname": "EXEMPLE-ETAT", "first_names": ["Fictive"]},
    "facts": "Faits fictifs pour préparer un état du fournisseur.",
    "urgency": "urgent",
    "jurisdiction": "tj-moulins",
}
PARTNER = auth_headers("association", "tj-moulins", client_id="pact-referral-partner")
PLATFORM = auth_headers("teleassistance", "*")  # the national teleassistance platform
TOKENS = {"referral-partner": PARTNER, "device-platform": PLATFORM}
OPEN_ALERT_PRESS = {"device_id": "dev-pact-0002", "press_id": "press-pact-0002", "triggered_at": "2026-11-22T22:00:00Z"}


@pytest.fixture
def gateway(processes, vhost_uri):
    processes.env.update({"AMQP_URI": vhost_uri})
    port = free_port()
    processes.start_service("referral")
    processes.start_service("alert", extra_env={"ALERT_FAILSAFE_DELAY_S": "120"})
    processes.start_gateway(port)
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: httpx.get(f"{base}/health").json()["status"] == "ok", 30, "the gateway's health")
    wait_until(
        lambda: httpx.get(f"{base}/v1/referrals/{'0' * 32}", headers=PARTNER).status_code == 404,
        30,
        "the referral service",
    )
    wait_until(lambda: httpx.get(f"{base}/v1/alerts", headers=PLATFORM).status_code == 200, 30, "the alert service")
    return base


def provider_states(base: str) -> dict:
    def send(key: str, body: dict) -> None:
        response = httpx.post(f"{base}/v1/referrals", json=body, headers={"Idempotency-Key": key, **PARTNER})
        assert response.status_code in (200, 201), response.text

    return {
        "the jurisdiction tj-moulins is known": lambda: None,  # reference data (jurisdictions.py)
        "a referral was sent with the Idempotency-Key pact-replay-0001": lambda: send(
            "pact-replay-0001",
            {
                "referrer": {"kind": "hospital", "organisation": "Hôpital Fictif"},
                "victim": {"surname": "EXEMPLE-PACT", "first_names": ["Fictive"]},
                "facts": "Faits fictifs pour le contrat Pact.",
                "urgency": "urgent",
                "jurisdiction": "tj-moulins",
            },
        ),
        "an urgent referral exists in tj-moulins": lambda: send("pact-state-urgent-1", REFERRAL),
        "an alert is open for the device dev-pact-0002": lambda: press(base, OPEN_ALERT_PRESS),
    }


def press(base: str, trigger: dict) -> None:
    response = httpx.post(f"{base}/v1/device-alerts", json=trigger, headers=PLATFORM)
    assert response.status_code == 202, response.text


def verify(pact_file: Path, base: str, headers: dict[str, str] = PARTNER) -> dict:
    verifier = (
        Verifier("tgd-gateway", host="127.0.0.1")
        .add_transport(url=base)
        .add_source(pact_file)
        .add_custom_headers(headers)
        .state_handler(provider_states(base), teardown=False)
        .set_coloured_output(enabled=False)
    )
    try:
        verifier.verify()
    except RuntimeError:
        pass  # the results say what failed
    return verifier.results


def test_the_running_gateway_honours_every_partner_pact(gateway, contract_report, tmp_path, bus_observer):
    pacts = sorted(PACTS.glob("*-tgd-gateway.json"))
    assert PACT in pacts
    assert PACTS / "device-platform-tgd-gateway.json" in pacts
    for pact_file in pacts:
        consumer = pact_file.name.removesuffix("-tgd-gateway.json")
        results = verify(pact_file, gateway, TOKENS[consumer])
        interactions = json.loads(pact_file.read_text())["interactions"]
        passed = [r for r in results["interactionResults"] if r["result"] == "OK"]
        contract_report(
            f"pact verification (HTTP): {consumer} -> tgd-gateway (running): "
            f"{len(passed)}/{len(interactions)} interactions verified"
        )
        assert results["result"] is True, "\n".join(results["output"])
        assert len(passed) == len(interactions) > 0
    # the referral service announced each new referral, and the observer checked each message
    seen = bus_observer.collect()
    keys = [m.routing_key for m in seen]
    assert keys.count("referral_received") == 3  # new, replay's state, urgent state
    assert keys.count("alert_raised") == 2  # the press, the position's state (the alert service)
    assert all(not m.violations for m in seen)

    # the same verifier catches a gateway that does not answer what the partner relies on
    broken = json.loads(PACT.read_text())
    (missing,) = [i for i in broken["interactions"] if i["description"].endswith("does not exist")]
    missing["response"]["body"]["content"]["error"] = "not_found"  # a partner relying on another code
    broken["interactions"] = [missing]
    copy = tmp_path / "broken-tgd-gateway.json"
    copy.write_text(json.dumps(broken))
    assert verify(copy, gateway)["result"] is False

    # and only the teleassistance platform may raise alerts: the same pact with the association's token fails
    refused = verify(PACTS / "device-platform-tgd-gateway.json", gateway, PARTNER)
    assert refused["result"] is False
    assert "403" in json.dumps(refused["interactionResults"])
