"""The parquet's and the association's reads: a court's measures, one measure in full
with the association's report; and the withdrawal's committee
opinion kept with the measure."""

import pytest

from evaluation.exceptions import InvalidRequest, ReferralNotFound

from ..factories import REQUISITION, report, withdrawal
from .test_service import granted, referral_received, service  # noqa: F401  (fixture)


def test_a_court_lists_its_own_measures_and_filters_by_status(service):  # noqa: F811
    granted(service, "ref-001")
    service.on_referral_received(referral_received("ref-002"))
    service.request_evaluation("ref-002", {**REQUISITION, "due_on": "2026-03-15"})
    service.on_referral_received(referral_received("ref-003", jurisdiction="tj-moulins"))

    everything = service.list_measures("tj-paris")["items"]
    assert sorted(m["referral_id"] for m in everything) == ["ref-001", "ref-002"]
    waiting = service.list_measures("tj-paris", status="evaluation_requested")["items"]
    assert [m["referral_id"] for m in waiting] == ["ref-002"]
    assert [m["referral_id"] for m in service.list_measures("tj-moulins")["items"]] == ["ref-003"]


@pytest.mark.parametrize(("status", "limit"), [("nonsense", 10), (None, 0), (None, 501)])
def test_a_bad_list_query_is_refused(service, status, limit):  # noqa: F811
    with pytest.raises(InvalidRequest):
        service.list_measures("tj-paris", status=status, limit=limit)


def test_the_record_holds_the_requisition_due_date_and_the_report_in_full(service):  # noqa: F811
    service.on_referral_received(referral_received("ref-001"))
    service.request_evaluation("ref-001", {**REQUISITION, "due_on": "2026-03-15"})
    service.file_report("ref-001", report(yes=15))

    record = service.measure_record("ref-001")
    assert record["report_due_on"] == "2026-03-15"
    assert record["measure"]["status"] == "evaluated"
    (filed,) = record["reports"]
    assert (filed["score"], filed["level"], filed["instrument_id"]) == (15, "high", "dash-like")
    assert filed["report"]["victim_situation"] == report()["victim_situation"]
    assert len(filed["report"]["risk"]["items"]) == 27


def test_an_unknown_referral_has_no_record(service):  # noqa: F811
    with pytest.raises(ReferralNotFound):
        service.measure_record("ref-404")


def test_the_withdrawal_keeps_the_committee_opinion_and_members(service):  # noqa: F811
    attribution_id = granted(service)["attribution_id"]
    body = {
        **withdrawal("prosecutor_request", opinion_on="2026-03-10"),
        "steering_committee_opinion": "favourable",
        "steering_committee_members": ["Parquet fictif", "Association fictive"],
    }
    service.withdraw(attribution_id, body)
    kept = service.measure_record("ref-001")["withdrawal"]
    assert kept["steering_committee_opinion"] == "favourable"
    assert kept["steering_committee_members"] == ["Parquet fictif", "Association fictive"]
