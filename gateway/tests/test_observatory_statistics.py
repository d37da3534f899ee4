"""The observatory's statistics through the gateway, composed from fake services whose
answers are anonymised like the real ones: JSON, CSV, plots, suppression, bad answers."""

import csv
import io
import tempfile
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from gateway.main import create_app
from gateway.observatory_stats import csv_rows
from gateway.settings import Settings
from tgd_testkit.fake_services import FakeServices
from tgd_testkit.fake_statistics import referral_statistics
from tgd_testkit.tokens import auth_headers

from .fakes import FakeRpc

PERIOD = {"jurisdiction": "tj-moulins", "from": "2026-01-01", "to": "2026-06-30"}
SUPPRESSED = {"value": None, "suppressed": True}


def client(rpc=None, role="observatory"):
    rpc = rpc or FakeServices()
    app = create_app(Settings(data_dir=tempfile.mkdtemp(prefix="tgd-gateway-test-")), rpc=rpc)
    return TestClient(app, raise_server_exceptions=False, headers=auth_headers(role, "tj-moulins")), rpc


def test_json_composes_every_service_with_small_counts_suppressed():
    http, rpc = client()
    response = http.get("/v1/observatory/statistics", params=PERIOD)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["jurisdiction"], body["starts_on"], body["ends_on"]) == ("tj-moulins", "2026-01-01", "2026-06-30")
    assert body["small_count_threshold"] == 5
    assert sorted((s, m) for s, m, _ in rpc.calls) == [
        ("alert", "statistics"), ("device", "statistics"), ("evaluation", "statistics"), ("referral", "statistics")
    ]  # fmt: skip
    assert {kw["query"]["starts_on"] for _, _, kw in rpc.calls} == {"2026-01-01"}
    assert body["referrals"]["referrals"] == {"value": 12, "suppressed": False}
    # 9 hospitals and 3 lawyers: the lawyers are suppressed, and the hospitals with them (12 - 9)
    assert body["referrals"]["by_referrer_kind"]["lawyer"] == SUPPRESSED
    assert body["referrals"]["by_referrer_kind"]["hospital"] == SUPPRESSED
    ev = body["evaluations"]
    assert ev["decisions"] == {"value": 9, "suppressed": False}
    assert ev["attributions"] == SUPPRESSED  # 7 granted, but 2 refused = 9 - 7
    assert ev["withdrawals"] == {"value": 6, "suppressed": False}
    assert ev["withdrawals_by_reason"]["author_incarcerated"] == SUPPRESSED
    assert body["devices"]["overdue_test_calls"] == SUPPRESSED
    alerts = body["alerts"]
    assert alerts["by_nature"]["danger"] == {"value": 12, "suppressed": False}
    assert alerts["trigger_to_taken"]["p50_s"] == 40.0  # nearest rank: 5th of 10
    assert alerts["dispatched_to_acknowledged"] == {"samples": SUPPRESSED, "p50_s": None, "p90_s": None, "max_s": None}


def test_the_prosecutor_may_read_them_too_and_the_default_period_is_this_year():
    http, _rpc = client(role="prosecutor")
    response = http.get("/v1/observatory/statistics", params={"jurisdiction": "tj-moulins"})
    assert response.status_code == 200
    today = datetime.now(UTC).date()
    assert (response.json()["starts_on"], response.json()["ends_on"]) == (f"{today.year}-01-01", today.isoformat())


def test_csv_has_one_row_per_figure_and_empty_values_where_suppressed():
    http, _ = client()
    response = http.get("/v1/observatory/statistics.csv", params=PERIOD)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "tgd-tj-moulins-2026-01-01-2026-06-30.csv" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    by_key = {(r["section"], r["measure"], r["category"]): r for r in rows}
    assert by_key[("referrals", "referrals", "")]["value"] == "12"
    lawyer = by_key[("referrals", "by_referrer_kind", "lawyer")]
    assert (lawyer["value"], lawyer["suppressed"]) == ("", "true")
    assert by_key[("alerts", "taken_to_dispatched", "p90_s")]["value"] == "240.0"
    assert by_key[("alerts", "dispatched_to_acknowledged", "p50_s")]["value"] == ""
    assert all(r["jurisdiction"] == "tj-moulins" for r in rows)
    for row in rows:  # no published count is small
        assert row["value"] == "" or row["category"].endswith("_s") or int(row["value"]) == 0 or int(row["value"]) >= 5


def test_plots_are_svg_or_png():
    http, _ = client()
    png = http.get("/v1/observatory/plots/activity.png", params=PERIOD)
    assert png.status_code == 200
    assert png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    for name in ("activity", "withdrawals", "alerts", "delays"):
        svg = http.get(f"/v1/observatory/plots/{name}.svg", params=PERIOD)
        assert svg.status_code == 200, name
        assert svg.headers["content-type"].startswith("image/svg+xml")
        assert b"<svg" in svg.content
    assert http.get("/v1/observatory/plots/activity.gif", params=PERIOD).status_code == 422
    assert http.get("/v1/observatory/plots/people.svg", params=PERIOD).status_code == 422


def test_a_reversed_period_is_a_clear_error():
    http, rpc = client()
    response = http.get("/v1/observatory/statistics", params={**PERIOD, "from": "2026-07-01"})
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"
    assert rpc.calls == []


def test_a_service_answering_a_small_count_unsuppressed_is_never_published():
    def answer(service, method, query):
        if service == "referral":
            leaky = referral_statistics(query)
            leaky["referrals"] = {"value": 3, "suppressed": False}
            return leaky
        return FakeServices().handlers[(service, method)](query=query)

    http, _ = client(FakeRpc(answer))
    response = http.get("/v1/observatory/statistics", params=PERIOD)
    assert response.status_code == 500
    assert response.json()["error"] == "internal_error"
    assert '"value":3' not in response.text.replace(" ", "")


def test_csv_rows_are_a_pure_function_of_the_statistics():
    import asyncio

    from gateway.observatory_stats import gather_statistics
    from tgd_contracts.statistics import StatisticsQuery

    query = StatisticsQuery(jurisdiction="tj-cusset", starts_on="2026-01-01", ends_on="2026-01-31")
    stats = asyncio.run(gather_statistics(FakeServices(), query))
    rows = csv_rows(stats)
    assert rows[0][:5] == ("tj-cusset", "2026-01-01", "2026-01-31", "referrals", "referrals")
    assert len(rows) == len(set(r[3:6] for r in rows))  # one row per figure


def test_figures_linked_to_a_suppressed_one_are_suppressed_across_services():
    # the fake: 7 attributions suppressed (2 refusals), 7 devices provisioned would give them away
    http, _ = client()
    body = http.get("/v1/observatory/statistics", params=PERIOD).json()
    assert body["evaluations"]["attributions"] == SUPPRESSED
    assert body["devices"]["provisioned"] == SUPPRESSED
    assert body["devices"]["returned"] == {"value": 0, "suppressed": False}  # withdrawals (6) are published
