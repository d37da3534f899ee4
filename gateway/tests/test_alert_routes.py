"""Alert routes with a fake RPC client: statuses, forwarding, the SSE stream."""

import asyncio
import json

from fastapi.testclient import TestClient

from gateway.main import create_app
from gateway.routes.alert_stream import open_alert_events
from gateway.settings import Settings
from tgd_contracts.errors import ErrorCode, TgdError
from tgd_testkit.tokens import auth_headers

from .fakes import FakeRpc

ALERT_ID = "0123456789abcdef0123456789abcdef"
TRIGGER = {
    "device_id": "dev-0001",
    "press_id": "press-0001",
    "triggered_at": "2026-06-01T22:00:00Z",
    "position": {"lat": 46.34, "lon": 2.6, "accuracy_m": 25, "fixed_at": "2026-06-01T21:59:58Z"},
}


VIEW = {
    "alert_id": ALERT_ID,
    "state": "dispatched",
    "device_id": "dev-0001",
    "flags": [],
    "raised_at": "2026-06-01T22:00:00Z",
    "presses": ["2026-06-01T22:00:00Z"],
    "positions": [],
    "automatic": False,
    "deliveries": [],
    "journal": [],
}


PLATFORM = auth_headers("teleassistance", "*")  # the national teleassistance platform
POLICE_03 = auth_headers("police", "tj-moulins")


def client_for(answer, headers=PLATFORM):
    rpc = FakeRpc(answer)
    client = TestClient(create_app(Settings(), rpc=rpc), raise_server_exceptions=False, headers=headers)
    return client, rpc


def test_a_trigger_answers_202_once_the_service_stored_it():
    client, rpc = client_for(
        lambda s, m, **kw: {"alert_id": ALERT_ID, "joined": False, "duplicate": False, "flags": []}
    )
    response = client.post("/v1/device-alerts", json=TRIGGER)
    assert response.status_code == 202
    assert response.json()["alert_id"] == ALERT_ID
    ((service, method, kwargs),) = rpc.calls
    assert (service, method) == ("alert", "trigger_alert")
    assert kwargs["trigger"]["position"]["lat"] == 46.34


def test_a_trigger_without_timezone_or_with_a_wrong_position_is_refused():
    client, rpc = client_for(lambda s, m, **kw: {})
    for body in (
        {**TRIGGER, "triggered_at": "2026-06-01T22:00:00"},
        {**TRIGGER, "position": {**TRIGGER["position"], "lat": 91}},
        {**TRIGGER, "extra": 1},
    ):
        response = client.post("/v1/device-alerts", json=body)
        assert response.status_code == 422
        assert response.json()["error"] == "invalid_request"
    assert rpc.calls == []


def test_a_position_with_nan_infinite_or_absurd_accuracy_is_a_clear_422_and_reaches_no_service():
    client, rpc = client_for(lambda s, m, **kw: {"alert_id": ALERT_ID})
    update = {"device_id": "dev-0001", "position": TRIGGER["position"]}
    bodies = {"/v1/device-alerts": json.dumps(TRIGGER), "/v1/device-alerts/positions": json.dumps(update)}
    for path, body in bodies.items():
        for accuracy in ("NaN", "Infinity", "-Infinity", "-1", "1e9"):
            bad = body.replace('"accuracy_m": 25', f'"accuracy_m": {accuracy}')
            response = client.post(path, content=bad, headers={"Content-Type": "application/json"})
            assert response.status_code == 422, (path, accuracy, response.text)
            assert response.json()["error"] == "invalid_request"
    assert rpc.calls == []
    assert client.post("/v1/device-alerts/positions", json=update).status_code < 400  # the same, well-formed


def test_a_service_failure_is_not_a_202():
    def unavailable(s, m, **kw):
        raise TgdError(code=ErrorCode.SERVICE_UNAVAILABLE)

    client, _ = client_for(unavailable)
    assert client.post("/v1/device-alerts", json=TRIGGER).status_code == 503


def test_operator_routes_forward_the_decision():
    client, rpc = client_for(lambda s, m, **kw: VIEW)
    assert client.post(f"/v1/alerts/{ALERT_ID}/dispatch", json={"operator": "op-1"}).status_code == 200
    assert (
        client.post(f"/v1/alerts/{ALERT_ID}/redirect", json={"operator": "op-1", "note": "Fictif."}).status_code == 200
    )
    outcomes = [kw["request"]["outcome"] for _, m, kw in rpc.calls if m == "qualify_alert"]
    assert outcomes == ["danger", "no_danger"]
    assert client.post("/v1/alerts/not-an-id/dispatch", json={"operator": "op-1"}).status_code == 422


def test_partner_routes_and_errors_from_the_table():
    def answer(s, m, **kw):
        if m == "acknowledge":
            raise TgdError(code=ErrorCode.ALERT_NOT_FOUND)
        return {}

    client, _ = client_for(answer, POLICE_03)
    reply = {"dispatch_id": "d-1", "recipient": {"audience": "police", "territory": "03", "unit": "csp-x"}}
    response = client.post(f"/v1/alerts/{ALERT_ID}/acknowledgements", json=reply)
    assert response.status_code == 404
    assert response.json()["error"] == "alert_not_found"
    bad = {"dispatch_id": "d-1", "recipient": {"audience": "army", "territory": "03", "unit": "x"}}
    assert client.post(f"/v1/alerts/{ALERT_ID}/acknowledgements", json=bad).status_code == 422


def test_the_stream_sends_the_open_alerts_when_they_change():
    answers = iter([{"items": []}, {"items": []}, {"items": [{"alert_id": ALERT_ID}]}])
    rpc = FakeRpc(lambda s, m, **kw: next(answers))

    async def collect():
        return [e async for e in open_alert_events(rpc, 0.0, max_events=2) if e.startswith("event:")]

    events = asyncio.run(collect())
    assert events[0].startswith("event: open-alerts\ndata: ")
    assert ALERT_ID in events[1]
    assert [m for _, m, _ in rpc.calls] == ["list_open_alerts"] * 3


def test_partners_answer_only_as_themselves_and_get_a_receipt():
    client, rpc = client_for(lambda s, m, **kw: {**VIEW, "jurisdiction": "tj-moulins"}, POLICE_03)
    mine = {"dispatch_id": "d-1", "recipient": {"audience": "police", "territory": "03", "unit": "any"}}
    response = client.post(f"/v1/alerts/{ALERT_ID}/acknowledgements", json=mine)
    assert response.status_code == 200
    assert response.json() == {"alert_id": ALERT_ID, "state": "dispatched"}  # no alert record, no dossier
    for impostor in (
        {"audience": "gendarmerie", "territory": "03", "unit": "any"},
        {"audience": "police", "territory": "92", "unit": "any"},
    ):
        response = client.post(
            f"/v1/alerts/{ALERT_ID}/acknowledgements", json={"dispatch_id": "d-1", "recipient": impostor}
        )
        assert response.status_code == 403
    assert len(rpc.calls) == 1


def test_only_the_national_platform_operates_alerts():
    client, rpc = client_for(lambda s, m, **kw: VIEW, auth_headers("teleassistance", "tj-moulins"))
    assert client.post("/v1/device-alerts", json=TRIGGER).status_code == 403
    client, rpc = client_for(lambda s, m, **kw: VIEW, POLICE_03)
    assert client.post(f"/v1/alerts/{ALERT_ID}/dispatch", json={"operator": "op-1"}).status_code == 403
    assert rpc.calls == []


def test_a_burst_of_alert_presses_is_never_rate_limited_while_other_routes_are():
    import tempfile

    from tgd_testkit.fake_services import FakeServices

    app = create_app(Settings(data_dir=tempfile.mkdtemp(), rate_per_s=1, rate_burst=5), rpc=FakeServices())
    client = TestClient(app, headers=PLATFORM)
    presses = [
        client.post("/v1/device-alerts", json={**TRIGGER, "press_id": f"burst-{i}"}).status_code for i in range(50)
    ]
    assert presses == [202] * 50
    reads = [client.get("/v1/alerts").status_code for _ in range(10)]
    assert 429 in reads


def test_the_operator_is_the_authenticated_caller_never_the_body(tmp_path):
    rpc = FakeRpc(lambda s, m, **kw: {**VIEW, "jurisdiction": "tj-moulins"})
    platform = auth_headers("teleassistance", "*", client_id="platform-op-7")
    client = TestClient(create_app(Settings(data_dir=tmp_path), rpc=rpc), raise_server_exceptions=False)
    impostor = {"operator": "someone-else", "note": "Fictif."}
    assert client.post(f"/v1/alerts/{ALERT_ID}/take", json={}, headers=platform).status_code == 200
    assert client.post(f"/v1/alerts/{ALERT_ID}/dispatch", json=impostor, headers=platform).status_code == 200
    answer = {"question_id": "can-talk", "answer": "no", "operator": "someone-else"}
    assert client.post(f"/v1/alerts/{ALERT_ID}/answers", json=answer, headers=platform).status_code == 200
    test_call = {"outcome": "test_call"}
    assert client.post(f"/v1/alerts/{ALERT_ID}/qualification", json=test_call, headers=platform).status_code == 200
    assert client.post(f"/v1/alerts/{ALERT_ID}/close", json={}, headers=platform).status_code == 200
    assert {kw["request"]["operator"] for _, _, kw in rpc.calls} == {"platform-op-7"}
    log = client.app.state.audit
    entries, total = log.query(None, object_id=ALERT_ID)
    assert total == 5
    assert {e["jurisdiction"] for e in entries} == {"tj-moulins"}
    assert {e["client_id"] for e in entries} == {"platform-op-7"}


def test_every_partner_reply_accepted_or_refused_is_in_the_access_log_with_the_alert_id(tmp_path):
    def answer(s, m, **kw):
        if kw["alert_id"] == ALERT_ID:
            return VIEW
        raise TgdError(code=ErrorCode.ALERT_NOT_FOUND)  # not dispatched to this caller

    rpc = FakeRpc(answer)
    client = TestClient(create_app(Settings(data_dir=tmp_path), rpc=rpc), raise_server_exceptions=False)
    unit = auth_headers("police", "tj-moulins", unit="csp-moulins", client_id="police-03-csp")
    me = {"audience": "police", "territory": "03", "unit": "csp-moulins"}
    other = "f" + ALERT_ID[1:]
    ack = {"dispatch_id": "d-1", "recipient": me}
    assert client.post(f"/v1/alerts/{ALERT_ID}/acknowledgements", json=ack, headers=unit).status_code == 200
    refused = client.post(f"/v1/alerts/{other}/acknowledgements", json=ack, headers=unit)
    assert refused.status_code == 404
    assert refused.json()["error"] == "alert_not_found"
    report = {"recipient": me, "result": "on_site"}
    assert client.post(f"/v1/alerts/{other}/outcome", json=report, headers=unit).status_code == 404
    impostor = {"recipient": {**me, "unit": "csp-vichy"}, "result": "on_site"}
    assert client.post(f"/v1/alerts/{ALERT_ID}/outcome", json=impostor, headers=unit).status_code == 403
    entries, total = client.app.state.audit.query(None, client_id="police-03-csp")
    assert total == 4
    assert sorted((e["object_id"], e["status"]) for e in entries) == sorted(
        [(ALERT_ID, 200), (other, 404), (other, 404), (ALERT_ID, 403)]
    )
