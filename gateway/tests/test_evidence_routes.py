"""Evidence export and the right of access at the gateway: the competent parquet gets a
signed archive that verifies, a foreign one a plain 404 (nothing collected), each export
is in the access log, and the administrator sees who read a person's data."""

from __future__ import annotations

import tempfile

import pytest
from fastapi.testclient import TestClient

from gateway.main import create_app
from gateway.settings import Settings
from tgd_contracts import evidence as ev
from tgd_servicekit import evidence_signing as sig
from tgd_servicekit.evidence_keys import development_signing_key
from tgd_testkit.fake_evidence import ALERTS, ATTRIBUTION, DEVICE, TRACE
from tgd_testkit.fake_services import FakeServices
from tgd_testkit.tokens import auth_headers

OWN, FOREIGN = "tj-moulins", "tj-paris"
ALERT = ALERTS[0]
REFERRAL = "0123456789abcdef0123456789abcdef"
TRUSTED = {development_signing_key().key_id: development_signing_key().public_raw}
PARQUET = auth_headers("prosecutor", OWN)


def client(where=OWN):
    fake = FakeServices(lambda object_id: where)
    settings = Settings(data_dir=tempfile.mkdtemp(prefix="tgd-evidence-"), rate_per_s=1e6, rate_burst=10**6)
    app = create_app(settings, rpc=fake)
    return TestClient(app, raise_server_exceptions=False), fake, app


def test_the_competent_parquet_exports_an_alert_archive_that_verifies():
    http, _, app = client()
    response = http.get(f"/v1/evidence/alerts/{ALERT}", headers=PARQUET)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(ev.MEDIA_TYPE)
    assert "attachment" in response.headers["content-disposition"]
    archive = sig.verify(response.json(), TRUSTED)
    assert archive.manifest.subject == ev.Subject(kind=ev.SubjectKind.ALERT, id=ALERT)
    assert archive.manifest.jurisdiction == OWN
    assert archive.manifest.trace_ids == [TRACE]
    assert archive.manifest.exported_by.role == "prosecutor"
    assert archive.manifest.exported_by.request_id == response.headers["x-request-id"]
    assert list(archive.parts) == [f"alert-{ALERT}"]
    assert archive.parts[f"alert-{ALERT}"].events[0]["subject"] == ALERT
    [entry] = [e for e in app.state.audit.entries() if e["action"] == "GET /v1/evidence/alerts/{alert_id}"]
    assert (entry["object_id"], entry["status"], entry["role"], entry["jurisdiction"]) == (
        ALERT,
        200,
        "prosecutor",
        OWN,
    )


def test_an_exported_archive_changed_in_transit_is_refused():
    http, _, _ = client()
    data = http.get(f"/v1/evidence/alerts/{ALERT}", headers=PARQUET).json()
    data["parts"][f"alert-{ALERT}"]["records"]["alert"]["device"]["attribution_id"] = "b" * 32
    with pytest.raises(sig.EvidenceError) as caught:
        sig.verify(data, TRUSTED)
    assert caught.value.reason == sig.PART_TAMPERED


def test_a_foreign_parquet_gets_a_plain_404_and_nothing_is_collected():
    http, fake, app = client(where=FOREIGN)
    for url in (f"/v1/evidence/alerts/{ALERT}", f"/v1/evidence/measures/{REFERRAL}", f"/v1/subject-access/{REFERRAL}"):
        response = http.get(url, headers=PARQUET)
        assert response.status_code == 404, response.text
    assert {m for _, m, _ in fake.calls} == {"get_alert", "get_measure"}  # the lookups only
    refused = [e for e in app.state.audit.entries() if e["action"].startswith(("GET /v1/evidence", "GET /v1/subject"))]
    assert [e["status"] for e in refused] == [404, 404, 404]  # refusals are in the access log too


def test_other_partners_cannot_export():
    http, fake, _ = client()
    for role in ("association", "police", "teleassistance", "admin", "observatory"):
        assert http.get(f"/v1/evidence/alerts/{ALERT}", headers=auth_headers(role, OWN)).status_code == 403
    assert fake.calls == []


def test_a_measure_archive_holds_every_service_part_and_its_alerts():
    http, _, _ = client()
    response = http.get(f"/v1/evidence/measures/{REFERRAL}", headers=PARQUET)
    assert response.status_code == 200, response.text
    archive = sig.verify(response.json(), TRUSTED)
    assert set(archive.parts) == {"evaluation", "referral", "device", "notify", *(f"alert-{a}" for a in ALERTS)}
    assert archive.manifest.purpose is ev.Purpose.EVIDENCE
    assert archive.manifest.related_ids == {
        "alert_ids": sorted(ALERTS),
        "attribution_ids": [ATTRIBUTION],
        "device_ids": [DEVICE],
        "referral_ids": [REFERRAL],
    }


def test_a_measure_archive_never_carries_an_alert_of_another_attribution():
    http, fake, _ = client()
    alert = fake.handlers[("alert", "alert_evidence")]

    def reassigned(alert_id):  # the device was returned and handed to someone else
        part = alert(alert_id)
        if alert_id == ALERTS[1]:
            part["records"]["alert"]["device"]["attribution_id"] = "c" * 32
        return part

    fake.handlers[("alert", "alert_evidence")] = reassigned
    archive = http.get(f"/v1/evidence/measures/{REFERRAL}", headers=PARQUET).json()
    assert f"alert-{ALERTS[0]}" in archive["parts"]
    assert ALERTS[1] not in str(archive)


def test_subject_access_is_the_measure_archive_for_the_person():
    http, _, _ = client()
    archive = sig.verify(http.get(f"/v1/subject-access/{REFERRAL}", headers=PARQUET).json(), TRUSTED)
    assert archive.manifest.purpose is ev.Purpose.SUBJECT_ACCESS
    assert "referral" in archive.parts


def test_the_administrator_sees_who_read_the_persons_data_and_nothing_else():
    http, _, _ = client()
    assoc = auth_headers("association", OWN, client_id="asso-fictive")
    assert http.get(f"/v1/referrals/{REFERRAL}", headers=assoc).status_code == 200
    assert http.get(f"/v1/attributions/{ATTRIBUTION}/device", headers=assoc).status_code == 200
    assert http.get(f"/v1/evidence/alerts/{ALERT}", headers=PARQUET).status_code == 200
    other = "9123456789abcdef0123456789abcdef"
    assert http.get(f"/v1/referrals/{other}", headers=assoc).status_code == 200  # another person
    response = http.get(f"/v1/subject-access/{REFERRAL}/readers", headers=auth_headers("admin", "*"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["chain_intact"] is True
    assert body["object_ids"]["alert_ids"] == list(ALERTS)
    seen = [(r["client_id"], r["role"], r["action"], r["object_id"]) for r in body["items"]]
    assert ("asso-fictive", "association", "GET /v1/referrals/{referral_id}", REFERRAL) in seen
    assert ("asso-fictive", "association", "GET /v1/attributions/{attribution_id}/device", ATTRIBUTION) in seen
    assert any(a == "GET /v1/evidence/alerts/{alert_id}" and o == ALERT for _, _, a, o in seen)
    assert all(o != other for _, _, _, o in seen)
    assert all(set(r) == {"at", "client_id", "role", "action", "object_id", "status", "reason"} for r in body["items"])


def test_the_exported_archive_matches_its_published_json_schema():
    """docs/evidence.md: another system imports against the snapshot of EvidenceArchive."""
    import json
    from importlib.resources import files

    import jsonschema

    schema = json.loads(files("tgd_contracts").joinpath("schemas/EvidenceArchive/1.0.0.json").read_text())
    http, _, _ = client()
    for url in (f"/v1/evidence/alerts/{ALERT}", f"/v1/evidence/measures/{REFERRAL}"):
        jsonschema.validate(http.get(url, headers=PARQUET).json(), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"format": "tgd-evidence", "version": "1.0.0"}, schema)
