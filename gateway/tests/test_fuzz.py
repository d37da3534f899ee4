"""schemathesis over the whole OpenAPI spec, in-process, authenticated as every role
(``tgd fuzz --cases 10000 --json`` for the bigger run)."""

from gateway.testing.fake_services import FakeServices
from gateway.testing.fuzz import run_fuzz


def test_a_thousand_generated_requests_give_no_server_error_and_no_response_off_the_spec():
    report = run_fuzz(cases=1000)
    print(f"\nfuzz: {report['cases']} cases, {report['server_errors']} server errors, "
          f"{report['schema_violations']} schema violations, statuses {report['statuses']}")  # fmt: skip
    assert report["cases"] >= 1000
    assert report["failures"] == []
    assert report["server_errors"] == 0
    assert report["schema_violations"] == 0
    assert report["operations"] >= 7


def test_the_fuzzer_reports_a_server_error_when_there_is_one():
    services = FakeServices()
    services.handlers[("referral", "get_referral")] = lambda referral_id: {"not": "a referral"}
    report = run_fuzz(cases=150, services=services)
    assert report["server_errors"] > 0
