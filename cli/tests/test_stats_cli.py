"""``tgd stats`` and ``tgd seed`` with CliRunner, against the gateway in-process on fake
services (the e2e test runs them against the real processes)."""

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from gateway.main import create_app
from gateway.settings import Settings
from gateway.testing.fake_services import FakeServices
from tgd_cli import session
from tgd_cli.main import app
from tgd_cli.seed_plan import PLAN, JurisdictionPlan, expected_statistics, raw_tallies
from tgd_cli.stats_cmd import flatten

runner = CliRunner()


@pytest.fixture
def gateway(monkeypatch, tmp_path):
    """The real app (access table, token endpoint, client store) on fake services."""
    data_dir = tmp_path / "gateway-data"
    fake = FakeServices()
    web = create_app(Settings(data_dir=data_dir), rpc=fake)
    monkeypatch.setattr(session, "client", lambda url: TestClient(web, raise_server_exceptions=False))
    return ["--gateway", "http://testserver", "--data-dir", str(data_dir)], fake, data_dir


def test_stats_prints_a_table_per_jurisdiction_with_small_counts_as_less_than_5(gateway):
    options, fake, data_dir = gateway
    result = runner.invoke(app, ["stats", *options, "-j", "tj-moulins", "--from", "2026-01-01", "--to", "2026-06-30"])
    assert result.exit_code == 0, result.output
    assert "tj-moulins — 2026-01-01 to 2026-06-30" in result.output
    assert "referrals.referrals" in result.output
    assert "<5" in result.output
    queries = [kw["query"] for s, m, kw in fake.calls if m == "statistics"]
    assert {q["jurisdiction"] for q in queries} == {"tj-moulins"}
    assert "observatory" in (data_dir / "clients.json").read_text()  # a registered client, not a forged token


def test_stats_json_csv_and_plots(gateway, tmp_path):
    options, _, _ = gateway
    out, plots = tmp_path / "stats.csv", tmp_path / "plots"
    result = runner.invoke(app, ["stats", *options, "-j", "tj-cusset", "-j", "tj-nanterre", "--json",
                                 "--csv", str(out), "--plot", str(plots)])  # fmt: skip
    assert result.exit_code == 0, result.output
    answers = json.loads(result.output[result.output.index("[") : result.output.rindex("]") + 1])
    assert [a["jurisdiction"] for a in answers] == ["tj-cusset", "tj-nanterre"]
    assert flatten(answers[0])["referrals.referrals"] == 12
    assert flatten(answers[0])["referrals.by_referrer_kind.lawyer"] is None
    lines = out.read_text().splitlines()
    assert lines[0].startswith("jurisdiction,")
    assert sum(line.startswith("jurisdiction,") for line in lines) == 1
    assert {line.split(",")[0] for line in lines[1:]} == {"tj-cusset", "tj-nanterre"}
    assert sorted(p.name for p in plots.iterdir())[:2] == ["tj-cusset-activity.png", "tj-cusset-alerts.png"]
    assert len(list(plots.iterdir())) == 8


def test_stats_refuses_a_bad_date_and_reports_a_refusal(gateway):
    options, _, _ = gateway
    assert runner.invoke(app, ["stats", *options, "--from", "yesterday"]).exit_code == 2
    refused = runner.invoke(app, ["stats", *options, "-j", "tj-moulins", "--from", "2026-07-01", "--to", "2026-01-01"])
    assert refused.exit_code == 1
    assert "invalid_request" in refused.output


def test_seed_refuses_an_unknown_jurisdiction(gateway):
    options, fake, _ = gateway
    result = runner.invoke(app, ["seed", *options, "-j", "tj-atlantis"])
    assert result.exit_code == 1
    assert "unknown jurisdiction" in result.output
    assert fake.calls == []


def test_the_plan_spans_two_departments_and_three_jurisdictions():
    from tgd_contracts.jurisdictions import JURISDICTIONS

    assert {JURISDICTIONS[p.jurisdiction].department for p in PLAN} == {"03", "92"}
    assert len(PLAN) == 3


def test_expected_statistics_follow_the_plan_with_suppression():
    plan = JurisdictionPlan("tj-moulins", ("03901",), referrals=9, urgent=6, granted=6, refused=1, devices=8,
                            withdrawals=("danger_ceased",) * 2, alerts=("danger",) * 5 + ("test_call",))  # fmt: skip
    raw = raw_tallies(plan)
    assert (raw["in_stock"], raw["assigned"], raw["returned"]) == (2, 4, 2)  # 2 returned: to be collected
    assert raw["by_outcome"] == {"author_arrested": 3, "on_site": 2, "none": 1}
    expected = expected_statistics(plan)
    assert expected["referrals.referrals"] == 9
    assert expected["evaluations.attributions"] is None  # 6 granted, but 1 refused = 7 - 6
    assert expected["devices.provisioned"] is None  # linked to the attributions (one device each)
    assert expected["devices.in_stock"] == 2  # a stock: never suppressed
    assert expected["alerts.alerts"] == 6
    assert expected["alerts.by_nature.danger"] is None  # with the lone test call


def test_an_inconsistent_plan_is_refused():
    with pytest.raises(ValueError):
        JurisdictionPlan("tj-moulins", ("03901",), referrals=2, urgent=1, granted=3, refused=0, devices=3)
