"""The prosecutor's authorisation to keep an alert's positions 8 days (arrêté du 22 avril
2015): who may give it, what is forwarded (the caller's client id), what is refused."""

from fastapi.testclient import TestClient

from gateway.main import create_app
from gateway.settings import Settings
from tgd_contracts.errors import ErrorCode, TgdError
from tgd_testkit.tokens import auth_headers

from .fakes import FakeRpc

ALERT_ID = "0123456789abcdef0123456789abcdef"
PATH = f"/v1/alerts/{ALERT_ID}/position-retention"
BODY = {"authorised_by": "Parquet de Moulins (fictif)"}
VIEW = {
    "alert_id": ALERT_ID,
    "extended": True,
    "positions_purge_at": "2026-06-09T22:00:00Z",
    "authorised_by": BODY["authorised_by"],
    "client_id": "parquet-moulins",
    "authorised_at": "2026-06-02T08:00:00Z",
}


def answer_for(jurisdiction="tj-moulins", refuse=None):
    def answer(service, method, **kwargs):
        if method == "alert_territory":
            return {"alert_id": kwargs["alert_id"], "jurisdiction": jurisdiction}
        if refuse is not None:
            raise TgdError(code=refuse)
        return VIEW

    return answer


def client_for(answer, headers):
    rpc = FakeRpc(answer)
    return TestClient(create_app(Settings(), rpc=rpc), raise_server_exceptions=False, headers=headers), rpc


PROSECUTOR = auth_headers("prosecutor", "tj-moulins", client_id="parquet-moulins")


def test_the_alerts_prosecutor_authorises_and_the_gateway_names_the_client():
    client, rpc = client_for(answer_for(), PROSECUTOR)
    response = client.post(PATH, json=BODY)
    assert response.status_code == 200
    assert response.json()["extended"] is True
    ((_, lookup, _), (service, method, kwargs)) = rpc.calls
    assert (lookup, service, method) == ("alert_territory", "alert", "authorise_position_retention")
    assert kwargs == {"alert_id": ALERT_ID, "request": {**BODY, "client_id": "parquet-moulins"}}


def test_another_jurisdictions_prosecutor_gets_a_404_and_nothing_changes():
    client, rpc = client_for(answer_for("tj-paris"), PROSECUTOR)
    response = client.post(PATH, json=BODY)
    assert (response.status_code, response.json()["error"]) == (404, "alert_not_found")
    assert [m for _, m, _ in rpc.calls] == ["alert_territory"]


def test_other_roles_are_refused():
    for role, scope in (("teleassistance", "*"), ("police", "tj-moulins"), ("association", "tj-moulins")):
        client, rpc = client_for(answer_for(), auth_headers(role, scope))
        assert client.post(PATH, json=BODY).status_code == 403
        assert rpc.calls == []


def test_after_the_72_hours_the_refusal_says_so():
    client, _ = client_for(answer_for(refuse=ErrorCode.RETENTION_OVER), PROSECUTOR)
    response = client.post(PATH, json=BODY)
    assert (response.status_code, response.json()["error"]) == (409, "retention_over")


def test_a_field_outside_the_contract_is_refused_before_any_call():
    for body in ({**BODY, "until": "2026-07-01"}, {**BODY, "client_id": "someone-else"}, {}):
        client, rpc = client_for(answer_for(), PROSECUTOR)
        response = client.post(PATH, json=body)
        assert (response.status_code, response.json()["error"]) == (422, "invalid_request")
        assert "authorise_position_retention" not in [m for _, m, _ in rpc.calls]
