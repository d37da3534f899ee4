"""ReferralService with nameko's worker_factory: real repository on an in-memory
database, the event publisher replaced by a recorder."""

from datetime import UTC, datetime
from unittest.mock import MagicMock

import pytest
from nameko.testing.services import worker_factory

from referral.domain.retention import RetentionPolicy
from referral.exceptions import IdempotencyKeyReused, InvalidRequest, ReferralNotFound, UnknownJurisdiction
from referral.models import DB_ALIAS, ReferralDocument
from referral.repository import ReferralRepository
from referral.service import ReferralService
from tgd_contracts.envelope import Envelope
from tgd_servicekit.outbox import publish_one_by_one

NOW = datetime(2026, 5, 6, 7, 8, 9, tzinfo=UTC)


class RecordingPublisher:
    """Builds real envelopes; records what was published; can simulate a broker outage."""

    def __init__(self):
        self.published: list[Envelope] = []
        self.fail = False

    def build(self, event_name, subject, data):
        from tgd_contracts.envelope import build_envelope

        return build_envelope(source_service="referral", event_name=event_name, subject=subject, data=data)

    def publish(self, envelope):
        if self.fail:
            raise ConnectionRefusedError("broker down")
        self.published.append(envelope)

    def publish_many(self, envelopes):  # the relay's: one by one here
        return publish_one_by_one(self.publish)(envelopes)


@pytest.fixture
def service(in_memory_db):
    in_memory_db(DB_ALIAS)
    return worker_factory(
        ReferralService,
        referrals=ReferralRepository(),
        events=RecordingPublisher(),
        now=lambda: NOW,
        retention_policy=RetentionPolicy(),
    )


def body(**overrides):
    value = {
        "referrer": {"kind": "hospital", "organisation": "Hôpital Fictif"},
        "victim": {"surname": "EXEMPLE", "first_names": ["Fictive"]},
        "facts": "Faits fictifs pour un test de service.",
        "urgency": "urgent",
        "jurisdiction": "tj-montlucon",
    }
    value.update(overrides)
    return value


def test_submit_answers_the_caller_s_view_when_given_its_role(service):
    full = service.submit_referral("key-0000000r", body(), role="prosecutor")
    assert full["created"] is True
    assert full["referral"]["view"] == "record"
    assert full["referral"]["victim"]["surname"] == "EXEMPLE"
    replay = service.submit_referral("key-0000000r", body(), role="referrer")
    assert replay["created"] is False
    assert replay["referral"]["view"] == "receipt"
    assert replay["referral"]["id"] == full["referral"]["id"]
    assert "victim" not in replay["referral"]
    assert "view" not in service.submit_referral("key-0000000r", body())["referral"]  # no role: the stored referral


def test_submit_stores_the_referral_and_publishes_referral_received(service):
    result = service.submit_referral("key-00000001", body())
    assert result["created"] is True
    referral_id = result["referral"]["id"]
    assert service.get_referral(referral_id)["victim"]["surname"] == "EXEMPLE"
    (event,) = service.events.published
    assert event.event_name == "referral_received"
    assert event.subject == referral_id
    doc = ReferralDocument.objects.get(referral_id=referral_id)
    assert [e.published for e in doc.outbox] == [True]


def test_personal_fields_are_not_stored_in_clear(service):
    import mongoengine

    service.submit_referral(
        "key-0000000p",
        body(victim={"surname": "EXEMPLE-SECRET", "first_names": ["Fictive"], "birth_date": "1991-02-03"}),
    )
    raw = mongoengine.get_db(DB_ALIAS).referrals.find_one()
    for personal in ("EXEMPLE-SECRET", "Fictive", "1991-02-03", "Faits fictifs"):
        assert personal not in str(raw)
    assert raw["jurisdiction"] == "tj-montlucon"  # routing facts stay queryable


def test_a_retry_with_the_same_key_creates_nothing_new(service):
    first = service.submit_referral("key-00000002", body())
    second = service.submit_referral("key-00000002", body())
    assert second["created"] is False
    assert second["referral"] == first["referral"]
    assert ReferralDocument.objects.count() == 1
    assert len(service.events.published) == 1


def test_the_same_key_with_another_body_is_refused(service):
    service.submit_referral("key-00000003", body())
    with pytest.raises(IdempotencyKeyReused):
        service.submit_referral("key-00000003", body(urgency="standard"))
    assert ReferralDocument.objects.count() == 1


def test_invalid_payloads_are_refused_without_storing(service):
    with pytest.raises(InvalidRequest) as info:
        service.submit_referral("key-00000004", body(facts=5))
    assert "facts" in info.value.message
    with pytest.raises(UnknownJurisdiction):
        service.submit_referral("key-00000005", body(jurisdiction="tj-nowhere"))
    assert ReferralDocument.objects.count() == 0


def test_a_broker_outage_leaves_the_event_in_the_outbox_until_the_relay_runs(service):
    service.events.fail = True
    result = service.submit_referral("key-00000006", body())
    assert result["created"] is True  # the referral is held: the caller is not asked to retry
    assert service.events.published == []
    service.events.fail = False
    service.relay_outbox()
    assert [e.subject for e in service.events.published] == [result["referral"]["id"]]
    service.relay_outbox()  # idempotent: nothing published twice
    assert len(service.events.published) == 1


def test_unknown_referral(service):
    with pytest.raises(ReferralNotFound):
        service.get_referral("0" * 32)


def test_list_urgent_referrals_of_a_jurisdiction_newest_first(service):
    service.now = MagicMock(side_effect=[datetime(2026, 1, d, tzinfo=UTC) for d in (1, 2, 3, 4)])
    service.submit_referral("key-0000000a", body(urgency="urgent"))
    service.submit_referral("key-0000000b", body(urgency="standard"))
    service.submit_referral("key-0000000c", body(urgency="urgent"))
    service.submit_referral("key-0000000d", body(urgency="urgent", jurisdiction="tj-paris"))
    page = service.list_referrals({"jurisdiction": "tj-montlucon", "urgent": True})
    assert page["total"] == 2
    assert [i["received_at"][:10] for i in page["items"]] == ["2026-01-03", "2026-01-01"]
    assert all("victim" not in item for item in page["items"])
    everything = service.list_referrals({"jurisdiction": "tj-montlucon", "limit": 1, "offset": 1})
    assert everything["total"] == 3
    assert len(everything["items"]) == 1


def test_the_referral_evidence_holds_the_referral_and_its_event(service):
    from tgd_contracts.evidence import EvidencePart

    referral_id = service.submit_referral("key-00000001", body())["referral"]["id"]
    other = service.submit_referral("key-00000002", body())["referral"]["id"]
    part = EvidencePart.consume(service.referral_evidence(referral_id))
    assert (part.service, part.subject_id, part.jurisdiction) == ("referral", referral_id, "tj-montlucon")
    assert part.records["referral"]["victim"]["surname"] == "EXEMPLE"
    assert [e["type"] for e in part.events] == ["fr.tgd.referral_received"]
    assert other not in part.model_dump_json()
    with pytest.raises(ReferralNotFound):
        service.referral_evidence("f" * 32)
