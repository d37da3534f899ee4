"""Issue 17 (hardening against a hostile partner), the gateway's side, in process with the
fake services: one test per finding, each failing on the code before the fix."""

from __future__ import annotations

import asyncio
import json
import re

import jwt
import pytest
from fastapi.testclient import TestClient

from gateway.auth.audit import AuditLog
from gateway.auth.clients import ClientStore
from gateway.auth.roles import Role
from gateway.console.operators import OperatorStore
from gateway.main import create_app
from gateway.settings import Settings
from gateway.testing.fake_services import FakeServices
from gateway.testing.tokens import DEV, auth_headers

REFERRAL_ID = "0123456789abcdef0123456789abcdef"
ALERT_ID = "fedcba9876543210fedcba9876543210"


def gateway(tmp_path, **settings):
    app = create_app(
        Settings(data_dir=tmp_path, rate_per_s=1e6, rate_burst=10**6, **settings),
        rpc=FakeServices(lambda object_id: "tj-moulins"),
    )
    return app, TestClient(app, raise_server_exceptions=False)


# -- 5. limits ----------------------------------------------------------------------
def test_a_30000_deep_array_is_refused_with_400_before_any_parse(tmp_path):
    _, client = gateway(tmp_path)
    body = "[" * 30_000 + "]" * 30_000
    headers = {**auth_headers("association", "tj-moulins"), "content-type": "application/json", "Idempotency-Key": "k1"}
    response = client.post("/v1/referrals", content=body, headers=headers)
    assert response.status_code == 400
    assert response.json()["error"] == "malformed_json"
    strings = json.dumps({"jurisdiction": "tj-moulins", "facts": "[" * 30_000})  # brackets inside a string are text
    assert client.post("/v1/referrals", content=strings, headers=headers).status_code == 422


def test_an_object_where_a_recipient_string_is_expected_gets_422_not_500(tmp_path):
    _, client = gateway(tmp_path)
    police = auth_headers("police", "tj-moulins", unit="csp-fictive-a")
    for recipient in (
        {"audience": {"a": 1}, "territory": "03", "unit": "csp-fictive-a"},
        {"audience": ["police"], "territory": "03", "unit": "csp-fictive-a"},
        {"audience": "police", "territory": {"x": 1}, "unit": "csp-fictive-a"},
    ):
        response = client.post(
            f"/v1/alerts/{ALERT_ID}/acknowledgements",
            json={"dispatch_id": "d-1", "recipient": recipient},
            headers=police,
        )
        assert response.status_code == 422, (recipient, response.text)


def test_event_streams_are_capped_per_client_and_overall(tmp_path):
    app, client = gateway(tmp_path, streams_per_client=2, streams_total=3)
    slots = app.state.streams
    assert slots.acquire("test-teleassistance")
    assert slots.acquire("test-teleassistance")
    platform = auth_headers("teleassistance", "*")
    third = client.get("/v1/alerts/stream", params={"max_events": 1, "interval": 0.2}, headers=platform)
    assert third.status_code == 429
    assert third.json()["error"] == "too_many_streams"
    other = auth_headers("teleassistance", "*", client_id="another-screen")
    assert client.get("/v1/alerts/stream", params={"max_events": 1, "interval": 0.2}, headers=other).status_code == 200
    assert slots.open_count() == 2  # the finished stream gave its slot back
    assert slots.acquire("third-screen")
    refused = client.get("/v1/alerts/stream", params={"max_events": 1, "interval": 0.2}, headers=other)
    assert refused.status_code == 429  # the process's total


def test_a_body_that_does_not_arrive_in_time_gets_408(tmp_path):
    app, _ = gateway(tmp_path, body_timeout_s=0.05)
    sent: list[dict] = []

    async def trickle():
        await asyncio.sleep(3600)  # a slow client: the first chunk never comes
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http", "method": "POST", "path": "/v1/referrals", "raw_path": b"/v1/referrals", "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"2")],
        "client": ("127.0.0.1", 1), "server": ("testserver", 80), "scheme": "http", "http_version": "1.1",
        "root_path": "", "app": app,
    }  # fmt: skip
    asyncio.run(app(scope, trickle, send))
    assert sent[0]["status"] == 408


# -- 5. console login throttling --------------------------------------------------------
def _login(client, login, password):
    page = client.get("/console/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    form = {"csrf": csrf, "login": login, "password": password}
    return client.post("/console/login", data=form, follow_redirects=False)


def test_console_login_is_throttled_per_login_and_address_without_locking_the_operator_out(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, login_failures_per_pair=3), rpc=FakeServices())
    _, password = OperatorStore.in_dir(tmp_path).register_operator("c.exemple", "Opératrice Fictive")
    attacker = TestClient(app, raise_server_exceptions=False, client=("203.0.113.9", 5000))
    statuses = [_login(attacker, "c.exemple", "wrong-guess").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    locked = _login(attacker, "c.exemple", password)  # even the right password, from the attacker's address
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) >= 1
    operator = TestClient(app, raise_server_exceptions=False, client=("198.51.100.7", 5000))
    assert _login(operator, "c.exemple", password).status_code == 303  # she still logs in


def test_an_address_spraying_many_logins_is_locked(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, login_failures_per_address=4), rpc=FakeServices())
    sprayer = TestClient(app, raise_server_exceptions=False, client=("203.0.113.10", 5000))
    statuses = [_login(sprayer, f"c.exemple{n}", "guess").status_code for n in range(5)]
    assert statuses == [401, 401, 401, 401, 429]


# -- 4. revocation ------------------------------------------------------------------
def test_logout_ends_the_session_server_side_and_a_replayed_cookie_is_refused(tmp_path):
    app = create_app(Settings(data_dir=tmp_path), rpc=FakeServices())
    _, password = OperatorStore.in_dir(tmp_path).register_operator("c.exemple", "Opératrice Fictive")
    client = TestClient(app, raise_server_exceptions=False)
    assert _login(client, "c.exemple", password).status_code == 303
    cookie = client.cookies.get("tgd_console")
    page = client.get("/console", headers={"accept": "text/html"})
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
    assert client.post("/console/logout", json={}, headers={"x-csrf-token": csrf}).status_code == 204
    thief = TestClient(app, raise_server_exceptions=False, cookies={"tgd_console": cookie})
    assert thief.get("/console/alerts").status_code == 401  # the copied cookie died with the logout


def test_a_password_rotation_ends_the_operators_open_sessions(tmp_path):
    app = create_app(Settings(data_dir=tmp_path), rpc=FakeServices())
    store = OperatorStore.in_dir(tmp_path)
    _, password = store.register_operator("c.exemple", "Opératrice Fictive")
    client = TestClient(app, raise_server_exceptions=False)
    assert _login(client, "c.exemple", password).status_code == 303
    assert client.get("/console/alerts").status_code == 200
    import time

    time.sleep(1.01)  # the rotation must fall in a later second than the login (whole-second times)
    new_password = store.rotate("c.exemple")
    assert client.get("/console/alerts").status_code == 401
    assert _login(client, "c.exemple", new_password).status_code == 303


def test_a_disabled_or_rotated_clients_tokens_stop_working_at_once(tmp_path):
    _app, client = gateway(tmp_path)
    store = ClientStore(tmp_path / "clients.json")
    partner, secret = store.register("Association Fictive", Role.ASSOCIATION, ["tj-moulins"], [])

    def token(secret_):
        form = {"grant_type": "client_credentials", "client_id": partner.client_id, "client_secret": secret_}
        return {"Authorization": f"Bearer {client.post('/v1/oauth/token', data=form).json()['access_token']}"}

    reason = {"X-Access-Reason": "suivi"}
    old = token(secret)
    assert client.get(f"/v1/referrals/{REFERRAL_ID}", headers={**old, **reason}).status_code == 200
    store.set_disabled(partner.client_id, True)
    assert client.get(f"/v1/referrals/{REFERRAL_ID}", headers={**old, **reason}).status_code == 401
    store.set_disabled(partner.client_id, False)
    import time

    time.sleep(1.01)  # the rotation falls in a later second than the old token's iat
    new_secret = store.rotate(partner.client_id)
    assert client.get(f"/v1/referrals/{REFERRAL_ID}", headers={**old, **reason}).status_code == 401
    assert client.get(f"/v1/referrals/{REFERRAL_ID}", headers={**token(new_secret), **reason}).status_code == 200


def test_a_token_claiming_a_long_life_is_refused_whatever_its_signature(tmp_path):
    import time

    _, client = gateway(tmp_path, token_max_lifetime_s=3600)
    now = int(time.time())
    claims = {"iss": DEV.jwt_issuer, "aud": DEV.jwt_audience, "sub": "test-association", "iat": now, "nbf": now,
              "exp": now + 30 * 86400, "scope": "association", "jur": ["tj-moulins"]}  # fmt: skip
    forever = jwt.encode(claims, DEV.jwt_secret, algorithm="HS256")
    headers = {"Authorization": f"Bearer {forever}", "X-Access-Reason": "suivi"}
    assert client.get(f"/v1/referrals/{REFERRAL_ID}", headers=headers).status_code == 401
    future = jwt.encode({**claims, "iat": now + 600, "exp": now + 900}, DEV.jwt_secret, algorithm="HS256")
    assert (
        client.get(f"/v1/referrals/{REFERRAL_ID}", headers={**headers, "Authorization": f"Bearer {future}"}).status_code
        == 401
    )


def test_production_refuses_a_token_for_a_client_that_is_not_registered(tmp_path):
    from gateway.auth.revocation import Revocation

    revocation = Revocation(ClientStore(tmp_path / "clients.json"), strict=True)
    assert revocation.is_revoked("deleted-client", issued_at=0)
    assert not Revocation(ClientStore(tmp_path / "clients.json"), strict=False).is_revoked("dev-client", 0)


# -- 3. the access log ----------------------------------------------------------------
def test_a_free_text_access_reason_is_refused_and_a_code_with_a_reference_is_recorded(tmp_path):
    _, client = gateway(tmp_path)
    association = auth_headers("association", "tj-moulins")
    free_text = client.get(
        f"/v1/referrals/{REFERRAL_ID}", headers={**association, "X-Access-Reason": "Mme EXEMPLE Fictive"}
    )
    assert free_text.status_code == 400
    assert free_text.json()["error"] == "reason_required"
    assert "suivi" in free_text.json()["details"][0]["message"]
    bad_reference = {**association, "X-Access-Reason": "suivi:EXEMPLE Fictive"}
    assert client.get(f"/v1/referrals/{REFERRAL_ID}", headers=bad_reference).status_code == 400
    ok = client.get(f"/v1/referrals/{REFERRAL_ID}", headers={**association, "X-Access-Reason": "suivi:PV-2026/042"})
    assert ok.status_code == 200
    reasons = [e["reason"] for e in AuditLog(tmp_path / "audit.jsonl").entries()]
    assert reasons[-1] == "suivi:PV-2026/042"
    assert not any("EXEMPLE" in (r or "") for r in reasons)


def test_every_personal_route_on_an_object_logs_its_id_and_jurisdiction(tmp_path):
    _, client = gateway(tmp_path)
    platform = auth_headers("teleassistance", "*")
    client.post(f"/v1/alerts/{ALERT_ID}/take", json={"operator": "c.exemple"}, headers=platform)
    entries = list(AuditLog(tmp_path / "audit.jsonl").entries())
    take = [e for e in entries if e["action"] == "POST /v1/alerts/{alert_id}/take"]
    assert take
    assert (take[-1]["object_id"], take[-1]["jurisdiction"]) == (ALERT_ID, "tj-moulins")


def test_no_personal_route_on_an_object_is_left_without_an_object_id_in_the_log():
    from gateway.auth.access import ACCESS
    from gateway.auth.audit_entry import audit_object_id

    for key, rule in ACCESS.items():
        params = re.findall(r"\{(\w+)\}", key)
        if rule.personal and params:
            assert audit_object_id(rule, {p: f"id-of-{p}" for p in params}) is not None, key


def test_the_log_detects_truncation_against_its_anchor_and_a_forged_entry_without_the_key(tmp_path):
    from gateway.auth.audit_chain import entry_hash

    log = AuditLog(tmp_path / "audit.jsonl", key=b"k" * 32, anchor=tmp_path / "anchor" / "head.json")
    for n in range(5):
        log.record(client_id=f"c{n}", role="association", action="GET /x", object_id=str(n), status=200)
    assert log.check().intact
    lines = log.path.read_text().splitlines()
    log.path.write_text("\n".join(lines[:3]) + "\n")  # the last two entries cut off: the chain alone is intact
    finding = log.check()
    assert finding.first_broken_seq == 3
    assert "truncated" in finding.problem
    forged = [json.loads(line) for line in lines]
    forged[4]["object_id"] = "someone-else"
    forged[4]["hash"] = entry_hash(forged[4])  # re-chained by someone who can write the file, not MAC it
    log.path.write_text("\n".join(json.dumps(e) for e in forged) + "\n")
    assert log.check().first_broken_seq == 4
    swapped = [json.loads(line) for line in lines]
    swapped[1], swapped[2] = swapped[2], swapped[1]
    log.path.write_text("\n".join(json.dumps(e) for e in swapped) + "\n")
    assert log.check().first_broken_seq == 1


@pytest.mark.parametrize("damage", ["edit", "truncate", "reorder", "none"])
def test_tgd_audit_verify_checks_a_copied_log_offline(tmp_path, damage):
    from typer.testing import CliRunner

    from tgd_cli.main import app

    key = "a-test-audit-key-of-32-characters-min"
    log = AuditLog(tmp_path / "audit.jsonl", key=key.encode())
    for n in range(4):
        log.record(client_id=f"c{n}", role="prosecutor", action="GET /x", object_id=str(n), status=200)
    lines = log.path.read_text().splitlines()
    if damage == "edit":
        lines[1] = lines[1].replace('"c1"', '"c9"')
    elif damage == "truncate":
        lines = lines[:-1]
    elif damage == "reorder":
        lines[0], lines[1] = lines[1], lines[0]
    log.path.write_text("\n".join(lines) + "\n")
    result = CliRunner().invoke(app, ["audit", "verify", str(log.path)], env={"TGD_GATEWAY_AUDIT_KEY": key})
    report = json.loads(result.output)
    assert report["intact"] is (damage == "none"), result.output
    assert result.exit_code == (0 if damage == "none" else 1)
    wrong_key = CliRunner().invoke(app, ["audit", "verify", str(log.path)], env={"TGD_GATEWAY_AUDIT_KEY": "x" * 40})
    assert wrong_key.exit_code == 1


# -- 1. production cannot run on development secrets ------------------------------------
@pytest.mark.parametrize("missing", ["keys", "database"])
def test_a_service_process_refuses_to_start_in_production_without_real_keys_or_database(tmp_path, missing):
    import base64
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {"PATH": "/usr/bin:/bin", "TGD_ENV": "production", "AMQP_URI": "pyamqp://u:p@127.0.0.1:1/none"}
    if missing == "database":
        env.update(TGD_FIELD_KEYS=f"k1:{base64.b64encode(os.urandom(32)).decode()}", TGD_ACTIVE_KEY_ID="k1",
                   TGD_BLIND_INDEX_KEY=base64.b64encode(os.urandom(32)).decode())  # fmt: skip
    else:
        env["MONGODB_URI"] = "mongodb://u:p@127.0.0.1:1/?replicaSet=rs0"
    binary = Path(sys.executable).parent / "tgd-service"
    result = subprocess.run(
        [str(binary), "referral"], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert result.returncode != 0
    assert ("TGD_FIELD_KEYS" if missing == "keys" else "MONGODB_URI") in result.stderr


def test_a_client_that_never_finishes_its_headers_is_disconnected(tmp_path):
    """Slowloris: uvicorn alone waits for headers forever; the gateway's protocol closes the
    connection (a complete request on another connection is served normally)."""
    import socket
    import threading

    import uvicorn

    from gateway.serving import uvicorn_options

    app, _ = gateway(tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", **uvicorn_options(0.3))
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            threading.Event().wait(0.05)
        with socket.create_connection(("127.0.0.1", port)) as slow:
            slow.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # never the blank line
            slow.settimeout(30)
            assert slow.recv(1024) == b""  # closed by the server, no answer
        with socket.create_connection(("127.0.0.1", port)) as normal:
            normal.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            normal.settimeout(30)
            assert normal.recv(1024).startswith(b"HTTP/1.1 ")
    finally:
        server.should_exit = True
        thread.join(10)


def test_the_subject_access_readers_name_who_received_her_data_on_the_bus(tmp_path):
    from gateway.testing.fake_alerts import fake_alert
    from gateway.testing.fake_evidence import ALERTS

    fake = FakeServices(lambda object_id: "tj-moulins")
    dispatched = {
        "dispatch_id": "d-1",
        "recipient": {"audience": "command", "territory": "03", "unit": "cic-03"},
        "kind": "dispatch",
        "attempts": 1,
        "first_sent_at": "2026-06-01T22:00:01Z",
        "last_sent_at": "2026-06-01T22:00:01Z",
        "acknowledged_at": None,
    }
    fake.handlers[("alert", "get_alert")] = lambda alert_id: {
        **fake_alert(alert_id, "tj-moulins"),
        "deliveries": [dispatched],
    }
    app = create_app(Settings(data_dir=tmp_path), rpc=fake)
    client = TestClient(app, raise_server_exceptions=False)
    response = client.get(f"/v1/subject-access/{REFERRAL_ID}/readers", headers=auth_headers("admin", "*"))
    assert response.status_code == 200, response.text
    recipients = response.json()["recipients"]
    assert {(r["object_id"], r["audience"], r["unit"]) for r in recipients if r["kind"] == "dispatch"} == {
        (alert_id, "command", "cic-03") for alert_id in ALERTS
    }
    assert any(r["kind"] == "notice" for r in recipients)  # the units informed of her measure
