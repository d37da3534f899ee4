"""A referral's personal data is purged when its legal basis is over (referral.domain.retention):
the evaluation events set the basis, the timer purges (counts logged), the raw document
keeps routing facts only, and a field outside the arrêté's list is refused."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from nameko.testing.services import worker_factory

from referral.domain.retention import RetentionPolicy
from referral.exceptions import IdempotencyKeyReused, InvalidRequest, ReferralNotFound
from referral.handlers.retention import UnknownAttribution
from referral.models import DB_ALIAS, ReferralDocument
from referral.repository import ReferralRepository
from referral.service import ReferralService
from tgd_contracts.envelope import build_envelope
from tgd_contracts.evaluation import AttributionDecided, AttributionExpired, AttributionWithdrawn
from tgd_servicekit.durations import Period
from tgd_servicekit.handlers import ReceivedEvent

from .test_service import RecordingPublisher, body

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
PERSONAL = ("EXEMPLE", "Fictive", "Faits fictifs", "DOSSIER-42")


class Clock:
    def __init__(self):
        self.value = T0

    def __call__(self):
        return self.value


@pytest.fixture
def service(in_memory_db):
    in_memory_db(DB_ALIAS)
    return worker_factory(
        ReferralService,
        referrals=ReferralRepository(),
        events=RecordingPublisher(),
        now=Clock(),
        retention_policy=RetentionPolicy(),
    )


def received(model, event_name, **data):
    payload = model(**data)
    envelope = build_envelope(source_service="evaluation", event_name=event_name, subject="s", data=payload)
    return ReceivedEvent(envelope=envelope, data=payload)


def decided(referral_id, granted=True, at=T0):
    return received(
        AttributionDecided,
        "attribution_decided",
        attribution_id="att-1",
        referral_id=referral_id,
        jurisdiction="tj-montlucon",
        granted=granted,
        decided_at=at,
        ends_at=at + timedelta(days=180) if granted else None,
    )


def submit(service):
    referrer = {"kind": "hospital", "organisation": "Hôpital Fictif", "reference": "DOSSIER-42"}
    return service.submit_referral("key-retention-1", body(referrer=referrer))["referral"]["id"]


def raw(referral_id):
    return ReferralDocument._get_collection().find_one({"_id": referral_id})


def test_a_referral_never_decided_is_purged_exactly_6_months_after_receipt(service, caplog):
    referral_id = submit(service)
    due = Period(months=6).after(T0)
    service.now.value = due - SECOND
    assert service.run_retention() == 0
    assert service.get_referral(referral_id)["victim"]["surname"] == "EXEMPLE"
    service.now.value = due
    with caplog.at_level(logging.INFO, logger="referral.handlers.retention"):
        assert service.run_retention() == 1
        assert service.run_retention() == 0  # nothing more
    assert [r.getMessage() for r in caplog.records] == [
        "retention run: referrals_anonymised=1",
        "retention run: referrals_anonymised=0",
    ]
    with pytest.raises(ReferralNotFound, match="purged"):
        service.get_referral(referral_id)
    with pytest.raises(IdempotencyKeyReused, match="purged"):
        submit(service)
    stored = raw(referral_id)
    for field in ("victim", "facts", "fingerprint"):
        assert field not in stored
    assert "reference" not in stored["referrer"]
    for personal in PERSONAL:
        assert personal not in str(stored)
    page = service.list_referrals({"jurisdiction": "tj-montlucon"})  # statistics keep the routing facts
    assert [(i["id"], i["urgency"], i["referrer_kind"]) for i in page["items"]] == [(referral_id, "urgent", "hospital")]


def test_a_granted_attribution_keeps_the_referral_until_3_months_after_its_withdrawal(service):
    referral_id = submit(service)
    service.on_attribution_decided(decided(referral_id))
    service.now.value = T0 + timedelta(days=400)
    assert service.run_retention() == 0  # the attribution lasts
    withdrawn_at = T0 + timedelta(days=400)
    event = received(
        AttributionWithdrawn,
        "attribution_withdrawn",
        attribution_id="att-1",
        jurisdiction="tj-montlucon",
        reason="danger_ceased",
        withdrawn_at=withdrawn_at,
    )
    service.on_attribution_withdrawn(event)
    service.on_attribution_withdrawn(event)  # a replay changes nothing
    service.on_attribution_expired(  # nor a later end
        received(
            AttributionExpired,
            "attribution_expired",
            attribution_id="att-1",
            jurisdiction="tj-montlucon",
            expired_at=withdrawn_at + timedelta(days=30),
        )
    )
    due = Period(months=3).after(withdrawn_at)
    service.now.value = due - SECOND
    assert service.run_retention() == 0
    service.now.value = due
    assert service.run_retention() == 1


def test_a_refused_attribution_ends_the_basis_at_the_decision(service):
    referral_id = submit(service)
    service.on_attribution_decided(decided(referral_id, granted=False, at=T0 + timedelta(days=10)))
    assert raw(referral_id)["purge_due_at"].replace(tzinfo=UTC) == Period(months=3).after(T0 + timedelta(days=10))


def test_an_end_before_its_decision_is_retried(service):
    submit(service)
    with pytest.raises(UnknownAttribution):
        service.on_attribution_expired(
            received(
                AttributionExpired,
                "attribution_expired",
                attribution_id="att-9",
                jurisdiction="tj-montlucon",
                expired_at=T0,
            )
        )


@pytest.mark.parametrize(
    "bad",
    [
        {"victim": {"surname": "EXEMPLE", "first_names": ["Fictive"], "nationality": "x"}},
        {"victim": {"surname": "EXEMPLE", "first_names": ["Fictive"]}, "phone": "0600000000"},
        {"referrer": {"kind": "hospital", "organisation": "Hôpital Fictif", "doctor": "Dr Fictif"}},
    ],
)
def test_a_field_outside_the_arretes_list_is_refused_and_nothing_is_stored(service, bad):
    with pytest.raises(InvalidRequest):
        service.submit_referral("key-retention-2", body(**bad))
    assert ReferralDocument.objects.count() == 0
