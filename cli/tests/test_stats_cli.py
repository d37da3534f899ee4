"""``tgd stats`` with CliRunner, against the gateway in-process on fake
services (the e2e test runs them against the real processes)."""

import json

import pytest
from typer.testing import CliRunner

from tgd_cli.main import app
from tgd_cli.stats_cmd import flatten

runner = CliRunner()


@pytest.fixture
def gateway(cli_gateway):
    """The real app (access table, token endpoint, client store) on fake services."""
    return cli_gateway


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
