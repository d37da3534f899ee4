"""Pact, consumer side: a partner system that sends referrals (signalements) to the
gateway, e.g. a hospital's or a social-work department's software.

The partner's client below is the reference a partner integrates; the test runs it
against Pact's mock server, which records what it sends and what it relies on in the
answers. The pact is checked in (docs/pacts/) and verified against the running gateway
by test_pact_gateway_provider.py. A client change that changes the pact fails here until
the pact is regenerated with ``TGD_UPDATE_PACTS=1``.
"""

import json
import os
from pathlib import Path

import httpx
import pytest
from pact import Pact, match

PACTS = Path(__file__).resolve().parents[2] / "docs" / "pacts"
CONSUMER, PROVIDER = "referral-partner", "tgd-gateway"
PACT_FILE = f"{CONSUMER}-{PROVIDER}.json"
ID = r"^[0-9a-f]{32}$"
RFC3339 = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
REFERRAL = {
    "referrer": {"kind": "hospital", "organisation": "Hôpital Fictif"},
    "victim": {"surname": "EXEMPLE-PACT", "first_names": ["Fictive"]},
    "facts": "Faits fictifs pour le contrat Pact.",
    "urgency": "urgent",
    "jurisdiction": "tj-moulins",
}


class ReferralPartnerClient:
    """What a referring partner's software does with the gateway."""

    def __init__(self, base_url: str):
        self.http = httpx.Client(base_url=base_url, timeout=10)

    def send(self, referral: dict, key: str) -> tuple[str, bool]:
        """(referral id, created) — created is False for a replay of the same key."""
        response = self.http.post("/v1/referrals", json=referral, headers={"Idempotency-Key": key})
        if response.status_code not in (200, 201):
            body = response.json()
            raise PartnerError(response.status_code, body["error"], body["message"])
        return response.json()["id"], response.status_code == 201

    def urgent_referrals(self, jurisdiction: str) -> list[str]:
        response = self.http.get("/v1/referrals", params={"jurisdiction": jurisdiction, "urgent": "true"})
        response.raise_for_status()
        return [item["id"] for item in response.json()["items"] if item["urgency"] == "urgent"]

    def read(self, referral_id: str) -> dict | None:
        response = self.http.get(f"/v1/referrals/{referral_id}")
        if response.status_code == 404 and response.json()["error"] == "referral_not_found":
            return None
        response.raise_for_status()
        return response.json()


class PartnerError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code = status, code


def stored_referral():
    return {
        "id": match.regex("0123456789abcdef0123456789abcdef", regex=ID),
        "status": "received",
        "received_at": match.regex("2026-11-22T10:00:00.123000Z", regex=RFC3339),
        **REFERRAL,
    }


def error(code: str):
    return {"error": code, "message": match.str("A human-readable explanation.")}


def define(pact: Pact) -> None:
    (
        pact.upon_receiving("a new referral")
        .given("the jurisdiction tj-moulins is known")
        .with_request("POST", "/v1/referrals")
        .with_header("Idempotency-Key", "pact-referral-0001")
        .with_body(REFERRAL, "application/json")
        .will_respond_with(201)
        .with_body(stored_referral(), "application/json")
    )
    (
        pact.upon_receiving("the same referral sent again with the same key")
        .given("a referral was sent with the Idempotency-Key pact-replay-0001")
        .with_request("POST", "/v1/referrals")
        .with_header("Idempotency-Key", "pact-replay-0001")
        .with_body(REFERRAL, "application/json")
        .will_respond_with(200)
        .with_body(stored_referral(), "application/json")
    )
    (
        pact.upon_receiving("a referral for an unknown jurisdiction")
        .with_request("POST", "/v1/referrals")
        .with_header("Idempotency-Key", "pact-referral-0002")
        .with_body({**REFERRAL, "jurisdiction": "tj-atlantis"}, "application/json")
        .will_respond_with(422)
        .with_body(error("unknown_jurisdiction"), "application/json")
    )
    (
        pact.upon_receiving("a request for the urgent referrals of a jurisdiction")
        .given("an urgent referral exists in tj-moulins")
        .with_request("GET", "/v1/referrals")
        .with_query_parameter("jurisdiction", "tj-moulins")
        .with_query_parameter("urgent", "true")
        .will_respond_with(200)
        .with_body(
            {
                "items": match.each_like(
                    {
                        "id": match.regex("0123456789abcdef0123456789abcdef", regex=ID),
                        "status": "received",
                        "received_at": match.regex("2026-11-22T10:00:00.123000Z", regex=RFC3339),
                        "urgency": "urgent",
                        "jurisdiction": "tj-moulins",
                        "referrer_kind": match.str("hospital"),
                    }
                ),
                "total": match.int(1),
                "limit": match.int(50),
                "offset": match.int(0),
            },
            "application/json",
        )
    )
    (
        pact.upon_receiving("a request for a referral that does not exist")
        .with_request("GET", "/v1/referrals/" + "0" * 32)
        .will_respond_with(404)
        .with_body(error("referral_not_found"), "application/json")
    )


def exercise(client: ReferralPartnerClient) -> None:
    referral_id, created = client.send(REFERRAL, "pact-referral-0001")
    assert created
    assert len(referral_id) == 32
    _, created_again = client.send(REFERRAL, "pact-replay-0001")
    assert created_again is False
    with pytest.raises(PartnerError) as refused:
        client.send({**REFERRAL, "jurisdiction": "tj-atlantis"}, "pact-referral-0002")
    assert refused.value.code == "unknown_jurisdiction"
    assert client.urgent_referrals("tj-moulins")
    assert client.read("0" * 32) is None


def test_the_referral_partner_pact_matches_the_checked_in_one(tmp_path):
    pact = Pact(CONSUMER, PROVIDER).with_specification("V4")
    define(pact)
    with pact.serve(addr="127.0.0.1") as server:
        exercise(ReferralPartnerClient(str(server.url)))
    pact.write_file(tmp_path, overwrite=True)
    generated = json.loads((tmp_path / PACT_FILE).read_text())
    assert len(generated["interactions"]) == 5
    if os.environ.get("TGD_UPDATE_PACTS"):
        PACTS.mkdir(parents=True, exist_ok=True)
        (PACTS / PACT_FILE).write_text(json.dumps(generated, indent=2, sort_keys=True) + "\n")
    checked_in = json.loads((PACTS / PACT_FILE).read_text())
    assert generated == checked_in, "the partner's expectations changed: review, then TGD_UPDATE_PACTS=1"
