"""schemathesis over the whole OpenAPI spec, in-process, authenticated as every role
(``tgd-dev fuzz --cases 10000 --json`` for the bigger run)."""

import pytest

from gateway.auth.roles import Role
from tgd_testkit.fake_services import FakeServices
from tgd_testkit.fuzz import run_fuzz


@pytest.mark.parametrize("seed", [0, 1])
def test_generated_requests_of_every_role_give_no_server_error_and_no_response_off_the_spec(seed):
    """Two seeds of 600 cases (CI time stays bounded; ``tgd-dev fuzz --cases 10000`` for the big run)."""
    report = run_fuzz(cases=600, seed=seed)
    print(f"\nfuzz seed {seed}: {report['cases']} cases, {report['server_errors']} server errors, "
          f"{report['schema_violations']} schema violations, statuses {report['statuses']}")  # fmt: skip
    assert report["cases"] >= 600
    assert set(report["roles"]) == {role.value for role in Role}
    assert report["failures"] == []
    assert report["server_errors"] == 0
    assert report["schema_violations"] == 0
    assert report["operations"] >= 7


def test_the_fuzzer_reports_a_server_error_when_there_is_one():
    services = FakeServices()
    services.handlers[("referral", "get_referral")] = lambda referral_id: {"not": "a referral"}
    report = run_fuzz(cases=150, services=services)
    assert report["server_errors"] > 0
