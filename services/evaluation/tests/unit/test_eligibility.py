"""The eligibility rule (conditions d'attribution), without I/O: conjugal violence by a
(former) partner or rape, she no longer lives with him, he is not in prison."""

from datetime import UTC, date, datetime

import pytest

from evaluation import domain
from evaluation import read as reads
from evaluation.domain import eligibility
from evaluation.exceptions import AuthorIncarcerated, InvalidRequest, NotEligible
from tgd_contracts.eligibility import EligibilityFacts, Ineligibility, Relationship
from tgd_contracts.evaluation import AttributionDecision, MeasureStatus

from ..factories import decision
from .test_domain import POLICY, T0, evaluated

NOW = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


def facts(relationship="former_spouse", separated=True, danger="conjugal_violence", separated_on=None):
    return EligibilityFacts(relationship=relationship, separated=separated, danger=danger, separated_on=separated_on)


@pytest.mark.parametrize("relationship", [r.value for r in Relationship if r is not Relationship.NONE])
def test_conjugal_violence_by_each_partner_the_law_lists_is_eligible(relationship):
    assert eligibility.check(facts(relationship), author_incarcerated=False).eligible


def test_rape_needs_no_relationship():
    verdict = eligibility.check(facts("none", danger="rape"), author_incarcerated=False)
    assert verdict.eligible
    assert verdict.reasons == []


def test_conjugal_violence_by_someone_else_is_not_eligible():
    verdict = eligibility.check(facts("none"), author_incarcerated=False)
    assert verdict.reasons == [Ineligibility.NOT_A_PARTNER]


def test_another_danger_is_outside_the_scheme():
    assert eligibility.check(facts(danger="other"), False).reasons == [Ineligibility.DANGER_NOT_COVERED]


def test_living_with_the_author_is_not_eligible_even_for_rape():
    assert eligibility.check(facts(separated=False), False).reasons == [Ineligibility.NOT_SEPARATED]
    assert eligibility.check(facts("spouse", False, "rape"), False).reasons == [Ineligibility.NOT_SEPARATED]


def test_every_reason_is_given_in_a_fixed_order():
    verdict = eligibility.check(facts("none", separated=False), author_incarcerated=True)
    assert verdict.reasons == [Ineligibility.NOT_A_PARTNER, Ineligibility.NOT_SEPARATED,
                               Ineligibility.AUTHOR_INCARCERATED]  # fmt: skip


def test_facts_that_contradict_themselves_are_bad_input():
    with pytest.raises(InvalidRequest, match="separated_on is given only when separated"):
        eligibility.check_facts(facts(separated=False, separated_on=date(2025, 12, 1)), NOW)
    with pytest.raises(InvalidRequest, match="future"):
        eligibility.check_facts(facts(separated_on=date(2026, 1, 11)), NOW)
    eligibility.check_facts(facts(separated_on=date(2026, 1, 10)), NOW)  # today is fine
    eligibility.check_facts(None, NOW)  # not given: a 1.0 client


def test_the_message_names_each_reason_in_clear():
    with pytest.raises(NotEligible) as refused:
        eligibility.require_eligible(facts("none", separated=False), author_incarcerated=False)
    assert "(former) spouse, cohabitant or PACS partner" in refused.value.message
    assert "still lives with the author" in refused.value.message


def decided(body):
    return domain.decide(evaluated(), AttributionDecision.model_validate(body), T0, "att-1", POLICY)


def test_a_grant_with_eligible_facts_records_them():
    m, events = decided({**decision(), "eligibility": facts().to_wire()})
    assert m.status == MeasureStatus.ACTIVE
    assert m.decision.eligibility == facts()
    record = reads.record(m, [], POLICY)
    assert record.eligibility.eligible
    assert record.decision.eligibility.relationship == "former_spouse"
    assert "relationship" not in events[0][1].model_dump_json()  # the facts never travel on the bus


def test_a_grant_with_ineligible_facts_is_refused_and_nothing_changes():
    m = evaluated()
    body = AttributionDecision.model_validate({**decision(), "eligibility": facts(separated=False).to_wire()})
    with pytest.raises(NotEligible):
        domain.decide(m, body, T0, "att-1", POLICY)
    assert m.status == MeasureStatus.EVALUATED
    assert m.decision is None


def test_a_refusal_records_ineligible_facts_and_the_record_shows_why():
    m, _ = decided({**decision(granted=False), "eligibility": facts("none").to_wire()})
    assert m.status == MeasureStatus.REFUSED
    assert reads.record(m, [], POLICY).eligibility.reasons == [Ineligibility.NOT_A_PARTNER]


def test_an_incarcerated_author_keeps_its_own_error_code():
    with pytest.raises(AuthorIncarcerated):
        decided({**decision(incarcerated=True), "eligibility": facts().to_wire()})


def test_contradictory_facts_are_refused_even_on_a_refusal():
    with pytest.raises(InvalidRequest):
        decided({**decision(granted=False), "eligibility": {**facts().to_wire(), "separated": False,
                                                             "separated_on": "2025-12-01"}})  # fmt: skip


def test_a_decision_without_facts_still_works_and_has_no_verdict():
    m, _ = decided(decision())
    assert m.status == MeasureStatus.ACTIVE
    assert reads.record(m, [], POLICY).eligibility is None
