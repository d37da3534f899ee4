"""A court's exact figures at the gateway: the court's parquet and the department's
steering committee see exact counts with the department's totals; nobody else, and no
other court; the observatory keeps its anonymised view."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from gateway.main import create_app
from gateway.settings import Settings
from tgd_contracts.jurisdictions import JURISDICTIONS
from tgd_contracts.statistics import paris_day
from tgd_testkit.fake_services import FakeServices
from tgd_testkit.fake_statistics import HISTORY
from tgd_testkit.tokens import auth_headers

PERIOD = {"jurisdiction": "tj-moulins", "from": "2026-01-01", "to": "2026-06-30"}
ALLIER = sorted(code for code, j in JURISDICTIONS.items() if j.department == "03")
COMMITTEE = auth_headers("steering_committee", ALLIER)


def client():
    rpc = FakeServices()
    app = create_app(Settings(data_dir=tempfile.mkdtemp(prefix="tgd-court-stats-")), rpc=rpc)
    return TestClient(app, raise_server_exceptions=False), rpc


def test_the_parquet_sees_exact_counts_of_its_court_and_the_department_totals():
    http, rpc = client()
    response = http.get("/v1/court-statistics", params=PERIOD, headers=auth_headers("prosecutor", "tj-moulins"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["jurisdiction"], body["department"], body["exact"]) == ("tj-moulins", "03", True)
    assert body["timezone"] == "Europe/Paris"
    assert body["courts_in_department"] == ALLIER
    court = body["court"]
    assert court["referrals"]["by_referrer_kind"]["lawyer"] == 3  # suppressed in the observatory's view
    assert court["evaluations"]["attributions"] == HISTORY["granted"]
    assert court["evaluations"]["refusals"] == HISTORY["refused"]
    assert court["devices"]["overdue_test_calls"] == 1
    assert court["alerts"]["by_outcome"]["on_site"] == HISTORY["outcomes"]["on_site"]
    totals = body["department_totals"]
    n = len(ALLIER)
    assert totals["referrals"]["referrals"] == n * court["referrals"]["referrals"]
    assert totals["devices"]["in_stock"] == n * HISTORY["in_stock"]
    assert totals["alerts"]["trigger_to_taken"] == {"samples": n * 10, "p50_s": None, "p90_s": None, "max_s": None}
    # every court of the department asked once per service, nothing else
    asked = sorted({(s, m, kw["query"]["jurisdiction"]) for s, m, kw in rpc.calls})
    assert asked == sorted((s, "exact_statistics", c) for s in ("alert", "device", "evaluation", "referral")
                           for c in ALLIER)  # fmt: skip


def test_the_steering_committee_sees_each_court_of_its_department():
    http, _ = client()
    for court in ALLIER:
        response = http.get("/v1/court-statistics", params={**PERIOD, "jurisdiction": court}, headers=COMMITTEE)
        assert response.status_code == 200, response.text
        assert response.json()["court"]["referrals"]["jurisdiction"] == court
    paris = http.get("/v1/court-statistics", params={**PERIOD, "jurisdiction": "tj-paris"}, headers=COMMITTEE)
    assert paris.status_code == 403


def test_a_parquet_does_not_see_another_court_even_of_its_department():
    http, rpc = client()
    response = http.get(
        "/v1/court-statistics", params={**PERIOD, "jurisdiction": "tj-cusset"},
        headers=auth_headers("prosecutor", "tj-moulins"),
    )  # fmt: skip
    assert response.status_code == 403
    assert rpc.calls == []


@pytest.mark.parametrize("role", ["observatory", "association", "teleassistance", "police", "admin"])
def test_no_other_role_sees_exact_counts(role):
    http, rpc = client()
    scope = "*" if role in ("observatory", "teleassistance", "admin") else "tj-moulins"
    response = http.get("/v1/court-statistics", params=PERIOD, headers=auth_headers(role, scope))
    assert response.status_code == 403
    assert rpc.calls == []


def test_the_committee_has_no_access_to_records_nor_to_the_observatory_routes():
    http, rpc = client()
    assert http.get("/v1/measures", params={"jurisdiction": "tj-moulins"}, headers=COMMITTEE).status_code == 403
    assert http.get("/v1/referrals", params={"jurisdiction": "tj-moulins"}, headers=COMMITTEE).status_code == 403
    assert rpc.calls == []


def test_the_observatory_still_gets_the_same_figures_suppressed():
    http, _ = client()
    response = http.get("/v1/observatory/statistics", params=PERIOD, headers=auth_headers("observatory", "*"))
    body = response.json()
    assert body["referrals"]["by_referrer_kind"]["lawyer"] == {"value": None, "suppressed": True}
    assert body["devices"]["in_stock"] == {"value": HISTORY["in_stock"], "suppressed": False}


def test_the_default_period_ends_today_in_paris():
    http, _rpc = client()
    response = http.get("/v1/court-statistics", params={"jurisdiction": "tj-moulins"},
                        headers=auth_headers("prosecutor", "tj-moulins"))  # fmt: skip
    assert response.status_code == 200
    today = paris_day(datetime.now(UTC))
    assert response.json()["ends_on"] == today.isoformat()
    assert response.json()["starts_on"] == today.replace(month=1, day=1).isoformat()


def test_a_reversed_period_is_refused():
    http, rpc = client()
    response = http.get("/v1/court-statistics", params={**PERIOD, "from": "2026-07-01"},
                        headers=auth_headers("prosecutor", "tj-moulins"))  # fmt: skip
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"
    assert rpc.calls == []


def test_a_service_answering_figures_that_are_not_counts_is_an_internal_error():
    from .fakes import FakeRpc

    def answer(service, method, query):
        figures = FakeServices().handlers[(service, method)](query=query)
        if service == "device":
            figures["in_stock"] = -1  # never a count
        return figures

    rpc = FakeRpc(answer)
    app = create_app(Settings(data_dir=tempfile.mkdtemp(prefix="tgd-court-stats-")), rpc=rpc)
    http = TestClient(app, raise_server_exceptions=False)
    response = http.get("/v1/court-statistics", params=PERIOD, headers=auth_headers("prosecutor", "tj-moulins"))
    assert response.status_code == 500
    assert response.json()["error"] == "internal_error"
