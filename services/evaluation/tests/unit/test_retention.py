"""How long a measure's personal data is kept (evaluation.domain.retention), pure."""

from datetime import UTC, datetime, timedelta

from evaluation import domain
from evaluation.domain import retention
from evaluation.domain.retention import RetentionPolicy
from tgd_contracts.evaluation import AttributionDecision, Consent, Requisition, Withdrawal
from tgd_servicekit.durations import Period

T0 = datetime(2026, 1, 31, 8, 0, tzinfo=UTC)
POLICY = RetentionPolicy()
FREE_TEXT = ("Motifs fictifs", "Parquet fictif", "Notes fictives", "Magistrate Fictive")


def closed_measure():
    m = domain.open_measure("ref-1", "tj-paris", T0)
    return m.change(
        status=domain.S.WITHDRAWN,
        requisition=Requisition(requested_by="Parquet fictif"),
        consent=Consent(given=True, collected_by="Magistrate Fictive", collected_on="2026-01-05"),
        decision=AttributionDecision(
            granted=True, reasons="Motifs fictifs.", author_incarcerated=False, decided_by="Parquet fictif"
        ),
        attribution_id="att-1",
        decided_at=T0,
        withdrawal=Withdrawal(reason="danger_ceased", notes="Notes fictives.", decided_by="Parquet fictif"),
        closed_at=T0 + timedelta(days=100),
    )


def test_an_undecided_measure_is_purged_6_months_after_it_opened():
    m = domain.open_measure("ref-1", "tj-paris", T0)
    assert retention.purge_due_at(m, POLICY) == datetime(2026, 7, 31, 8, 0, tzinfo=UTC)


def test_an_active_attribution_keeps_its_data():
    m = domain.open_measure("ref-1", "tj-paris", T0).change(status=domain.S.ACTIVE, attribution_id="att-1")
    assert retention.purge_due_at(m, POLICY) is None


def test_a_closed_measure_is_purged_3_months_after_its_end():
    m = closed_measure()
    assert retention.purge_due_at(m, POLICY) == Period(months=3).after(T0 + timedelta(days=100))


def test_anonymising_keeps_the_statistics_and_drops_the_free_text_once():
    m = closed_measure()
    done = retention.anonymise(m, T0 + timedelta(days=200))
    text = str(done.model_dump(mode="json"))
    for personal in FREE_TEXT:
        assert personal not in text
    assert (done.status, done.jurisdiction, done.decided_at, done.closed_at) == (
        m.status,
        m.jurisdiction,
        m.decided_at,
        m.closed_at,
    )
    assert done.withdrawal.reason == "danger_ceased"
    assert done.decision.granted is True
    assert retention.purge_due_at(done, POLICY) is None
    assert retention.anonymise(done, T0 + timedelta(days=300)) == done


def test_anonymising_drops_the_eligibility_facts():
    from tgd_contracts.eligibility import EligibilityFacts

    facts = EligibilityFacts(relationship="former_spouse", separated=True, separated_on="2025-12-01", danger="rape")
    m = closed_measure()
    m = m.change(decision=m.decision.model_copy(update={"eligibility": facts}))
    done = retention.anonymise(m, T0 + timedelta(days=200))
    assert done.decision.eligibility is None
    assert "former_spouse" not in str(done.model_dump(mode="json"))
