"""The partners' side over the API (fake services): each partner reads and acknowledges
only the reminders addressed to it; a move reaches the device service; the referents."""

import tempfile

from fastapi.testclient import TestClient

from gateway.main import create_app
from gateway.settings import Settings
from tgd_testkit.fake_services import FakeServices
from tgd_testkit.tokens import auth_headers

RID = "4123456789abcdef0123456789abcdef"
AID = "1123456789abcdef0123456789abcdef"


def client():
    fake = FakeServices(lambda object_id: "tj-moulins")
    app = create_app(Settings(data_dir=tempfile.mkdtemp(prefix="tgd-partners-")), rpc=fake)
    return TestClient(app, raise_server_exceptions=False), fake


def test_each_partner_lists_only_its_own_reminders():
    c, _ = client()
    for role, audience in (("prosecutor", "parquet"), ("association", "association")):
        response = c.get(
            "/v1/reminders", params={"jurisdiction": "tj-moulins"}, headers=auth_headers(role, "tj-moulins")
        )
        assert response.status_code == 200, response.text
        assert [i["audience"] for i in response.json()["items"]] == [audience]
    other_court = c.get(
        "/v1/reminders", params={"jurisdiction": "tj-paris"}, headers=auth_headers("prosecutor", "tj-moulins")
    )
    assert other_court.status_code == 403


def test_a_reminder_is_acknowledged_by_its_audience_only():
    c, fake = client()
    body = {"acknowledged_by": "Greffe (fictif)"}
    fake.reminder_audience = "association"
    refused = c.post(
        f"/v1/reminders/{RID}/acknowledgement", json=body, headers=auth_headers("prosecutor", "tj-moulins")
    )
    assert refused.status_code == 404
    assert refused.json()["error"] == "reminder_not_found"
    assert ("notify", "acknowledge_reminder") not in [(s, m) for s, m, _ in fake.calls]
    done = c.post(f"/v1/reminders/{RID}/acknowledgement", json=body, headers=auth_headers("association", "tj-moulins"))
    assert done.status_code == 200, done.text
    assert done.json()["acknowledged_by"] == "Greffe (fictif)"


def test_a_move_is_sent_to_the_device_service_and_a_bad_home_refused():
    c, fake = client()
    home = {"street": "5 Rue Nouvelle Fictive", "postcode": "03100", "city": "Fictive", "insee_code": "03903"}
    headers = auth_headers("association", "tj-moulins")
    ok = c.post(
        f"/v1/attributions/{AID}/home", json={"home": home, "reported_by": "Association (fictive)"}, headers=headers
    )
    assert ok.status_code == 200, ok.text
    assert ("device", "change_home") in [(s, m) for s, m, _ in fake.calls]
    bad = c.post(
        f"/v1/attributions/{AID}/home", json={"home": {**home, "insee_code": "x"}, "reported_by": "A"}, headers=headers
    )
    assert bad.status_code == 422


def test_the_referents_are_read_by_the_parquet_and_the_association():
    c, _ = client()
    for role in ("prosecutor", "association"):
        response = c.get(
            "/v1/referents", params={"jurisdiction": "tj-moulins"}, headers=auth_headers(role, "tj-moulins")
        )
        assert response.status_code == 200, response.text
        assert response.json()["units"][0]["referents"] == ["Référent VIF (fictif)"]
    police = c.get("/v1/referents", params={"jurisdiction": "tj-moulins"}, headers=auth_headers("police", "tj-moulins"))
    assert police.status_code == 403


def test_the_courts_and_the_instruments_are_published():
    c, _ = client()
    courts = c.get("/v1/courts").json()["courts"]
    assert {"code": "tj-moulins", "name": "Tribunal judiciaire de Moulins", "department": "03"} in courts
    grid = c.get("/v1/instruments").json()["instruments"][0]
    assert grid["items"][0] == {"item_id": "q01", "weight": 1, "label": "Question fictive"}


def test_the_spip_reports_the_authors_release_as_itself_only():
    c, _ = client()
    body = {"source": "spip", "kind": "release", "released_on": "2026-06-01", "reported_by": "SPIP (fictif)"}
    url = f"/v1/attributions/{AID}/author-release"
    ok = c.post(url, json=body, headers=auth_headers("spip", "tj-moulins"))
    assert ok.status_code == 200, ok.text
    assert [r["audience"] for r in ok.json()["reminders"]] == ["association", "bav"]
    posing = c.post(url, json={**body, "source": "parquet"}, headers=auth_headers("spip", "tj-moulins"))
    assert posing.status_code == 403
    assert c.post(url, json=body, headers=auth_headers("bav", "tj-moulins")).status_code == 403  # told, not teller
    assert c.post(url, json=body, headers=auth_headers("association", "tj-moulins")).status_code == 403


def test_an_association_token_naming_its_association_is_passed_to_the_service():
    c, fake = client()
    headers = auth_headers("association", "tj-moulins", unit="assoc-fictive-03")
    assert c.get("/v1/reminders", params={"jurisdiction": "tj-moulins"}, headers=headers).status_code == 200
    fake.reminder_audience = "association"
    body = {"acknowledged_by": "Juriste (fictive)"}
    assert c.post(f"/v1/reminders/{RID}/acknowledgement", json=body, headers=headers).status_code == 200
    units = [
        kwargs.get("unit")
        for _, method, kwargs in fake.calls
        if method.endswith("_reminders") or "acknowledge" in method
    ]
    assert units == ["assoc-fictive-03", "assoc-fictive-03"]
    prosecutor = auth_headers("prosecutor", "tj-moulins")
    c.get("/v1/reminders", params={"jurisdiction": "tj-moulins"}, headers=prosecutor)
    assert fake.calls[-1][2]["unit"] is None  # only an association's unit filters
