# ruff: noqa: F811  (the ``service`` fixture is imported from test_service)
"""A measure's reports and free text are purged 3 months after its end, 6 months after
its opening when never decided; runs log counts only; nothing more on a second run."""

import logging
from datetime import timedelta

from evaluation.models import MeasureDocument
from tgd_servicekit.durations import Period

from ..factories import withdrawal
from .test_service import T0, granted, referral_received, service  # noqa: F401  (fixture)

PERSONAL = ("Situation familiale fictive", "Notes fictives", "Motifs fictifs", "Parquet fictif")
SECOND = timedelta(seconds=1)


def raw() -> str:
    return str(list(MeasureDocument._get_collection().find()))


def test_a_withdrawn_measure_keeps_its_reports_until_3_months_after_and_not_a_second_more(service, caplog):
    attribution_id = granted(service)["attribution_id"]
    service.now.value = T0 + timedelta(days=20)
    service.withdraw(attribution_id, withdrawal())
    due = Period(months=3).after(T0 + timedelta(days=20))
    service.now.value = due - SECOND
    assert service.run_retention() == 0
    assert len(MeasureDocument.objects.get(referral_id="ref-001").reports) == 1
    service.now.value = due
    with caplog.at_level(logging.INFO, logger="evaluation.handlers.retention"):
        assert service.run_retention() == 1
        assert service.run_retention() == 0
    assert [r.getMessage() for r in caplog.records] == [
        "retention run: measures_anonymised=1",
        "retention run: measures_anonymised=0",
    ]
    doc = MeasureDocument.objects.get(referral_id="ref-001")
    assert doc.reports == []
    assert doc.purge_due_at is None
    view = service.get_measure("ref-001")
    assert (view["status"], view["withdrawal_reason"], view["evaluations"]) == ("withdrawn", "danger_ceased", 1)
    text = str(doc.state) + raw()
    for personal in PERSONAL:
        assert personal not in text


def test_an_undecided_measure_is_purged_6_months_after_the_referral(service):
    service.on_referral_received(referral_received("ref-002"))
    service.request_evaluation("ref-002", {"requested_by": "Parquet fictif"})
    due = Period(months=6).after(T0)
    service.now.value = due - SECOND
    assert service.run_retention() == 0
    service.now.value = due
    assert service.run_retention() == 1
    assert "Parquet fictif" not in str(MeasureDocument.objects.get(referral_id="ref-002").state)


def test_an_active_attribution_is_never_purged(service):
    granted(service)
    service.now.value = T0 + timedelta(days=170)  # still active (6 months)
    assert service.run_retention() == 0
