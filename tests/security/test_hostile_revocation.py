"""Issue 17, item 4 (revocation): console sessions (console/) end at logout and at a password rotation;
a disabled or rotated client's tokens stop at once; a maximum token lifetime."""

from __future__ import annotations

import re

import jwt
from fastapi.testclient import TestClient

from gateway.auth.clients import ClientStore
from gateway.auth.operators import OperatorStore
from gateway.auth.roles import Role
from tgd_testkit.tokens import DEV

REFERRAL_ID = "0123456789abcdef0123456789abcdef"


def test_logout_ends_the_session_server_side_and_a_replayed_cookie_is_refused(tmp_path, people_console, console_login):
    console, _gateway = people_console()
    _, password = OperatorStore.in_dir(tmp_path).register_operator("c.exemple", "Opératrice Fictive")
    with TestClient(console, raise_server_exceptions=False) as client:
        assert console_login(client, "c.exemple", password).status_code == 303
        cookie = client.cookies.get("tgd_people")
        page = client.get("/regulation", headers={"accept": "text/html"})
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
        assert client.post("/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
        thief = TestClient(console, raise_server_exceptions=False, cookies={"tgd_people": cookie})
        assert thief.get("/regulation/alerts").status_code == 401  # the copied cookie died with the logout


def test_a_password_rotation_ends_the_operators_open_sessions(tmp_path, people_console, console_login):
    console, _gateway = people_console()
    store = OperatorStore.in_dir(tmp_path)
    _, password = store.register_operator("c.exemple", "Opératrice Fictive")
    with TestClient(console, raise_server_exceptions=False) as client:
        assert console_login(client, "c.exemple", password).status_code == 303
        assert client.get("/regulation/alerts").status_code == 200
        import time

        time.sleep(1.01)  # the rotation must fall in a later second than the login (whole-second times)
        new_password = store.rotate("c.exemple")
        assert client.get("/regulation/alerts").status_code == 401  # the gateway refuses her old token
        assert console_login(client, "c.exemple", new_password).status_code == 303


def test_a_disabled_or_rotated_clients_tokens_stop_working_at_once(tmp_path, gateway):
    _app, client = gateway()
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


def test_a_token_claiming_a_long_life_is_refused_whatever_its_signature(gateway):
    import time

    _, client = gateway(token_max_lifetime_s=3600)
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
