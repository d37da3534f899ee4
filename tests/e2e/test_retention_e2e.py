"""End to end with the real processes: the competent prosecutor's office authorises
keeping an alert's positions 8 days (arrêté du 22 avril 2015); another jurisdiction's
prosecutor cannot; the alert record journals who authorised it."""

from datetime import datetime, timedelta

import httpx
import pytest

from tgd_testkit.tokens import auth_headers

from .alert_system import PLATFORM, attribute_device, prepare, start_alert_system, start_fake_device, trigger

pytestmark = pytest.mark.e2e


def test_the_alerts_prosecutor_authorises_8_days_and_another_prosecutor_gets_404(processes, vhost_uri, tmp_path):
    traces = tmp_path / "traces"
    traces.mkdir()
    prepare(processes, vhost_uri, traces)
    start_fake_device(processes)
    base = start_alert_system(processes, ALERT_FAILSAFE_DELAY_S="120")
    attribute_device(vhost_uri, base, expect_dossier=True)
    response = trigger(base, "press-e2e-retention")
    assert response.status_code == 202, response.text
    alert_id = response.json()["alert_id"]
    url = f"{base}/v1/alerts/{alert_id}/position-retention"
    body = {"authorised_by": "Parquet de Montluçon (fictif)"}

    foreign = httpx.post(url, json=body, headers=auth_headers("prosecutor", "tj-paris", client_id="parquet-paris"))
    assert (foreign.status_code, foreign.json()["error"]) == (404, "alert_not_found")

    own = auth_headers("prosecutor", "tj-montlucon", client_id="parquet-montlucon")
    granted = httpx.post(url, json=body, headers=own)
    assert granted.status_code == 200, granted.text
    view = granted.json()
    assert (view["extended"], view["client_id"], view["authorised_by"]) == (
        True,
        "parquet-montlucon",
        body["authorised_by"],
    )
    raised_at = datetime.fromisoformat(httpx.get(f"{base}/v1/alerts/{alert_id}", headers=PLATFORM).json()["raised_at"])
    assert datetime.fromisoformat(view["positions_purge_at"]) - raised_at == timedelta(hours=192)

    journal = httpx.get(f"{base}/v1/alerts/{alert_id}", headers=PLATFORM).json()["journal"]
    assert [e["actor"] for e in journal if e["kind"] == "position-retention-authorised"] == ["parquet-montlucon"]
    assert httpx.post(url, json={**body, "until": "x"}, headers=own).status_code == 422
