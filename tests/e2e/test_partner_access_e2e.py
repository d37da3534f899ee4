"""Partner access through the running system: a client registered with the CLI's
store gets a token from the token endpoint, works in its jurisdiction, sees nothing of
another's, and every access lands in the audit log."""

import httpx
import pytest

from gateway.auth.clients import ClientStore
from gateway.auth.roles import Role
from tgd_contracts.examples import referral
from tgd_servicekit.testing.processes import free_port, wait_until

pytestmark = pytest.mark.e2e

BODY = referral.submission("EXEMPLE-ACCES", kind="hospital", urgency="standard", jurisdiction="tj-moulins")


def test_token_endpoint_jurisdiction_scopes_and_audit_on_the_running_system(processes, vhost_uri, tmp_path):
    data_dir = tmp_path / "gateway-data"
    store = ClientStore(data_dir / "clients.json")
    moulins, moulins_secret = store.register("Association Fictive de Moulins", Role.ASSOCIATION, ["tj-moulins"], [])
    paris, paris_secret = store.register("Association Fictive de Paris", Role.ASSOCIATION, ["tj-paris"], [])
    parquet, parquet_secret = store.register("Parquet Fictif de Moulins", Role.PROSECUTOR, ["tj-moulins"], [])

    processes.env.update({"AMQP_URI": vhost_uri})
    port = free_port()
    processes.start_service("referral")
    processes.start_gateway(port, {"TGD_GATEWAY_DATA_DIR": str(data_dir)})
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: httpx.get(f"{base}/health").json()["status"] == "ok", 30, "the gateway's health")

    def token(client_id, secret):
        form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
        response = httpx.post(f"{base}/v1/oauth/token", data=form)
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    as_moulins, as_paris = token(moulins.client_id, moulins_secret), token(paris.client_id, paris_secret)
    assert httpx.post(f"{base}/v1/oauth/token", data={"grant_type": "client_credentials",
                      "client_id": moulins.client_id, "client_secret": "wrong"}).status_code == 401  # fmt: skip

    wait_until(
        lambda: httpx.get(f"{base}/v1/referrals/{'0' * 32}", headers=as_moulins).status_code == 404,
        30,
        "the referral service",
    )
    created = httpx.post(f"{base}/v1/referrals", json=BODY, headers={"Idempotency-Key": "e2e-access-01", **as_moulins})
    assert created.status_code == 201, created.text
    referral_id = created.json()["id"]

    mine = httpx.get(f"{base}/v1/referrals/{referral_id}", headers={**as_moulins, "X-Access-Reason": "suivi"})
    assert mine.status_code == 200
    theirs = httpx.get(f"{base}/v1/referrals/{referral_id}", headers=as_paris)
    assert theirs.status_code == 404
    assert "EXEMPLE" not in theirs.text
    missing = httpx.get(f"{base}/v1/referrals/{'e' * 32}", headers=as_paris)
    assert missing.json()["error"] == theirs.json()["error"] == "referral_not_found"
    assert httpx.post(f"{base}/v1/referrals", json=BODY,
                      headers={"Idempotency-Key": "e2e-access-02", **as_paris}).status_code == 403  # fmt: skip

    audit = httpx.get(f"{base}/v1/audit", params={"object_id": referral_id},
                      headers=token(parquet.client_id, parquet_secret)).json()  # fmt: skip
    assert audit["chain_intact"] is True
    assert [(e["client_id"], e["action"], e["status"]) for e in reversed(audit["items"])] == [
        (moulins.client_id, "POST /v1/referrals", 201),
        (moulins.client_id, "GET /v1/referrals/{referral_id}", 200),
        (paris.client_id, "GET /v1/referrals/{referral_id}", 404),
    ]
    assert "EXEMPLE" not in (data_dir / "audit.jsonl").read_text()
