"""The measure's lifecycle, without I/O: every rule and every refused transition."""

from datetime import UTC, datetime, timedelta

import pytest

from evaluation import domain, read
from evaluation.domain import deadlines, risk
from evaluation.exceptions import (
    AuthorIncarcerated,
    ConsentRequired,
    InvalidRequest,
    InvalidState,
    RenewalLimitReached,
)
from tgd_contracts.evaluation import (
    AttributionDecision,
    Consent,
    EvaluationReport,
    MeasureStatus,
    RenewalDecision,
    Requisition,
    Withdrawal,
    WithdrawalReason,
)
from tgd_contracts.events import EventName
from tgd_servicekit.durations import parse_period

from ..factories import CONSENT, REFUSED_CONSENT, REQUISITION, decision, renewal, report, withdrawal

T0 = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
POLICY = domain.Policy(
    period=parse_period("P6M"), reminder_lead=parse_period("P15D"), renewal_caps={"tj-paris": 1, "tj-nanterre": 2}
)


def evaluated(jurisdiction="tj-paris", consent=CONSENT, at=T0):
    m = domain.open_measure("ref-1", jurisdiction)
    m, _ = domain.request_evaluation(m, Requisition.model_validate(REQUISITION), at)
    m, _ = domain.file_report(m, risk.assess(EvaluationReport.model_validate(report()).risk), "ev-1", at)
    if consent:
        m = domain.record_consent(m, Consent.model_validate(consent))
    return m


def active(jurisdiction="tj-paris", at=T0):
    m, _ = domain.decide(evaluated(jurisdiction), AttributionDecision.model_validate(decision()), at, "att-1", POLICY)
    return m


def reevaluated(m, at):
    m, events = domain.file_report(m, risk.assess(EvaluationReport.model_validate(report()).risk), "ev-2", at)
    return m, events


def names(events):
    return [name for name, _ in events]


def test_requisition_then_report_then_decision_grants_for_six_months():
    m = domain.open_measure("ref-1", "tj-paris")
    m, events = domain.request_evaluation(m, Requisition.model_validate(REQUISITION), T0)
    assert m.status == MeasureStatus.EVALUATION_REQUESTED
    assert names(events) == [EventName.EVALUATION_REQUESTED]
    result = risk.assess(EvaluationReport.model_validate(report()).risk)
    m, events = domain.file_report(m, result, "ev-1", T0)
    assert m.status == MeasureStatus.EVALUATED
    ((name, completed),) = events
    assert name == EventName.EVALUATION_COMPLETED
    assert (completed.risk_level, completed.instrument_id, completed.purpose) == ("high", "dash-like", "initial")
    m = domain.record_consent(m, Consent.model_validate(CONSENT))
    m, events = domain.decide(m, AttributionDecision.model_validate(decision()), T0, "att-1", POLICY)
    assert m.status == MeasureStatus.ACTIVE
    assert m.ends_at == datetime(2026, 7, 10, 9, 0, tzinfo=UTC)
    ((name, decided),) = events
    assert name == EventName.ATTRIBUTION_DECIDED
    assert decided.granted is True
    assert decided.attribution_id == "att-1"
    assert "Parquet" not in decided.model_dump_json()


def test_a_repeated_requisition_changes_nothing():
    m, _ = domain.request_evaluation(domain.open_measure("r", "tj-paris"), Requisition.model_validate(REQUISITION), T0)
    again, events = domain.request_evaluation(m, Requisition.model_validate(REQUISITION), T0 + timedelta(hours=1))
    assert again == m
    assert events == []


def test_a_shorter_duration_can_be_decided():
    m, _ = domain.decide(evaluated(), AttributionDecision.model_validate(decision(months=3)), T0, "a", POLICY)
    assert m.ends_at == datetime(2026, 4, 10, 9, 0, tzinfo=UTC)


def test_a_report_needs_a_requisition():
    with pytest.raises(InvalidState):
        domain.file_report(domain.open_measure("r", "tj-paris"), None, "ev", T0)


def test_a_second_initial_report_is_refused():
    with pytest.raises(InvalidState):
        reevaluated(evaluated(), T0)


def test_granting_without_consent_is_refused():
    with pytest.raises(ConsentRequired):
        domain.decide(evaluated(consent=None), AttributionDecision.model_validate(decision()), T0, "a", POLICY)
    with pytest.raises(ConsentRequired):
        domain.decide(
            evaluated(consent=REFUSED_CONSENT), AttributionDecision.model_validate(decision()), T0, "a", POLICY
        )


def test_granting_while_the_author_is_in_prison_is_refused():
    with pytest.raises(AuthorIncarcerated):
        domain.decide(evaluated(), AttributionDecision.model_validate(decision(incarcerated=True)), T0, "a", POLICY)


def test_a_refusal_needs_neither_consent_and_closes_the_measure():
    m, events = domain.decide(
        evaluated(consent=None), AttributionDecision.model_validate(decision(granted=False)), T0, "a", POLICY
    )
    assert m.status == MeasureStatus.REFUSED
    assert events[0][1].granted is False
    assert events[0][1].ends_at is None


def test_a_decision_before_the_report_is_refused():
    m, _ = domain.request_evaluation(domain.open_measure("r", "tj-paris"), Requisition.model_validate(REQUISITION), T0)
    with pytest.raises(InvalidState, match="evaluation report"):
        domain.decide(m, AttributionDecision.model_validate(decision()), T0, "a", POLICY)


def test_a_second_decision_is_refused():
    with pytest.raises(InvalidState, match="already"):
        domain.decide(active(), AttributionDecision.model_validate(decision()), T0, "b", POLICY)


def test_consent_after_the_decision_is_refused():
    with pytest.raises(InvalidState):
        domain.record_consent(active(), Consent.model_validate(CONSENT))


def test_reminder_before_the_end_once_then_expiry_at_the_end():
    m = active()
    assert deadlines.tick(m, datetime(2026, 6, 24, tzinfo=UTC), POLICY) == (m, [])
    reminder_time = datetime(2026, 6, 25, 9, 0, tzinfo=UTC)
    assert deadlines.reminder_at(m.ends_at, POLICY) == reminder_time
    m, events = deadlines.tick(m, reminder_time, POLICY)
    assert names(events) == [EventName.ATTRIBUTION_EXPIRING]
    assert deadlines.tick(m, reminder_time + timedelta(days=1), POLICY) == (m, [])  # reminded once
    m, events = deadlines.tick(m, m.ends_at, POLICY)
    assert m.status == MeasureStatus.EXPIRED
    assert names(events) == [EventName.ATTRIBUTION_EXPIRED]
    assert deadlines.tick(m, m.ends_at + timedelta(days=1), POLICY) == (m, [])


def test_renewal_after_a_re_evaluation_starts_a_new_period_at_the_end_of_the_current_one():
    m = active()
    m, events = reevaluated(m, datetime(2026, 6, 28, tzinfo=UTC))
    assert events[0][1].purpose == "renewal"
    m, events = domain.renew(m, RenewalDecision.model_validate(renewal()), datetime(2026, 7, 1, tzinfo=UTC), POLICY)
    assert m.renewals == 1
    assert m.ends_at == datetime(2027, 1, 10, 9, 0, tzinfo=UTC)
    assert names(events) == [EventName.ATTRIBUTION_RENEWED]
    # a reminder is sent again for the new end
    m, events = deadlines.tick(m, datetime(2026, 12, 27, tzinfo=UTC), POLICY)
    assert names(events) == [EventName.ATTRIBUTION_EXPIRING]


def test_renewal_without_re_evaluation_is_refused():
    with pytest.raises(InvalidState, match="re-evaluation"):
        domain.renew(active(), RenewalDecision.model_validate(renewal()), T0, POLICY)


def test_renewal_over_the_jurisdictions_cap_is_refused():
    m = active("tj-paris")
    m, _ = reevaluated(m, datetime(2026, 6, 28, tzinfo=UTC))
    m, _ = domain.renew(m, RenewalDecision.model_validate(renewal()), datetime(2026, 7, 1, tzinfo=UTC), POLICY)
    m, _ = reevaluated(m, datetime(2026, 12, 28, tzinfo=UTC))
    with pytest.raises(RenewalLimitReached):
        domain.renew(m, RenewalDecision.model_validate(renewal()), datetime(2026, 12, 29, tzinfo=UTC), POLICY)


def test_the_cap_is_per_jurisdiction():
    assert POLICY.renewal_cap("tj-nanterre") == 2
    assert POLICY.renewal_cap("tj-moulins") == 1  # default
    m = active("tj-nanterre")
    for year_month in ((2026, 6), (2026, 12)):
        m, _ = reevaluated(m, datetime(*year_month, 28, tzinfo=UTC))
        m, _ = domain.renew(m, RenewalDecision.model_validate(renewal()), datetime(*year_month, 29, tzinfo=UTC), POLICY)
    assert m.renewals == 2


def test_not_renewed_then_it_expires_at_the_end_and_a_second_renewal_decision_is_refused():
    m = active()
    m, _ = reevaluated(m, datetime(2026, 6, 28, tzinfo=UTC))
    m, events = domain.renew(
        m, RenewalDecision.model_validate(renewal(False)), datetime(2026, 7, 1, tzinfo=UTC), POLICY
    )
    assert events[0][1].renewed is False
    assert m.status == MeasureStatus.ACTIVE
    with pytest.raises(InvalidState, match="already"):
        domain.renew(m, RenewalDecision.model_validate(renewal()), datetime(2026, 7, 2, tzinfo=UTC), POLICY)
    m, events = deadlines.tick(m, m.ends_at, POLICY)
    assert m.status == MeasureStatus.EXPIRED


def test_renewal_of_an_inactive_measure_is_refused():
    with pytest.raises(InvalidState):
        domain.renew(evaluated(), RenewalDecision.model_validate(renewal()), T0, POLICY)


@pytest.mark.parametrize("reason", [r.value for r in WithdrawalReason])
def test_withdrawal_for_each_of_the_five_reasons(reason):
    body = withdrawal(reason, opinion_on="2026-02-01" if reason == "prosecutor_request" else None)
    m, events = domain.withdraw(active(), Withdrawal.model_validate(body), T0 + timedelta(days=30))
    assert m.status == MeasureStatus.WITHDRAWN
    ((name, event),) = events
    assert name == EventName.ATTRIBUTION_WITHDRAWN
    assert event.reason == reason


def test_exactly_five_withdrawal_reasons():
    assert len(WithdrawalReason) == 5


def test_a_prosecutor_request_needs_the_steering_committee_opinion():
    with pytest.raises(InvalidRequest):
        domain.withdraw(active(), Withdrawal.model_validate(withdrawal("prosecutor_request")), T0)


def test_withdrawing_twice_or_before_the_decision_is_refused():
    m, _ = domain.withdraw(active(), Withdrawal.model_validate(withdrawal()), T0)
    with pytest.raises(InvalidState):
        domain.withdraw(m, Withdrawal.model_validate(withdrawal()), T0)
    with pytest.raises(InvalidState):
        domain.withdraw(evaluated(), Withdrawal.model_validate(withdrawal()), T0)


def test_a_withdrawn_measure_never_expires():
    m, _ = domain.withdraw(active(), Withdrawal.model_validate(withdrawal()), T0)
    assert deadlines.tick(m, T0 + timedelta(days=400), POLICY) == (m, [])


def test_the_view_shows_counts_and_cap_without_identity():
    view = read.view(active(), POLICY)
    assert view.status == "active"
    assert (view.renewals, view.renewal_cap, view.evaluations) == (0, 1, 1)
    assert view.risk_level == "high"


def test_next_deadline_is_the_reminder_then_the_end():
    m = active()
    assert deadlines.next_deadline(m, POLICY) == deadlines.reminder_at(m.ends_at, POLICY)
    m, _ = deadlines.tick(m, deadlines.reminder_at(m.ends_at, POLICY), POLICY)
    assert deadlines.next_deadline(m, POLICY) == m.ends_at
    m, _ = deadlines.tick(m, m.ends_at, POLICY)
    assert deadlines.next_deadline(m, POLICY) is None


def test_a_requisition_after_the_decision_is_refused():
    with pytest.raises(InvalidState):
        domain.request_evaluation(active(), Requisition.model_validate(REQUISITION), T0)


def test_a_report_not_filed_by_its_due_day_is_reminded_once():
    from datetime import date

    from tgd_contracts.evaluation import Requisition

    m = domain.open_measure("ref-1", "tj-moulins")
    m, _ = domain.request_evaluation(m, Requisition(requested_by="Parquet (fictif)", due_on=date(2026, 5, 10)), T0)
    end_of_day = datetime(2026, 5, 10, 22, 0, tzinfo=UTC)  # midnight in Paris (summer time)
    assert deadlines.next_deadline(m, POLICY) == end_of_day
    assert deadlines.tick(m, end_of_day - timedelta(seconds=1), POLICY) == (m, [])
    m, events = deadlines.tick(m, end_of_day, POLICY)
    assert names(events) == [EventName.REQUISITION_OVERDUE]
    assert events[0][1].due_on == date(2026, 5, 10)
    assert deadlines.tick(m, end_of_day + timedelta(days=1), POLICY) == (m, [])
    assert deadlines.next_deadline(m, POLICY) is None


def test_a_requisition_without_due_date_has_no_deadline():
    from tgd_contracts.evaluation import Requisition

    m = domain.open_measure("ref-1", "tj-moulins")
    m, _ = domain.request_evaluation(m, Requisition(requested_by="Parquet (fictif)"), T0)
    assert deadlines.next_deadline(m, POLICY) is None


def test_the_association_following_her_is_the_requisitioned_one_or_the_courts_only_one():
    from tgd_contracts.evaluation import Requisition

    paris = domain.open_measure("ref-1", "tj-paris")
    named, _ = domain.request_evaluation(
        paris, Requisition(requested_by="Parquet (fictif)", association="assoc-fictive-paris-b"), T0
    )
    assert read.view(named, POLICY).association == "assoc-fictive-paris-b"
    unnamed, _ = domain.request_evaluation(paris, Requisition(requested_by="Parquet (fictif)"), T0)
    assert read.view(unnamed, POLICY).association is None  # two in Paris: none chosen
    moulins, _ = domain.request_evaluation(
        domain.open_measure("ref-2", "tj-moulins"), Requisition(requested_by="Parquet (fictif)"), T0
    )
    assert read.view(moulins, POLICY).association == "assoc-fictive-03"  # serves three courts


def test_an_association_that_does_not_serve_the_court_is_refused():
    from tgd_contracts.evaluation import Requisition

    m = domain.open_measure("ref-1", "tj-moulins")
    with pytest.raises(InvalidRequest, match="does not serve tj-moulins"):
        domain.request_evaluation(m, Requisition(requested_by="P", association="assoc-fictive-paris-a"), T0)
