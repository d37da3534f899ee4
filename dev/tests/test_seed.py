"""``tgd-dev seed`` with CliRunner against the gateway in-process on fake services, and
the seed's plan (pure; the e2e test runs the seed against the real processes)."""

import pytest
from typer.testing import CliRunner

from tgd_dev.main import app
from tgd_dev.seed_plan import PLAN, JurisdictionPlan, expected_statistics, raw_tallies

runner = CliRunner()


@pytest.fixture
def gateway(cli_gateway):
    """The real app (access table, token endpoint, client store) on fake services."""
    return cli_gateway


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
