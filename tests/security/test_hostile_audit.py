"""Issue 17, item 3 (an access log that proves who read her data): reason codes, object ids,
MACs and the anchored head, `tgd audit verify`, recipients on the bus."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from gateway.auth.audit import AuditLog
from gateway.main import create_app
from gateway.settings import Settings
from tgd_testkit.fake_services import FakeServices
from tgd_testkit.tokens import auth_headers

REFERRAL_ID = "0123456789abcdef0123456789abcdef"
ALERT_ID = "fedcba9876543210fedcba9876543210"


def test_a_free_text_access_reason_is_refused_and_a_code_with_a_reference_is_recorded(tmp_path, gateway):
    _, client = gateway()
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


def test_every_personal_route_on_an_object_logs_its_id_and_jurisdiction(tmp_path, gateway):
    _, client = gateway()
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


def test_the_subject_access_readers_name_who_received_her_data_on_the_bus(tmp_path):
    from tgd_testkit.fake_alerts import fake_alert
    from tgd_testkit.fake_evidence import ALERTS

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
