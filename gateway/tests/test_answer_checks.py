"""The answer side of the access rules, applied by the routes themselves
(gateway/auth/answer_guard.py): every route whose rule reads its answer checks it, and an
answer that was not checked never leaves (fail closed)."""

from __future__ import annotations

from typing import Any

from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from gateway.auth.access import ACCESS
from gateway.auth.answer_checks import reads_answer
from gateway.auth.answer_guard import Answer, answer_check
from gateway.auth.audit import AuditLog
from gateway.auth.roles import Role
from gateway.auth.route_index import route_key
from gateway.auth.rules import allow, answer
from gateway.main import create_app
from gateway.settings import Settings
from tgd_testkit.fake_services import FakeServices
from tgd_testkit.tokens import auth_headers

OWN, FOREIGN = "tj-moulins", "tj-paris"


def calls_of(dependant: Any) -> set[Any]:
    found = set()
    for sub in dependant.dependencies:
        found |= {sub.call, *calls_of(sub)}
    return found


def test_every_route_whose_rule_reads_its_answer_declares_the_check(tmp_path):
    app = create_app(Settings(data_dir=tmp_path), rpc=FakeServices(lambda object_id: OWN))
    checked, missing = [], []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        for method in context.methods or ():
            key = route_key(method, context.path_format)
            rule = ACCESS.get(key)
            if rule is None or rule.public or not reads_answer(rule, context.path_format):
                continue
            (checked if answer_check in calls_of(route.dependant) else missing).append(key)
    assert missing == [], "return answer.checked(...) from these routes (gateway/auth/answer_guard.py)"
    assert "GET /v1/referrals/{referral_id}" in checked
    assert "POST /v1/device-alerts" in checked


def build(tmp_path, jurisdiction: str):
    table = {
        **ACCESS,
        "GET /v1/forgetful": allow(Role.ASSOCIATION, territory=[answer("jurisdiction")], personal=True),
        "GET /v1/careful": allow(Role.ASSOCIATION, territory=[answer("jurisdiction")], personal=True),
    }
    app = create_app(Settings(data_dir=tmp_path), rpc=FakeServices(lambda object_id: OWN), access=table)

    @app.get("/v1/forgetful")
    async def forgetful() -> dict:
        return {"jurisdiction": jurisdiction, "name": "EXEMPLE"}

    @app.get("/v1/careful")
    async def careful(checker: Answer) -> dict:
        return checker.checked({"jurisdiction": jurisdiction, "name": "EXEMPLE"})

    return TestClient(app, raise_server_exceptions=False)


def test_an_answer_its_rule_reads_is_withheld_when_the_route_does_not_check_it(tmp_path):
    client = build(tmp_path, OWN)
    response = client.get("/v1/forgetful", headers=auth_headers("association", OWN))
    assert response.status_code == 500
    assert response.json()["error"] == "internal_error"
    assert "EXEMPLE" not in response.text
    assert list(AuditLog(tmp_path / "audit.jsonl").entries()) == []


def test_a_checked_answer_goes_out_and_a_foreign_one_is_the_rules_404_in_the_access_log(tmp_path):
    client = build(tmp_path, OWN)
    headers = auth_headers("association", OWN, client_id="assoc-own")
    assert client.get("/v1/careful", headers=headers).json()["name"] == "EXEMPLE"
    foreign = build(tmp_path, FOREIGN).get("/v1/careful", headers=headers)
    assert foreign.status_code == 404
    assert "EXEMPLE" not in foreign.text
    entries = list(AuditLog(tmp_path / "audit.jsonl").entries())
    assert [(e["status"], e["jurisdiction"]) for e in entries] == [(200, OWN), (404, FOREIGN)]


def test_a_replayed_answer_is_recorded_as_first_checked(tmp_path):
    app = create_app(Settings(data_dir=tmp_path), rpc=FakeServices(lambda object_id: OWN))
    client = TestClient(app, raise_server_exceptions=False)
    headers = {**auth_headers("teleassistance", "*"), "Idempotency-Key": "replay-0001"}
    url = "/v1/alerts/0123456789abcdef0123456789abcdef/take"
    first, again = client.post(url, json={}, headers=headers), client.post(url, json={}, headers=headers)
    assert first.status_code == again.status_code == 200, first.text
    assert again.headers["idempotent-replayed"] == "true"
    entries = list(AuditLog(tmp_path / "audit.jsonl").entries())
    assert [(e["status"], e["jurisdiction"]) for e in entries] == [(200, OWN), (200, OWN)]
