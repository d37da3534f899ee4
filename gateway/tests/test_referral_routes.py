"""Gateway routes with a fake RPC client: shapes, statuses and the error table."""

import hashlib
import json
import tempfile

import pytest
from fastapi.testclient import TestClient

from gateway.main import create_app
from gateway.rpc import RemoteServiceError
from gateway.settings import Settings
from tgd_contracts.errors import ErrorCode, TgdError
from tgd_testkit.tokens import auth_headers

from .fakes import FakeRpc

REFERRAL_ID = "0123456789abcdef0123456789abcdef"
BODY = {
    "referrer": {"kind": "judge", "organisation": "Tribunal Fictif"},
    "victim": {"surname": "EXEMPLE", "first_names": ["Fictive"], "birth_date": "1985-06-07"},
    "facts": "Faits fictifs pour les tests du gateway.",
    "urgency": "urgent",
    "jurisdiction": "tj-paris",
}
KEY = {"Idempotency-Key": "gateway-test-0001"}


def stored(submission, created=True):
    return {
        "created": created,
        "referral": {
            "id": REFERRAL_ID,
            "status": "received",
            "received_at": "2026-01-01T00:00:00Z",
            **submission,
            "view": "record",  # the service's view for the prosecutor's office
        },
    }


def client_for(answer=None, connected=True, **settings):
    """A client authenticated as the prosecutor's office of tj-paris (BODY's jurisdiction)."""
    rpc = FakeRpc(answer, connected)
    settings.setdefault("data_dir", tempfile.mkdtemp(prefix="tgd-gateway-test-"))
    app = create_app(Settings(**settings), rpc=rpc)
    return TestClient(app, raise_server_exceptions=False, headers=auth_headers("prosecutor", "tj-paris")), rpc


def test_post_creates_and_forwards_key_and_validated_body():
    client, rpc = client_for(lambda s, m, **kw: stored(kw["submission"]))
    response = client.post("/v1/referrals", json=BODY, headers=KEY)
    assert response.status_code == 201
    assert response.json()["id"] == REFERRAL_ID
    ((service, method, kwargs),) = rpc.calls
    assert (service, method) == ("referral", "submit_referral")
    scoped = hashlib.sha256(f"test-prosecutor\n{KEY['Idempotency-Key']}".encode()).hexdigest()
    assert kwargs["idempotency_key"] == scoped  # scoped to the calling client
    assert kwargs["submission"]["victim"]["birth_date"] == "1985-06-07"
    assert kwargs["role"] == "prosecutor"  # the service answers the caller's view


def test_a_replay_answers_200_with_the_stored_referral():
    client, _ = client_for(lambda s, m, **kw: stored(kw["submission"], created=False))
    response = client.post("/v1/referrals", json=BODY, headers=KEY)
    assert response.status_code == 200
    assert response.json()["id"] == REFERRAL_ID


@pytest.mark.parametrize(
    ("content", "headers", "status", "code"),
    [
        (b"{not json", {"content-type": "application/json", **KEY}, 400, "malformed_json"),
        (b'{"referrer": ', {"content-type": "application/json", **KEY}, 400, "malformed_json"),
        (b"[]", {"content-type": "application/json", **KEY}, 422, "invalid_request"),
        (b"plain words", {"content-type": "text/plain", **KEY}, 415, "unsupported_media_type"),
        (json.dumps(BODY).encode(), {"content-type": "application/json"}, 400, "missing_idempotency_key"),
    ],
)
def test_malformed_requests_get_a_clear_error(content, headers, status, code):
    client, rpc = client_for()
    response = client.post("/v1/referrals", content=content, headers=headers)
    assert response.status_code == status
    assert response.json()["error"] == code
    assert response.json()["message"]
    assert rpc.calls == []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("urgency",), 1),
        (("urgency",), "URGENT"),
        (("facts",), 1234567890123),
        (("victim", "surname"), ["A"]),
        (("victim", "birth_date"), "07/06/1985"),
        (("referrer", "kind"), "fortune_teller"),
        (("jurisdiction",), "Paris!"),
        (("unexpected",), "field"),
        (("victim", "nationality"), "fictive"),  # outside the arrêté's identity fields (privacy.md)
        (("victim", "phone"), "0600000000"),
    ],
)
def test_wrong_types_and_unknown_fields_are_refused_with_their_location(path, value):
    body = {**BODY, "victim": dict(BODY["victim"]), "referrer": dict(BODY["referrer"])}
    target = body
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    client, rpc = client_for()
    response = client.post("/v1/referrals", json=body, headers=KEY)
    assert response.status_code == 422
    payload = response.json()
    assert payload["error"] == "invalid_request"
    assert any(path[-1] in d["location"] for d in payload["details"])
    assert str(value) not in str(payload["details"]) or isinstance(value, int)  # values are not echoed
    assert rpc.calls == []


def test_an_oversized_body_is_refused_before_reaching_the_service():
    client, rpc = client_for(max_body_bytes=1024)
    body = {**BODY, "facts": "x" * 5000}
    response = client.post("/v1/referrals", json=body, headers=KEY)
    assert response.status_code == 413
    assert response.json()["error"] == "payload_too_large"
    assert rpc.calls == []


def test_an_oversized_chunked_body_without_length_is_refused():
    client, rpc = client_for(max_body_bytes=1024)

    def chunks():
        for _ in range(10):
            yield b" " * 512

    response = client.post("/v1/referrals", content=chunks(), headers={"content-type": "application/json", **KEY})
    assert response.status_code == 413
    assert rpc.calls == []


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (TgdError(code=ErrorCode.UNKNOWN_JURISDICTION), 422, "unknown_jurisdiction"),
        (TgdError(code=ErrorCode.IDEMPOTENCY_KEY_REUSED), 409, "idempotency_key_reused"),
        (TgdError(code=ErrorCode.SERVICE_TIMEOUT), 504, "service_timeout"),
        (TgdError(code=ErrorCode.SERVICE_UNAVAILABLE), 503, "service_unavailable"),
        (RemoteServiceError("KeyError"), 500, "internal_error"),
        (RuntimeError("boom"), 500, "internal_error"),
    ],
)
def test_service_errors_map_through_the_one_table(error, status, code):
    def fail(service, method, **kwargs):
        raise error

    client, _ = client_for(fail)
    response = client.post("/v1/referrals", json=BODY, headers=KEY)
    assert response.status_code == status
    assert response.json()["error"] == code
    assert "boom" not in response.text


def test_get_one_and_not_found():
    def answer(service, method, **kwargs):
        if kwargs["referral_id"] == REFERRAL_ID:
            return stored(BODY)["referral"]
        raise TgdError(code=ErrorCode.REFERRAL_NOT_FOUND)

    client, _ = client_for(answer)
    assert client.get(f"/v1/referrals/{REFERRAL_ID}").status_code == 200
    missing = client.get(f"/v1/referrals/{'f' * 32}")
    assert missing.status_code == 404
    assert missing.json()["error"] == "referral_not_found"
    malformed = client.get("/v1/referrals/../../etc")
    assert malformed.status_code in (404, 422)


def test_list_passes_a_typed_query_and_refuses_lax_booleans():
    client, rpc = client_for(lambda s, m, **kw: {"items": [], "total": 0, "limit": 50, "offset": 0})
    assert client.get("/v1/referrals", params={"jurisdiction": "tj-paris", "urgent": "true"}).status_code == 200
    assert rpc.calls[0][2]["query"] == {"jurisdiction": "tj-paris", "urgent": True, "limit": 50, "offset": 0}
    for bad in ({"jurisdiction": "tj-paris", "urgent": "yes"}, {"jurisdiction": "tj-paris", "limit": "1e3"}, {}):
        response = client.get("/v1/referrals", params=bad)
        assert response.status_code == 422, bad
        assert response.json()["error"] == "invalid_request"


def test_unknown_routes_and_methods_use_the_error_shape():
    client, _ = client_for()
    assert client.get("/v1/nothing-here").json()["error"] == "not_found"
    response = client.delete(f"/v1/referrals/{REFERRAL_ID}")
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"


def test_request_ids_are_echoed_or_made():
    client, _ = client_for()
    assert client.get("/health", headers={"X-Request-Id": "partner-abc-1"}).headers["x-request-id"] == "partner-abc-1"
    made = client.get("/health", headers={"X-Request-Id": "bad id with spaces"}).headers["x-request-id"]
    assert made != "bad id with spaces"
    assert len(made) == 32


def test_health_reports_the_broker():
    client, _ = client_for(connected=True)
    assert client.get("/health").json() == {"status": "ok", "broker": "reachable"}
    client, _ = client_for(connected=False)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["broker"] == "unreachable"


def test_the_default_listen_address_is_loopback():
    assert Settings().host == "127.0.0.1"


def test_every_route_documents_its_error_responses():
    client, _ = client_for()
    spec = client.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            if path != "/health":
                assert "500" in statuses, (method, path)
            if operation.get("parameters") or operation.get("requestBody"):  # no input, no invalid_request
                assert "422" in statuses, (method, path)
