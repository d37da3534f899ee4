"""The access log (hash chain, who can query it) and the gateway's hardening:
rate limits, security headers, CORS closed by default."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from gateway.auth.audit import AuditLog, verify_chain
from gateway.auth.ratelimit import RateLimiter
from gateway.main import create_app
from gateway.settings import Settings
from tgd_testkit.fake_services import FakeServices
from tgd_testkit.tokens import auth_headers

REFERRAL_ID = "0123456789abcdef0123456789abcdef"


def build(tmp_path, **settings):
    app = create_app(Settings(data_dir=tmp_path, **settings), rpc=FakeServices(lambda object_id: "tj-moulins"))
    return TestClient(app, raise_server_exceptions=False)


def test_every_read_of_personal_data_is_recorded_with_who_what_which_and_why(tmp_path):
    client = build(tmp_path)
    association = auth_headers("association", "tj-moulins", client_id="assoc-moulins")
    reason = {"X-Access-Reason": "Suivi:DOSSIER-42"}
    assert client.get(f"/v1/referrals/{REFERRAL_ID}", headers={**association, **reason}).status_code == 200
    foreign = auth_headers("association", "tj-paris", client_id="assoc-paris")
    assert client.get(f"/v1/referrals/{REFERRAL_ID}", headers=foreign).status_code == 404
    entries = list(AuditLog(tmp_path / "audit.jsonl").entries())
    assert [(e["client_id"], e["object_id"], e["status"]) for e in entries] == [
        ("assoc-moulins", REFERRAL_ID, 200),
        ("assoc-paris", REFERRAL_ID, 404),
    ]
    assert entries[0]["reason"] == "suivi:DOSSIER-42"
    assert entries[0]["action"] == "GET /v1/referrals/{referral_id}"
    assert entries[0]["jurisdiction"] == "tj-moulins"
    assert "EXEMPLE" not in (tmp_path / "audit.jsonl").read_text()


def test_the_chain_detects_a_modified_an_inserted_and_a_removed_entry(tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    for n in range(5):
        log.record(client_id=f"c{n}", role="association", action="GET /x", object_id=str(n), status=200)
    assert log.verify() is None
    lines = log.path.read_text().splitlines()

    modified = [json.loads(line) for line in lines]
    modified[2]["object_id"] = "someone-else"
    assert verify_chain(modified) == 2
    rehashed = [json.loads(line) for line in lines]
    rehashed[2]["client_id"] = "forger"  # recomputing this entry's hash still breaks the next link
    from gateway.auth.audit import entry_hash

    rehashed[2]["hash"] = entry_hash(rehashed[2])
    assert verify_chain(rehashed) == 3
    removed = [json.loads(line) for n, line in enumerate(lines) if n != 1]
    assert verify_chain(removed) == 1

    log.path.write_text("\n".join(json.dumps(e) for e in modified) + "\n")
    client = build(tmp_path)
    page = client.get("/v1/audit", headers=auth_headers("admin", "*")).json()
    assert page["chain_intact"] is False
    assert page["first_broken_seq"] == 2


def test_the_audit_route_shows_a_prosecutor_only_its_jurisdictions(tmp_path):
    client = build(tmp_path)
    for jurisdiction in ("tj-moulins", "tj-paris"):
        client.get(
            "/v1/referrals", params={"jurisdiction": jurisdiction}, headers=auth_headers("association", jurisdiction)
        )
    moulins = auth_headers("prosecutor", "tj-moulins")
    page = client.get("/v1/audit", headers=moulins).json()
    assert {e["jurisdiction"] for e in page["items"]} == {"tj-moulins"}
    assert page["chain_intact"] is True
    assert client.get("/v1/audit", params={"jurisdiction": "tj-paris"}, headers=moulins).status_code == 403
    everything = client.get("/v1/audit", headers=auth_headers("admin", "*")).json()
    assert everything["total"] == 2
    assert client.get("/v1/audit", headers=auth_headers("association", "tj-moulins")).status_code == 403


def test_a_client_over_its_rate_gets_429_with_retry_after(tmp_path):
    client = build(tmp_path, rate_per_s=1, rate_burst=3)
    headers = auth_headers("association", "tj-moulins", client_id="hasty")
    statuses = [client.get(f"/v1/referrals/{REFERRAL_ID}", headers=headers).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    limited = client.get(f"/v1/referrals/{REFERRAL_ID}", headers=headers)
    assert limited.json()["error"] == "rate_limited"
    assert int(limited.headers["retry-after"]) >= 1
    other = auth_headers("association", "tj-moulins", client_id="patient")
    assert client.get(f"/v1/referrals/{REFERRAL_ID}", headers=other).status_code == 200


def test_the_token_endpoint_is_rate_limited_per_address(tmp_path):
    client = build(tmp_path, rate_per_s=0.01, rate_burst=2)
    form = {"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "guess"}
    statuses = [client.post("/v1/oauth/token", data=form).status_code for _ in range(4)]
    assert statuses == [401, 401, 429, 429]


def test_the_bucket_refills_at_its_rate():
    now = [0.0]
    limiter = RateLimiter(rate=2, burst=2, clock=lambda: now[0])
    assert [limiter.acquire("k") for _ in range(2)] == [0, 0]
    assert limiter.acquire("k") == pytest.approx(0.5)
    now[0] += 0.5
    assert limiter.acquire("k") == 0


def test_security_headers_and_no_cors_by_default(tmp_path):
    client = build(tmp_path)
    response = client.get("/health", headers={"Origin": "https://evil.example"})
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options(
        "/v1/referrals", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_opens_only_to_configured_origins(tmp_path):
    client = build(tmp_path, cors_origins=["https://partner.example"])
    allowed = client.get("/health", headers={"Origin": "https://partner.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://partner.example"
    other = client.get("/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_every_operation_documents_auth_and_rate_limit_errors(tmp_path):
    spec = build(tmp_path).get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert "429" in operation["responses"], (method, path)
            if operation.get("security"):
                assert {"401", "403"} <= set(operation["responses"]), (method, path)


def test_a_route_that_requires_a_reason_refuses_without_one_and_records_it(tmp_path):
    from dataclasses import replace

    from gateway.auth.access import ACCESS

    key = "GET /v1/referrals/{referral_id}"
    access = {**ACCESS, key: replace(ACCESS[key], reason_required=True)}
    app = create_app(Settings(data_dir=tmp_path), rpc=FakeServices(lambda object_id: "tj-moulins"), access=access)
    client = TestClient(app, raise_server_exceptions=False)
    headers = auth_headers("prosecutor", "tj-moulins")
    refused = client.get(f"/v1/referrals/{REFERRAL_ID}", headers=headers)
    assert refused.status_code == 400
    assert refused.json()["error"] == "reason_required"
    ok = client.get(f"/v1/referrals/{REFERRAL_ID}", headers={**headers, "X-Access-Reason": "permanence"})
    assert ok.status_code == 200
    assert [e["reason"] for e in AuditLog(tmp_path / "audit.jsonl").entries()] == [None, "permanence"]
    spec = client.get("/openapi.json").json()
    assert "400" in spec["paths"]["/v1/referrals/{referral_id}"]["get"]["responses"]


def test_two_writers_on_one_file_extend_one_chain(tmp_path):
    import threading

    first, second = AuditLog(tmp_path / "audit.jsonl"), AuditLog(tmp_path / "audit.jsonl")

    def write(log, name):
        for n in range(50):
            log.record(client_id=name, role="association", action="GET /x", object_id=str(n), status=200)

    threads = [threading.Thread(target=write, args=(log, name)) for log, name in ((first, "a"), (second, "b"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    entries = list(first.entries())
    assert len(entries) == 100
    assert first.verify() is None
