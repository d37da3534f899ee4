"""A court handed over to another operator, at the gateway: the court's parquet, with a
reason, exports one archive signed with the evidence key and sealed for a configured
receiving operator; nothing else, no other court, no other key."""

from __future__ import annotations

import json
import tempfile

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from fastapi.testclient import TestClient

from gateway.main import create_app
from gateway.settings import Settings
from tgd_contracts import handover as ho
from tgd_servicekit import handover_signing as hos
from tgd_servicekit.evidence_keys import development_signing_key
from tgd_testkit.fake_services import FakeServices
from tgd_testkit.tokens import auth_headers

OWN = "tj-moulins"
RECEIVER = X25519PrivateKey.generate()
TRUSTED = {development_signing_key().key_id: development_signing_key().public_raw}
PARQUET = {**auth_headers("prosecutor", OWN), "X-Access-Reason": "reprise:convention-2026"}
BODY = {"jurisdiction": OWN, "recipient": "operateur-fictif"}


def client(where=OWN):
    fake = FakeServices(lambda object_id: where)
    settings = Settings(data_dir=tempfile.mkdtemp(prefix="tgd-handover-"), rate_per_s=1e6, rate_burst=10**6)
    app = create_app(settings, rpc=fake)
    app.state.handover_recipients = {"operateur-fictif": RECEIVER.public_key()}
    return TestClient(app, raise_server_exceptions=False), fake, app


def test_the_parquet_exports_its_court_sealed_for_the_receiving_operator():
    http, fake, app = client()
    response = http.post("/v1/handovers", json=BODY, headers=PARQUET)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(ho.MEDIA_TYPE)
    archive = hos.verify(response.json(), TRUSTED, OWN)
    m = archive.manifest
    assert (m.jurisdiction, m.department, m.recipient.id) == (OWN, "03", "operateur-fictif")
    assert m.exported_by.role == "prosecutor"
    content = hos.open_content(archive, RECEIVER)
    assert sorted(content.measures) == m.referral_ids
    assert len(m.referral_ids) == 2
    services = {p.service for parts in content.measures.values() for p in parts}
    assert services == {"evaluation", "referral", "device", "notify", "alert"}
    assert len(content.devices) == 2
    assert ("evaluation", "list_measures") in {(s, mth) for s, mth, _ in fake.calls}
    [listed] = [kw for s, mth, kw in fake.calls if mth == "list_measures"]
    assert listed["status"] == "active"
    [entry] = [e for e in app.state.audit.entries() if e["action"] == "POST /v1/handovers"]
    assert (entry["status"], entry["role"], entry["jurisdiction"]) == (200, "prosecutor", OWN)


def test_the_archive_does_not_hold_the_records_in_clear():
    http, _, _ = client()
    text = http.post("/v1/handovers", json=BODY, headers=PARQUET).text
    assert set(json.loads(text)) == {"format", "version", "manifest", "sealed", "signature"}
    assert "Marque Fictive" not in text  # the terminals' records (fake_lifecycle) are sealed
    assert "0600000001" not in text


def test_an_unconfigured_recipient_is_refused_and_nothing_is_collected():
    http, fake, _ = client()
    response = http.post("/v1/handovers", json={**BODY, "recipient": "inconnu"}, headers=PARQUET)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"
    assert fake.calls == []


def test_a_reason_is_required():
    http, fake, _ = client()
    response = http.post("/v1/handovers", json=BODY, headers=auth_headers("prosecutor", OWN))
    assert response.status_code == 400
    assert response.json()["error"] == "reason_required"
    assert fake.calls == []


def test_another_court_and_other_roles_are_refused():
    http, fake, _ = client()
    other = http.post("/v1/handovers", json={**BODY, "jurisdiction": "tj-cusset"}, headers=PARQUET)
    assert other.status_code == 403
    for role, scope in (("teleassistance", "*"), ("admin", "*"), ("association", OWN), ("steering_committee", OWN)):
        headers = {**auth_headers(role, scope), "X-Access-Reason": "reprise"}
        assert http.post("/v1/handovers", json=BODY, headers=headers).status_code == 403
    assert fake.calls == []


def test_records_of_another_court_in_an_answer_stop_the_export():
    http, _, _ = client(where="tj-paris")  # the services answer objects of another court
    response = http.post("/v1/handovers", json=BODY, headers=PARQUET)
    assert response.status_code == 500
    assert "tj-paris" not in response.text
    assert "Fictive" not in response.text
