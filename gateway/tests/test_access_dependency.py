"""The access guard is a dependency declared on the app (gateway/auth/route_checks.py):
every route runs it first, a route it cannot run for never answers, and a request
FastAPI refuses before any dependency (an undecodable body) gets the guard's answer first."""

from __future__ import annotations

from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from starlette.responses import JSONResponse
from starlette.routing import Route

from gateway.auth.audit import AuditLog
from gateway.auth.route_checks import before_route
from gateway.main import create_app
from gateway.settings import Settings
from tgd_contracts.errors import ERRORS, ErrorCode, TgdError
from tgd_testkit.fake_services import FakeServices
from tgd_testkit.tokens import auth_headers

REFERRAL_ID = "0123456789abcdef0123456789abcdef"
BROKEN = b'{"referrer": '
JSON = {"content-type": "application/json", "Idempotency-Key": "order-0001"}


def build(tmp_path):
    app = create_app(Settings(data_dir=tmp_path), rpc=FakeServices(lambda object_id: "tj-moulins"))
    return app, TestClient(app, raise_server_exceptions=False)


def test_every_route_runs_the_guard_before_anything_of_its_own(tmp_path):
    app, _ = build(tmp_path)
    contexts = list(iter_route_contexts(app.routes))
    assert len(contexts) > 50
    for context in contexts:
        dependant = context._effective_route.dependant
        assert dependant.dependencies[0].call is before_route, context.path_format


def test_a_route_the_guard_cannot_run_for_is_refused(tmp_path):
    app, client = build(tmp_path)

    async def plain(request):
        return JSONResponse({"secret": "EXEMPLE"})

    app.router.routes.append(Route("/v1/plain", plain))
    response = client.get("/v1/plain", headers=auth_headers("association", "tj-moulins"))
    assert response.status_code == 403
    assert "EXEMPLE" not in response.text


def test_an_undecodable_body_gets_the_guards_answer_first(tmp_path):
    _, client = build(tmp_path)
    url = f"/v1/referrals/{REFERRAL_ID}/contacts"
    assert client.post(url, content=BROKEN, headers=JSON).status_code == 401
    police = client.post(url, content=BROKEN, headers={**JSON, **auth_headers("police", "tj-moulins")})
    assert police.status_code == 403
    association = {**JSON, **auth_headers("association", "tj-moulins", client_id="assoc-order")}
    assert client.post(url, content=BROKEN, headers=association).status_code == 400
    assert client.post(url, content=b'{"on": "\xff"}', headers=JSON).status_code == 401
    entries = list(AuditLog(tmp_path / "audit.jsonl").entries())
    assert [(e["client_id"], e["status"]) for e in entries] == [("test-police", 403), ("assoc-order", 400)]


def test_a_refused_body_after_the_guard_is_not_taken_for_a_retry(tmp_path):
    _, client = build(tmp_path)
    url = f"/v1/referrals/{REFERRAL_ID}/contacts"
    headers = {**auth_headers("association", "tj-moulins"), "Idempotency-Key": "retry-after-422"}
    refused = client.post(url, json={"on": "2026-01-05"}, headers=headers)
    assert refused.status_code == 422, refused.text
    contact = {"on": "2026-01-05", "nature": "phone_call", "by": "Intervenante fictive"}
    assert client.post(url, json=contact, headers=headers).status_code < 300


def test_a_failed_lookup_answers_its_code_and_is_no_access(tmp_path):
    app, client = build(tmp_path)

    def unavailable(**kwargs):
        raise TgdError("referral: no answer from node-7", code=ErrorCode.SERVICE_UNAVAILABLE)

    app.state.rpc.handlers[("referral", "get_referral")] = unavailable
    url = f"/v1/referrals/{REFERRAL_ID}/contacts"
    contact = {"on": "2026-01-05", "nature": "phone_call", "by": "Intervenante fictive"}
    response = client.post(url, json=contact, headers=auth_headers("association", "tj-moulins"))
    assert response.status_code == 503
    assert response.json()["message"] == ERRORS[ErrorCode.SERVICE_UNAVAILABLE].description
    assert list(AuditLog(tmp_path / "audit.jsonl").entries()) == []
