"""The referral repository on a real MongoDB (same mongoengine code as mongomock)."""

import uuid
from datetime import UTC, datetime

import mongoengine
import pytest

from referral import domain
from referral.models import DB_ALIAS
from referral.repository import DuplicateIdempotencyKey, ReferralRepository
from tgd_contracts.envelope import build_envelope
from tgd_contracts.examples import referral as examples
from tgd_contracts.referral import ReferralSubmission
from tgd_servicekit.mongo import connect_database, disconnect_database

pytestmark = pytest.mark.realmongo

SUBMISSION = ReferralSubmission.model_validate(
    examples.submission(kind="other", facts="Faits fictifs pour MongoDB réel.", jurisdiction="tj-paris")
)


@pytest.fixture
def repository(real_mongo_uri):
    db = f"tgd_realmongo_{uuid.uuid4().hex[:8]}"
    connect_database(DB_ALIAS, real_mongo_uri, db)
    yield ReferralRepository()
    mongoengine.get_connection(DB_ALIAS).drop_database(db)
    disconnect_database(DB_ALIAS)


def test_store_replay_unique_key_and_outbox_on_real_mongodb(repository):
    referral = domain.receive(SUBMISSION, now=datetime.now(UTC), referral_id=domain.new_referral_id())
    event = build_envelope(
        source_service="referral",
        event_name="referral_received",
        subject=referral.id,
        data=domain.received_event(referral),
    )
    repository.add(referral, "realmongo-key-1", domain.fingerprint(SUBMISSION), event)
    with pytest.raises(DuplicateIdempotencyKey):
        repository.add(referral.model_copy(update={"id": "other"}), "realmongo-key-1", "f", event)
    stored, fingerprint = repository.find_by_idempotency_key("realmongo-key-1")
    assert stored == referral
    assert fingerprint == domain.fingerprint(SUBMISSION)
    assert [owner for owner, _ in repository.pending_events(10)] == [referral.id]
    repository.mark_published(referral.id, event.id)
    assert list(repository.pending_events(10)) == []
