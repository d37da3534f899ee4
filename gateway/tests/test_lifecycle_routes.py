"""Lifecycle routes (measure, devices, notices) with a fake RPC client: each partner
action reaches the right service method with a strictly validated body, and errors come
from the one table."""

import pytest
from fastapi.testclient import TestClient

from gateway.main import create_app
from gateway.settings import Settings
from tgd_contracts.errors import ErrorCode, TgdError
from tgd_testkit.tokens import auth_headers

from .fakes import FakeRpc

RID = "0123456789abcdef0123456789abcdef"
SITUATION = {"family": "F fictive.", "personal": "P fictive.", "professional": "Pro fictive.", "social": "S fictive."}
CRITERION = {"level": "high", "notes": "Notes fictives."}
REPORT = {
    "victim_situation": SITUATION,
    "author_situation": SITUATION,
    "criteria": {
        "past_violence_gravity": CRITERION,
        "author_profile_and_reoffending_risk": CRITERION,
        "victim_isolation_and_vulnerability": CRITERION,
        "danger_gravity_and_immediacy": CRITERION,
    },
    "risk": {"instrument_id": "dash-like", "instrument_version": "1", "items": [{"item_id": "q01", "answer": "yes"}]},
}
DECISION = {"granted": True, "reasons": "Motifs fictifs.", "author_incarcerated": False, "decided_by": "Parquet fictif"}
FICHE = {
    "beneficiary": {
        "identity": {"surname": "EXEMPLE", "first_names": ["Fictive"]},
        "disability_or_speech_difficulty": False,
        "home": {"street": "1 Rue Fictive", "postcode": "03100", "city": "Fictive", "insee_code": "03901"},
        "geolocation_consent": True,
    },
    "author": {
        "identity": {"surname": "AUTEUR", "first_names": ["Fictif"]},
        "no_contact_order": {"basis": "protection_order", "starts_on": "2026-01-02"},
    },
}
DEVICE = {
    "jurisdiction": "tj-moulins",
    "terminal_number": "0600000001",
    "brand": "Marque Fictive",
    "model": "T1",
    "imei": "490154203237518",
    "imsi": "208010000000001",
    "gps_chip_id": "GPS-0001",
}

ROUTES = [
    (
        "post",
        f"/v1/referrals/{RID}/requisition",
        {"requested_by": "Parquet fictif"},
        "evaluation",
        "request_evaluation",
    ),
    ("post", f"/v1/referrals/{RID}/evaluation-report", REPORT, "evaluation", "file_report"),
    (
        "post",
        f"/v1/referrals/{RID}/consent",
        {"given": True, "collected_by": "Parquet fictif", "collected_on": "2026-01-05"},
        "evaluation",
        "record_consent",
    ),
    ("post", f"/v1/referrals/{RID}/decision", DECISION, "evaluation", "decide"),
    (
        "post",
        f"/v1/attributions/{RID}/renewal",
        {"renewed": True, "reasons": "Motifs.", "decided_by": "Parquet"},
        "evaluation",
        "renew",
    ),
    (
        "post",
        f"/v1/attributions/{RID}/withdrawal",
        {"reason": "danger_ceased", "decided_by": "Parquet"},
        "evaluation",
        "withdraw",
    ),
    ("post", "/v1/devices", DEVICE, "device", "add_device"),
    ("post", f"/v1/attributions/{RID}/fiche-navette", FICHE, "device", "record_fiche"),
    (
        "post",
        f"/v1/devices/{RID}/test-calls",
        {"direction": "operator_to_beneficiary", "succeeded": True},
        "device",
        "record_test_call",
    ),
    (
        "post",
        f"/v1/notices/{RID}/acknowledgement",
        {"unit_code": "csp-fictive-a", "acknowledged_by": "Officier"},
        "notify",
        "acknowledge_notice",
    ),
    ("get", f"/v1/referrals/{RID}/measure", None, "evaluation", "get_measure"),
    ("get", f"/v1/attributions/{RID}", None, "evaluation", "get_attribution"),
    ("get", f"/v1/attributions/{RID}/device", None, "device", "get_assignment"),
    ("get", f"/v1/attributions/{RID}/notices", None, "notify", "get_information"),
    ("get", "/v1/devices?jurisdiction=tj-moulins", None, "device", "list_stock"),
]


# what the access guard asks the owning service before the route runs (the object's territory)
LOOKUPS = {"get_measure", "get_attribution", "get_device", "get_notice"}
FOUND = {"jurisdiction": "tj-moulins", "unit_code": "csp-fictive-a", "department": "03", "audience": "police"}
ROLE_OF = {"file_report": "association", "add_device": "teleassistance", "record_test_call": "teleassistance"}
ROLE_OF |= {"list_stock": "teleassistance", "acknowledge_notice": "police"}


def headers_for(method="decide"):
    return auth_headers(ROLE_OF.get(method, "prosecutor"), "tj-moulins", unit="csp-fictive-a")


def client_for(answer, method="decide"):
    rpc = FakeRpc(answer)
    client = TestClient(create_app(Settings(), rpc=rpc), raise_server_exceptions=False, headers=headers_for(method))
    return client, rpc


def answering(target, error=ErrorCode.INVALID_STATE):
    """Lookups find the object in the caller's territory; the route's own call fails with ``error``."""

    def answer(s, m, **kwargs):
        if m in LOOKUPS and m != target:
            return FOUND
        raise TgdError("stop here", code=error)  # the fake does not build a valid view

    return answer


@pytest.mark.parametrize(("verb", "path", "body", "service", "method"), ROUTES)
def test_each_action_reaches_its_service_method(verb, path, body, service, method):
    client, rpc = client_for(answering(method), method)
    response = client.request(verb, path, json=body)
    assert response.status_code == 409
    assert response.json()["error"] == "invalid_state"
    *lookups, (called_service, called_method, kwargs) = rpc.calls
    assert (called_service, called_method) == (service, method)
    assert {m for _, m, _ in lookups} <= LOOKUPS
    if body is not None:
        assert any(isinstance(v, dict) and set(body) <= set(v) for v in kwargs.values())
    if RID in path:
        assert RID in kwargs.values()


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (f"/v1/referrals/{RID}/decision", {**DECISION, "granted": "true"}),  # strict booleans
        (f"/v1/referrals/{RID}/decision", {**DECISION, "extra": 1}),  # unknown fields
        (f"/v1/referrals/{RID}/decision", {**DECISION, "duration_months": 12}),  # at most 6 months
        (f"/v1/attributions/{RID}/withdrawal", {"reason": "bored", "decided_by": "P"}),  # only the five reasons
        ("/v1/devices", {**DEVICE, "imei": "490154203237517"}),  # Luhn
        (f"/v1/referrals/{'X' * 32}/requisition", {"requested_by": "P"}),  # path id format
        # the arrêté's field lists: nothing else about the beneficiary or the author (privacy.md)
        (f"/v1/attributions/{RID}/fiche-navette", {**FICHE, "beneficiary": {**FICHE["beneficiary"], "religion": "x"}}),
        (f"/v1/attributions/{RID}/fiche-navette", {**FICHE, "author": {**FICHE["author"], "employer": "x"}}),
    ],
)
def test_bodies_are_validated_strictly_before_any_call(path, body):
    client, rpc = client_for(answering(None), "add_device" if path == "/v1/devices" else "decide")
    response = client.post(path, json=body)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"
    assert [m for _, m, _ in rpc.calls if m not in LOOKUPS] == []  # at most the guard's lookup


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (ErrorCode.CONSENT_REQUIRED, 409),
        (ErrorCode.AUTHOR_INCARCERATED, 409),
        (ErrorCode.REFERRAL_NOT_FOUND, 404),
        (ErrorCode.RENEWAL_LIMIT_REACHED, 409),
    ],
)
def test_service_errors_map_through_the_table(code, status):
    client, _ = client_for(answering("decide", code))
    response = client.post(f"/v1/referrals/{RID}/decision", json=DECISION)
    assert response.status_code == status
    assert response.json()["error"] == code.value


def test_openapi_documents_each_actions_errors_and_french_terms():
    client, _ = client_for(None)
    spec = client.get("/openapi.json").json()
    decision = spec["paths"]["/v1/referrals/{referral_id}/decision"]["post"]
    assert "décision d'attribution" in decision["summary"]
    assert "consent_required" in decision["responses"]["409"]["description"]
    assert "author_incarcerated" in decision["responses"]["409"]["description"]
    renewal = spec["paths"]["/v1/attributions/{attribution_id}/renewal"]["post"]
    assert "renewal_limit_reached" in renewal["responses"]["409"]["description"]
    test_call = spec["paths"]["/v1/devices/{device_id}/test-calls"]["post"]
    assert "appel test" in test_call["summary"]
    assert "device_inactive" in test_call["responses"]["409"]["description"]
    ack = spec["paths"]["/v1/notices/{notice_id}/acknowledgement"]["post"]
    assert "accusé de réception" in ack["summary"]
