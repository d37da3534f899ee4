"""A person's token (the console's login): password grant, refresh grant, and the
account re-checked at each renewal. The console holds no token of its own."""

from __future__ import annotations

import jwt
import pytest
from fastapi.testclient import TestClient

from gateway.auth.operators import OperatorStore
from gateway.auth.roles import Role
from gateway.main import create_app
from gateway.settings import Settings
from tgd_testkit.fake_services import FakeServices

TOKEN = "/v1/oauth/token"
FORM = {"content-type": "application/x-www-form-urlencoded"}


@pytest.fixture
def gateway(tmp_path):
    app = create_app(Settings(data_dir=tmp_path), rpc=FakeServices())
    people = OperatorStore.in_dir(tmp_path)
    _, password = people.register_operator("m.exemple", "Magistrate Fictive", Role.PROSECUTOR, ["tj-moulins"])
    return TestClient(app, raise_server_exceptions=False), people, password


def log_in(client, login, password):
    return client.post(TOKEN, data={"grant_type": "password", "username": login, "password": password})


def test_a_person_gets_her_own_token_with_her_role_and_courts(gateway):
    client, _, password = gateway
    response = log_in(client, "m.exemple", password)
    assert response.status_code == 200, response.text
    body = response.json()
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert (claims["sub"], claims["scope"], claims["jur"]) == ("m.exemple", "prosecutor", ["tj-moulins"])
    own = {"Authorization": f"Bearer {body['access_token']}"}
    assert client.get("/v1/measures", params={"jurisdiction": "tj-moulins"}, headers=own).status_code == 200
    assert client.get("/v1/measures", params={"jurisdiction": "tj-paris"}, headers=own).status_code == 403


@pytest.mark.parametrize("password", ["wrong-password", ""])
def test_a_wrong_password_gets_no_token(gateway, password):
    client, _, _ = gateway
    response = log_in(client, "m.exemple", password)
    assert response.status_code in (400, 401)
    assert "access_token" not in response.json()


def test_the_refresh_token_renews_until_the_account_is_disabled(gateway):
    client, people, password = gateway
    refresh = log_in(client, "m.exemple", password).json()["refresh_token"]
    renewed = client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": refresh})
    assert renewed.status_code == 200
    assert renewed.json()["scope"] == "prosecutor"
    people.set_disabled("m.exemple", True)
    refused = client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": refresh})
    assert refused.status_code == 401
    assert refused.json()["error"] == "invalid_client"


def test_a_refresh_token_is_not_an_access_token_nor_the_reverse(gateway):
    client, _, password = gateway
    body = log_in(client, "m.exemple", password).json()
    as_access = {"Authorization": f"Bearer {body['refresh_token']}"}
    assert client.get("/v1/measures", params={"jurisdiction": "tj-moulins"}, headers=as_access).status_code == 401
    as_refresh = client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": body["access_token"]})
    assert as_refresh.status_code == 401


@pytest.mark.parametrize(
    ("role", "courts"),
    [
        (Role.POLICE, ["tj-moulins"]),
        (Role.PROSECUTOR, []),
        (Role.PROSECUTOR, ["tj-nowhere"]),
        (Role.TELEASSISTANCE, ["tj-paris"]),
    ],
)
def test_a_person_account_names_a_screen_role_and_known_courts(tmp_path, role, courts):
    with pytest.raises(ValueError):
        OperatorStore.in_dir(tmp_path).register_operator("x.exemple", "Fictive", role, courts)
    assert OperatorStore.in_dir(tmp_path).load() == {}


def test_the_person_s_name_comes_with_her_token_for_her_screens(gateway):
    client, _, password = gateway
    assert log_in(client, "m.exemple", password).json()["name"] == "Magistrate Fictive"


def test_failed_logins_lock_the_person_s_password_grant_like_the_console_form(gateway):
    client, _, password = gateway
    for _ in range(5):  # TGD_GATEWAY_LOGIN_FAILURES_PER_PAIR
        assert log_in(client, "m.exemple", "wrong-password").status_code == 401
    locked = log_in(client, "m.exemple", password)
    assert locked.status_code == 429
    assert locked.json()["error"] == "rate_limited"


def test_a_revoked_refresh_token_renews_nothing(gateway):
    client, _, password = gateway
    refresh = log_in(client, "m.exemple", password).json()["refresh_token"]
    revoked = client.post("/v1/oauth/revoke", data={"token": refresh})
    assert revoked.status_code == 200
    renewal = client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": refresh})
    assert renewal.status_code == 401
    assert client.post("/v1/oauth/revoke", data={"token": "not-a-token"}).status_code == 200  # RFC 7009
    assert client.post("/v1/oauth/revoke", data={"other": "x"}).status_code in (400, 422)
