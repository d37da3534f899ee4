"""Access to the attribution lifecycle beyond the generated matrix: a notice is
acknowledged by the unit it was addressed to and only by it; an object's territory is
asked of its owning service once, before the change."""

from __future__ import annotations

import tempfile

import pytest
from fastapi.testclient import TestClient

from gateway.main import create_app
from gateway.settings import Settings
from tgd_testkit.fake_lifecycle import unit_of
from tgd_testkit.fake_services import FakeServices
from tgd_testkit.tokens import auth_headers

NOTICE = "3123456789abcdef0123456789abcdef"
ATTRIBUTION = "1123456789abcdef0123456789abcdef"
ACK_URL = f"/v1/notices/{NOTICE}/acknowledgement"
MOULINS_UNIT = unit_of("tj-moulins")


def client(audience="police", where="tj-moulins"):
    fake = FakeServices(lambda object_id: where)
    fake.notice_audience = audience
    settings = Settings(data_dir=tempfile.mkdtemp(prefix="tgd-lifecycle-"), rate_per_s=1e6, rate_burst=10**6)
    return TestClient(create_app(settings, rpc=fake), raise_server_exceptions=False), fake


def ack(unit_code):
    return {"unit_code": unit_code, "acknowledged_by": "Officier fictif"}


def test_the_addressed_unit_acknowledges_with_one_lookup_before_the_change():
    http, fake = client()
    response = http.post(
        ACK_URL, json=ack(MOULINS_UNIT), headers=auth_headers("police", "tj-moulins", unit=MOULINS_UNIT)
    )
    assert response.status_code == 200, response.text
    assert [(s, m) for s, m, _ in fake.calls] == [("notify", "get_notice"), ("notify", "acknowledge_notice")]


@pytest.mark.parametrize(
    ("role", "jurisdiction", "unit", "claimed", "audience", "status", "error"),
    [
        ("police", "tj-moulins", "csp-other", "csp-other", "police", 404, "notice_not_found"),  # another unit
        ("police", "tj-moulins", "csp-other", MOULINS_UNIT, "police", 403, "forbidden"),  # claims a unit it is not
        ("police", "tj-moulins", None, MOULINS_UNIT, "police", 403, "forbidden"),  # the directorate, no unit
        ("gendarmerie", "tj-moulins", MOULINS_UNIT, MOULINS_UNIT, "police", 404, "notice_not_found"),  # other force
        ("police", "tj-paris", MOULINS_UNIT, MOULINS_UNIT, "police", 404, "notice_not_found"),  # other department
        ("prosecutor", "tj-moulins", None, MOULINS_UNIT, "police", 403, "forbidden"),
    ],
)
def test_nobody_else_acknowledges_a_notice(role, jurisdiction, unit, claimed, audience, status, error):
    http, fake = client(audience)
    response = http.post(ACK_URL, json=ack(claimed), headers=auth_headers(role, jurisdiction, unit=unit))
    assert (response.status_code, response.json()["error"]) == (status, error)
    assert [m for _, m, _ in fake.calls] in ([], ["get_notice"])  # never acknowledge_notice


@pytest.mark.parametrize(
    ("url", "body"),
    [
        (f"/v1/attributions/{ATTRIBUTION}/withdrawal", {"reason": "danger_ceased", "decided_by": "Parquet fictif"}),
        (f"/v1/attributions/{ATTRIBUTION}/renewal", {"renewed": True, "reasons": "M.", "decided_by": "Parquet"}),
    ],
)
def test_a_guessed_foreign_attribution_is_a_missing_one_and_nothing_changes(url, body):
    http, fake = client(where="tj-paris")
    foreign = http.post(url, json=body, headers=auth_headers("prosecutor", "tj-moulins"))
    missing = http.post(url.replace("/1123", "/f123"), json=body, headers=auth_headers("prosecutor", "tj-moulins"))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json()["error"] == missing.json()["error"] == "attribution_not_found"
    assert {m for _, m, _ in fake.calls} == {"get_attribution"}


def test_the_openapi_names_the_roles_of_each_lifecycle_route():
    http, _ = client()
    spec = http.get("/openapi.json").json()
    ack_doc = spec["paths"]["/v1/notices/{notice_id}/acknowledgement"]["post"]
    assert "Roles: gendarmerie, police." in ack_doc["description"]
    assert "notice_not_found" in ack_doc["responses"]["404"]["description"]
    fiche = spec["paths"]["/v1/attributions/{attribution_id}/fiche-navette"]["post"]
    assert "Roles: prosecutor." in fiche["description"]
    assert "attribution_not_found" in fiche["responses"]["404"]["description"]
