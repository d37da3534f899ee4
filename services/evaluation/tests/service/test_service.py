"""EvaluationService with worker_factory: real repository on an in-memory database, a
recording publisher, a clock the test moves."""

from datetime import UTC, datetime, timedelta

import pytest
from nameko.testing.services import worker_factory

from evaluation.domain import Policy
from evaluation.domain.instruments import read_instruments
from evaluation.domain.retention import RetentionPolicy
from evaluation.exceptions import AttributionNotFound, InvalidRequest, InvalidState, ReferralNotFound
from evaluation.models import DB_ALIAS, MeasureDocument
from evaluation.repository import MeasureRepository
from evaluation.service import EvaluationService
from tgd_contracts.envelope import build_envelope
from tgd_contracts.referral import ReferralReceived
from tgd_servicekit.durations import parse_period
from tgd_servicekit.handlers import ReceivedEvent
from tgd_servicekit.outbox import publish_one_by_one

from ..factories import CONSENT, REQUISITION, decision, renewal, report, withdrawal


class RecordingPublisher:
    def __init__(self):
        self.published = []
        self.fail = False

    def build(self, event_name, subject, data):
        return build_envelope(source_service="evaluation", event_name=event_name, subject=subject, data=data)

    def publish(self, envelope):
        if self.fail:
            raise ConnectionRefusedError("broker down")
        self.published.append(envelope)

    def publish_many(self, envelopes):  # the relay's: one by one here
        return publish_one_by_one(self.publish)(envelopes)

    def names(self):
        return [e.event_name for e in self.published]


class MovableClock:
    def __init__(self, start):
        self.value = start

    def __call__(self):
        return self.value


T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def service(in_memory_db):
    in_memory_db(DB_ALIAS)
    policy = Policy(parse_period("P6M"), parse_period("P15D"), 1, {"tj-paris": 1})
    return worker_factory(
        EvaluationService,
        measures=MeasureRepository(),
        events=RecordingPublisher(),
        now=MovableClock(T0),
        policy=policy,
        retention_policy=RetentionPolicy(),
        instruments=read_instruments(),
    )


def referral_received(referral_id="ref-001", jurisdiction="tj-paris", event_id=None):
    data = ReferralReceived(
        referral_id=referral_id, jurisdiction=jurisdiction, urgency="urgent", referrer_kind="hospital", received_at=T0
    )
    envelope = build_envelope(
        source_service="referral", event_name="referral_received", subject=referral_id, data=data, event_id=event_id
    )
    return ReceivedEvent(envelope=envelope, data=data)


def granted(service, referral_id="ref-001"):
    service.on_referral_received(referral_received(referral_id))
    service.request_evaluation(referral_id, REQUISITION)
    service.file_report(referral_id, report())
    service.record_consent(referral_id, CONSENT)
    return service.decide(referral_id, decision())


def test_the_whole_path_stores_and_publishes_each_step(service):
    view = granted(service)
    assert view["status"] == "active"
    assert view["ends_at"].startswith("2026-09-01")
    assert service.events.names() == ["evaluation_requested", "evaluation_completed", "attribution_decided"]
    doc = MeasureDocument.objects.get(referral_id="ref-001")
    assert all(e.published for e in doc.outbox)
    assert doc.reports[0]["victim_situation"]["family"].startswith("Situation")
    assert service.get_attribution(view["attribution_id"])["referral_id"] == "ref-001"
    for event in service.events.published:
        assert "fictive" not in event.model_dump_json().lower()  # the report never travels


def test_replaying_referral_received_changes_nothing(service):
    event = referral_received(event_id="same-id")
    service.on_referral_received(event)
    service.request_evaluation("ref-001", REQUISITION)
    service.on_referral_received(event)
    service.on_referral_received(referral_received())  # same referral, another event id
    assert MeasureDocument.objects.count() == 1
    assert service.get_measure("ref-001")["status"] == "evaluation_requested"


def test_steps_on_an_unknown_referral_or_attribution_are_refused(service):
    with pytest.raises(ReferralNotFound):
        service.decide("ref-unknown", decision())
    with pytest.raises(ReferralNotFound):
        service.request_evaluation("ref-unknown", REQUISITION)
    with pytest.raises(AttributionNotFound):
        service.withdraw("att-unknown", withdrawal())
    with pytest.raises(InvalidRequest):
        service.get_measure(12)
    assert service.events.published == []


def test_a_double_decision_is_refused_and_publishes_nothing_more(service):
    granted(service)
    with pytest.raises(InvalidState):
        service.decide("ref-001", decision(granted=False))
    assert service.events.names().count("attribution_decided") == 1


def test_invalid_bodies_are_refused(service):
    service.on_referral_received(referral_received())
    with pytest.raises(InvalidRequest):
        service.request_evaluation("ref-001", {"requested_by": 5})
    with pytest.raises(InvalidRequest):
        service.record_consent("ref-001", {**CONSENT, "given": "yes"})


def test_the_timer_reminds_then_expires_as_the_clock_moves(service):
    attribution_id = granted(service)["attribution_id"]
    service.check_deadlines()
    assert "attribution_expiring" not in service.events.names()
    service.now.value = datetime(2026, 8, 20, tzinfo=UTC)
    service.check_deadlines()
    service.check_deadlines()
    assert service.events.names().count("attribution_expiring") == 1
    service.now.value = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
    service.check_deadlines()
    assert service.events.names()[-1] == "attribution_expired"
    assert service.events.published[-1].subject == attribution_id
    assert service.get_attribution(attribution_id)["status"] == "expired"


def test_renewal_then_withdrawal(service):
    attribution_id = granted(service)["attribution_id"]
    service.now.value = T0 + timedelta(days=170)
    service.file_report("ref-001", report())
    view = service.renew(attribution_id, renewal())
    assert (view["renewals"], view["ends_at"][:10]) == (1, "2027-03-01")
    view = service.withdraw(attribution_id, withdrawal("beneficiary_request"))
    assert view["status"] == "withdrawn"
    assert view["withdrawal_reason"] == "beneficiary_request"
    assert service.events.names()[-2:] == ["attribution_renewed", "attribution_withdrawn"]


def test_a_broker_outage_leaves_the_decision_in_the_outbox_until_the_relay(service):
    service.on_referral_received(referral_received())
    service.request_evaluation("ref-001", REQUISITION)
    service.file_report("ref-001", report())
    service.record_consent("ref-001", CONSENT)
    service.events.fail = True
    view = service.decide("ref-001", decision())
    assert view["status"] == "active"
    service.events.fail = False
    service.relay_outbox()
    service.relay_outbox()
    assert service.events.names().count("attribution_decided") == 1


def test_the_evaluation_report_is_not_stored_in_clear(service):
    import mongoengine

    from evaluation.models import DB_ALIAS

    granted(service)
    raw = str(mongoengine.get_db(DB_ALIAS)[MeasureDocument._get_collection_name()].find_one())
    for personal in ("Situation familiale fictive", "Situation sociale fictive", "Notes fictives"):
        assert personal not in raw
    assert MeasureDocument.objects.get(referral_id="ref-001").reports[0]["victim_situation"]["social"] == (
        "Situation sociale fictive."
    )


def test_the_measure_evidence_holds_its_history_reports_and_events(service):
    from tgd_contracts.evidence import EvidencePart

    view = granted(service)
    granted(service, "ref-002")  # another measure
    service.withdraw(view["attribution_id"], withdrawal())
    part = EvidencePart.consume(service.measure_evidence("ref-001"))
    assert (part.service, part.subject_id, part.jurisdiction) == ("evaluation", "ref-001", "tj-paris")
    assert part.related_ids == {"attribution_ids": [view["attribution_id"]]}
    measure = part.records["measure"]
    assert measure["decision"]["granted"] is True
    assert measure["withdrawal"] is not None
    assert part.records["reports"][0]["victim_situation"]["family"].startswith("Situation")
    assert [e["type"].removeprefix("fr.tgd.") for e in part.events] == [
        "evaluation_requested",
        "evaluation_completed",
        "attribution_decided",
        "attribution_withdrawn",
    ]
    assert "ref-002" not in part.model_dump_json()
    with pytest.raises(ReferralNotFound):
        service.measure_evidence("ref-unknown")


def test_the_instruments_are_published_with_every_item(service):
    found = {(i["instrument_id"], i["instrument_version"]): i for i in service.list_instruments()["instruments"]}
    dash = found[("dash-like", "1")]
    assert len(dash["items"]) == 27
    assert (dash["high_from"], dash["medium_from"]) == (14, 10)
    assert all(item["label"] for item in dash["items"])
    assert found[("danger-assessment-like", "1")]["items"][0]["weight"] == 4


def test_an_ineligible_grant_is_refused_with_its_reasons_and_changes_nothing(service):
    from evaluation.exceptions import NotEligible

    service.on_referral_received(referral_received())
    service.request_evaluation("ref-001", REQUISITION)
    service.file_report("ref-001", report())
    service.record_consent("ref-001", CONSENT)
    published = list(service.events.names())
    facts = {"relationship": "none", "separated": True, "danger": "conjugal_violence"}
    with pytest.raises(NotEligible, match="PACS partner"):
        service.decide("ref-001", {**decision(), "eligibility": facts})
    with pytest.raises(InvalidRequest):
        service.decide("ref-001", {**decision(), "eligibility": {**facts, "danger": "burglary"}})
    assert service.get_measure("ref-001")["status"] == "evaluated"
    assert service.events.names() == published
    view = service.decide("ref-001", {**decision(), "eligibility": {**facts, "relationship": "former_pacs_partner"}})
    assert view["status"] == "active"
    record = service.measure_record("ref-001")
    assert record["decision"]["eligibility"]["relationship"] == "former_pacs_partner"
    assert record["eligibility"] == {"eligible": True, "reasons": []}
