"""Tokens, the token endpoint, registered clients and the production settings."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from fastapi.testclient import TestClient

from gateway.auth.clients import ClientStore
from gateway.auth.roles import Role
from gateway.auth.tokens import InvalidToken, verify_token
from gateway.main import create_app
from gateway.settings import DEV_JWT_SECRET, Settings
from tgd_testkit.fake_services import FakeServices
from tgd_testkit.tokens import dev_token_config, token_for

REFERRAL = "/v1/referrals/0123456789abcdef0123456789abcdef"


@pytest.fixture
def gateway(tmp_path):
    app = create_app(Settings(data_dir=tmp_path), rpc=FakeServices())
    return TestClient(app, raise_server_exceptions=False), ClientStore(tmp_path / "clients.json")


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_a_valid_token_is_accepted(gateway):
    client, _ = gateway
    assert client.get(REFERRAL, headers=bearer(token_for("association", "tj-paris"))).status_code == 200


def tampered(token: str) -> str:
    header, _payload, signature = token.split(".")
    claims = jwt.decode(token, options={"verify_signature": False})
    claims["jur"] = ["*"]
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: tampered(token_for("association", "tj-moulins")), id="tampered-claims"),
        pytest.param(lambda: token_for("association", "tj-paris")[:-3] + "AAA", id="tampered-signature"),
        pytest.param(
            lambda: token_for("association", "tj-paris", config=dev_token_config(), now=time.time() - 3600),
            id="expired",
        ),
        pytest.param(
            lambda: token_for("association", "tj-paris", config=dev_token_config(audience="another-api")),
            id="wrong-audience",
        ),
        pytest.param(
            lambda: token_for("association", "tj-paris", config=dev_token_config(issuer="someone-else")),
            id="wrong-issuer",
        ),
        pytest.param(
            lambda: token_for("association", "tj-paris", config=dev_token_config(secret="x" * 48)), id="other-key"
        ),
        pytest.param(
            lambda: jwt.encode({"sub": "x", "scope": "association", "jur": ["*"]}, None, algorithm="none"),
            id="alg-none",
        ),
        pytest.param(lambda: "not-a-jwt", id="garbage"),
    ],
)
def test_bad_tokens_are_refused(gateway, make):
    client, _ = gateway
    response = client.get(REFERRAL, headers=bearer(make()))
    assert response.status_code == 401
    assert response.json()["error"] == "unauthenticated"
    with pytest.raises(InvalidToken):
        verify_token(dev_token_config(), make())


def test_client_credentials_give_a_short_lived_token_with_role_and_jurisdictions(gateway):
    client, store = gateway
    registered, secret = store.register("Association Fictive", Role.ASSOCIATION, ["tj-moulins"], [])
    form = {"grant_type": "client_credentials", "client_id": registered.client_id, "client_secret": secret}
    response = client.post("/v1/oauth/token", data=form)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 600
    principal = verify_token(dev_token_config(), body["access_token"])
    assert principal.role is Role.ASSOCIATION
    assert principal.jurisdictions == {"tj-moulins"}
    # HTTP Basic works too
    basic = base64.b64encode(f"{registered.client_id}:{secret}".encode()).decode()
    response = client.post(
        "/v1/oauth/token", data={"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {basic}"}
    )
    assert response.status_code == 200
    assert "secret" not in store.path.read_text().replace("secret_hash", "")
    assert secret not in store.path.read_text()


def test_wrong_secret_rotated_secret_and_disabled_clients_get_no_token(gateway):
    client, store = gateway
    registered, secret = store.register("Parquet Fictif", Role.PROSECUTOR, ["tj-paris"], [])

    def token_status(s):
        form = {"grant_type": "client_credentials", "client_id": registered.client_id, "client_secret": s}
        response = client.post("/v1/oauth/token", data=form)
        return response.status_code, response.json().get("error")

    assert token_status("wrong") == (401, "invalid_client")
    new_secret = store.rotate(registered.client_id)
    assert token_status(secret) == (401, "invalid_client")
    assert token_status(new_secret)[0] == 200
    store.set_disabled(registered.client_id, True)
    assert token_status(new_secret) == (401, "invalid_client")
    form = {"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "x"}
    assert client.post("/v1/oauth/token", data=form).json()["error"] == "invalid_client"


@pytest.mark.parametrize(
    ("content", "content_type", "status", "code"),
    [
        (b"grant_type=authorization_code&code=a", "application/x-www-form-urlencoded", 422, None),  # unknown field
        (b"grant_type=implicit&client_id=a&client_secret=b", "application/x-www-form-urlencoded", 400, None),
        (b"client_id=a", "application/x-www-form-urlencoded", 422, "invalid_request"),
        (b"grant_type=client_credentials&grant_type=x", "application/x-www-form-urlencoded", 422, None),
        (b'{"grant_type": "client_credentials"}', "application/json", 415, "unsupported_media_type"),
    ],
)
def test_malformed_token_requests(gateway, content, content_type, status, code):
    client, _ = gateway
    response = client.post("/v1/oauth/token", content=content, headers={"content-type": content_type})
    assert response.status_code == status
    if code:
        assert response.json()["error"] == code


def test_registration_refuses_unknown_territories_and_national_partners(tmp_path):
    store = ClientStore(tmp_path / "clients.json")
    with pytest.raises(ValueError, match="unknown"):
        store.register("x", Role.ASSOCIATION, ["tj-atlantis"], [])
    with pytest.raises(ValueError, match="national"):
        store.register("x", Role.POLICE, ["*"], [])
    police, _ = store.register("DDSP Fictive", Role.POLICE, [], ["03"], unit="csp-montlucon")
    assert police.jurisdictions == ["tj-cusset", "tj-montlucon", "tj-moulins"]
    assert police.principal().departments == {"03"}


def test_production_refuses_the_development_secret_and_open_cors(monkeypatch):
    with pytest.raises(ValueError, match="production"):
        Settings(env="production")
    with pytest.raises(ValueError, match="production"):
        Settings(env="production", jwt_secret="short")
    with pytest.raises(ValueError, match="TGD_GATEWAY_AUDIT_KEY"):
        Settings(env="production", jwt_secret="s" * 40)
    with pytest.raises(ValueError, match="CORS"):
        Settings(env="production", jwt_secret="s" * 40, audit_key="a" * 40, cors_origins=["*"])
    monkeypatch.setenv("TGD_ENV", "production")
    monkeypatch.setenv("TGD_GATEWAY_JWT_SECRET", "p" * 40)
    monkeypatch.setenv("TGD_GATEWAY_AUDIT_KEY", "a" * 40)
    assert Settings().jwt_secret != DEV_JWT_SECRET
    assert Settings(_env_file=None).env == "production"


def test_the_gateway_process_refuses_to_start_in_production_with_the_dev_secret(monkeypatch):
    import subprocess
    import sys

    env = {"TGD_ENV": "production", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "gateway"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "TGD_GATEWAY_JWT_SECRET" in result.stderr
