"""Orientations and the safe contact through the gateway: who may record and read them,
who sees the safe contact and the referrer's contact, what the service is told about
the recorder, and bad input refused before any service is called."""

from __future__ import annotations

import tempfile

import pytest
from fastapi.testclient import TestClient

from gateway.auth.roles import Role
from gateway.main import create_app
from gateway.settings import Settings
from tgd_testkit.fake_services import FakeServices
from tgd_testkit.tokens import auth_headers

OWN = "tj-moulins"
REFERRAL = "0123456789abcdef0123456789abcdef"
PHONE = "+33 6 00 00 00 00"  # the fake referral's safe contact
REFERRER = "Service social fictif"  # the fake referral's referrer contact
ORIENTATION = {"kind": "protection_order", "on": "2026-01-05", "recorded_by": "Intervenante fictive"}
SUBMISSION = {
    "referrer": {"kind": "social_worker", "organisation": "Service Fictif"},
    "victim": {"surname": "EXEMPLE", "first_names": ["Fictive"]},
    "facts": "Faits fictifs pour le contact sûr.",
    "urgency": "urgent",
    "jurisdiction": OWN,
    "safe_contact": {"phone": PHONE, "safe_times": "le matin", "message_allowed": False},
    "referrer_contact": {"name": "Exemple Fictif", "service": REFERRER, "phone": "01 00 00 00 00"},
}


def build():
    fake = FakeServices(lambda object_id: OWN)
    settings = Settings(data_dir=tempfile.mkdtemp(prefix="tgd-orientation-"), rate_per_s=1e6, rate_burst=1_000_000)
    return TestClient(create_app(settings, rpc=fake), raise_server_exceptions=False), fake


def reads(role: Role, client: TestClient) -> tuple[int, str]:
    response = client.get(f"/v1/referrals/{REFERRAL}", headers=auth_headers(role, OWN, unit="csp-moulins"))
    return response.status_code, response.text


@pytest.mark.parametrize("role", list(Role))
def test_only_the_association_and_the_parquet_see_the_safe_contact(role):
    client, _ = build()
    status, text = reads(role, client)
    if role in (Role.ASSOCIATION, Role.PROSECUTOR):
        assert status == 200
        assert PHONE in text
        assert REFERRER in text
    else:
        assert status == 403
        assert PHONE not in text
        assert REFERRER not in text


@pytest.mark.parametrize("role", [Role.REFERRER, Role.POLICE, Role.GENDARMERIE])
def test_a_sender_s_receipt_projects_the_contacts_out(role):
    client, _ = build()
    headers = {**auth_headers(role, OWN, unit="csp-moulins"), "Idempotency-Key": f"safe-contact-{role.value}"}
    response = client.post("/v1/referrals", json=SUBMISSION, headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["view"] == "receipt"
    assert PHONE not in response.text
    assert REFERRER not in response.text
    assert "Exemple Fictif" not in response.text


def test_the_association_gets_its_contacts_back_on_submission():
    client, _ = build()
    headers = {**auth_headers("association", OWN), "Idempotency-Key": "safe-contact-assoc"}
    response = client.post("/v1/referrals", json=SUBMISSION, headers=headers)
    assert response.status_code == 201
    assert response.json()["safe_contact"]["phone"] == PHONE


@pytest.mark.parametrize(("role", "audience"), [(Role.ASSOCIATION, "association"), (Role.PROSECUTOR, "parquet")])
def test_the_recorder_is_the_caller_not_the_body(role, audience):
    client, fake = build()
    headers = {**auth_headers(role, OWN), "Idempotency-Key": "orientation-0001"}
    response = client.post(f"/v1/referrals/{REFERRAL}/orientations", json=ORIENTATION, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["orientations"][0]["recorded_as"] == audience
    call = next(kw for s, m, kw in fake.calls if m == "record_orientation")
    assert call["recorded_as"] == audience
    assert len(call["orientation_id"]) == 64


@pytest.mark.parametrize(
    "bad",
    [
        {**ORIENTATION, "kind": "telepathy"},
        {**ORIENTATION, "recorded_as": "parquet"},  # who recorded it is not the body's to say
        {**ORIENTATION, "on": "not a date"},
        {"kind": "complaint"},
    ],
)
def test_a_bad_orientation_is_422_and_no_service_changes_anything(bad):
    client, fake = build()
    headers = {**auth_headers("association", OWN), "Idempotency-Key": "orientation-0002"}
    response = client.post(f"/v1/referrals/{REFERRAL}/orientations", json=bad, headers=headers)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"
    assert [m for _, m, _ in fake.calls if m != "get_referral"] == []


def test_only_the_association_updates_the_contacts_and_bad_ones_are_422():
    client, fake = build()
    body = {"safe_contact": {"phone": "+33 6 00 00 00 09", "safe_times": "le soir", "message_allowed": True}}
    url = f"/v1/referrals/{REFERRAL}/contact-details"
    parquet = client.post(url, json=body, headers={**auth_headers("prosecutor", OWN), "Idempotency-Key": "cd-00001"})
    assert parquet.status_code == 403
    headers = {**auth_headers("association", OWN), "Idempotency-Key": "cd-00002"}
    assert client.post(url, json=body, headers=headers).json()["safe_contact"]["phone"] == "+33 6 00 00 00 09"
    for bad in ({}, {"referrer_contact": {"name": "X", "service": "Y"}}, {"safe_contact": {"phone": "x"}}):
        headers = {**auth_headers("association", OWN), "Idempotency-Key": f"cd-bad-{len(str(bad)):04d}"}
        response = client.post(url, json=bad, headers=headers)
        assert response.status_code == 422, bad
    assert [m for _, m, _ in fake.calls].count("set_contact_details") == 1


def test_the_openapi_documents_the_orientation_vocabulary_as_an_open_list():
    client, _ = build()
    spec = client.get("/openapi.json").json()
    ops = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {"recordOrientation", "listOrientations", "recordContactDetails"} <= ops
    kinds = spec["components"]["schemas"]["OrientationKind"]
    assert kinds.get("x-known-values") == ["complaint", "protection_order", "specialised_association", "evaluation"]
