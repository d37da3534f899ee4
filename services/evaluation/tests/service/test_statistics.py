"""EvaluationService.statistics on a seeded history with known answers."""

from datetime import timedelta

import pytest

from evaluation.exceptions import InvalidRequest

from ..factories import CONSENT, REQUISITION, decision, renewal, report, withdrawal
from .test_service import T0, referral_received, service  # noqa: F401  (the fixture)

MARCH = {"jurisdiction": "tj-paris", "starts_on": "2026-03-01", "ends_on": "2026-03-31"}
HOUR = 3600


def seed(service):  # noqa: F811
    """March in Paris: 12 measures; requisition -> report takes n + 1 hours for the n-th,
    report -> decision one day; 7 granted, 5 refused; of the granted, 5 withdrawn because
    the danger ceased, 1 at the beneficiary's request, 1 renewed after a re-evaluation."""
    attributions = []
    for n in range(12):
        referral_id = f"ref-{n:03d}"
        service.now.value = T0 + timedelta(days=n)
        service.on_referral_received(referral_received(referral_id))
        service.request_evaluation(referral_id, REQUISITION)
        service.now.value += timedelta(hours=n + 1)
        service.file_report(referral_id, report())
        service.record_consent(referral_id, CONSENT)
        service.now.value += timedelta(days=1)
        view = service.decide(referral_id, decision(granted=n < 7))
        attributions.append(view["attribution_id"])
    service.now.value = T0 + timedelta(days=20)
    for attribution_id in attributions[:5]:
        service.withdraw(attribution_id, withdrawal("danger_ceased"))
    service.withdraw(attributions[5], withdrawal("beneficiary_request"))
    service.file_report("ref-006", report())  # re-evaluation before renewal
    service.renew(attributions[6], renewal())


def test_counts_and_delays_of_the_period(service):  # noqa: F811
    seed(service)
    stats = service.statistics(MARCH)
    published = {k: v["value"] for k, v in stats.items() if isinstance(v, dict) and "suppressed" in v}
    assert published == {
        "evaluations_requested": 12,
        "evaluations_completed": 13,
        "decisions": 12,
        "attributions": 7,
        "refusals": 5,
        "renewals": None,  # 1: suppressed
        "expiries": 0,
        "withdrawals": 6,
    }
    reasons = stats["withdrawals_by_reason"]
    # beneficiary_request (1) is suppressed, and danger_ceased with it (6 - 1 would give it away)
    assert reasons["beneficiary_request"]["suppressed"]
    assert reasons["danger_ceased"]["suppressed"]
    assert reasons["non_compliance"] == {"value": 0, "suppressed": False}
    # 1..12 hours: nearest rank p50 = 6 h, p90 = 11 h, max 12 h
    assert stats["requisition_to_report"] == {
        "samples": {"value": 12, "suppressed": False},
        "p50_s": 6 * HOUR,
        "p90_s": 11 * HOUR,
        "max_s": 12 * HOUR,
    }
    assert stats["report_to_decision"]["p90_s"] == 24 * HOUR
    assert "ref-" not in str(stats)


def test_other_periods_and_jurisdictions_count_nothing(service):  # noqa: F811
    seed(service)
    april = service.statistics({**MARCH, "starts_on": "2026-04-01", "ends_on": "2026-04-30"})
    assert april["decisions"] == {"value": 0, "suppressed": False}
    assert april["requisition_to_report"] == {
        "samples": {"value": 0, "suppressed": False}, "p50_s": None, "p90_s": None, "max_s": None
    }  # fmt: skip
    assert service.statistics({**MARCH, "jurisdiction": "tj-moulins"})["evaluations_requested"]["value"] == 0


def test_a_malformed_query_is_refused(service):  # noqa: F811
    with pytest.raises(InvalidRequest):
        service.statistics({**MARCH, "starts_on": "March"})


def test_exact_figures_of_the_same_period_for_the_parquet(service):  # noqa: F811
    seed(service)
    figures = service.exact_statistics(MARCH)
    assert (figures["attributions"], figures["refusals"], figures["renewals"]) == (7, 5, 1)
    assert figures["withdrawals_by_reason"]["beneficiary_request"] == 1  # not suppressed here
    assert figures["measures_ended"] == figures["withdrawals"] + figures["expiries"]
    assert figures["measures_active"] >= 0
    assert figures["requisition_to_report"]["p50_s"] == 6 * HOUR
    # the observatory's answer is the same figures anonymised
    assert service.statistics(MARCH)["renewals"] == {"value": None, "suppressed": True}
