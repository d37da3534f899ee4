"""The outbox lease and the deadline claim on a real database driver: mongomock, and the
durable local store (SecantusDB over the MongoDB wire) where the ``$elemMatch`` +
positional ``$`` update must behave the same."""

import threading
import uuid
from datetime import UTC, datetime, timedelta

import mongoengine
import pytest
from mongoengine import DateTimeField, Document, EmbeddedDocumentField, ListField, StringField

from tgd_contracts.envelope import build_envelope
from tgd_contracts.referral import ProfessionalKind, ReferralReceived, Urgency
from tgd_servicekit import outbox
from tgd_servicekit.claims import claim_due, release_claim
from tgd_servicekit.mongo import connect_database, disconnect_database

ALIAS = "lease_test"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class Owner(Document):
    owner_id = StringField(primary_key=True)
    next_deadline_at = DateTimeField()
    deadline_claim_until = DateTimeField()
    outbox = ListField(EmbeddedDocumentField(outbox.OutboxEntry))
    meta = {"db_alias": ALIAS, "collection": "owners"}  # noqa: RUF012


class Store(outbox.DocumentOutboxStore):
    outbox_document = Owner
    outbox_owner = "owner_id"


def envelope(n: int):
    data = ReferralReceived(
        referral_id=f"r{n}",
        jurisdiction="tj-paris",
        urgency=Urgency.URGENT,
        referrer_kind=ProfessionalKind.OTHER,
        received_at=T0,
    )
    return build_envelope(source_service="referral", event_name="referral_received", subject=f"r{n}", data=data)


def entry(n: int, lease_until=None, claimed_by=None):
    env = envelope(n)
    return outbox.OutboxEntry(
        event_id=env.id,
        envelope=env.model_dump(mode="json"),
        created_at=T0,
        lease_until=lease_until,
        claimed_by=claimed_by,
    )


@pytest.fixture(params=["mongomock", "local-store"])
def store(request):
    uri = request.getfixturevalue("local_store_uri") if request.param == "local-store" else None
    db = f"tgd_lease_{uuid.uuid4().hex[:8]}"
    connect_database(ALIAS, uri, db)
    yield Store()
    mongoengine.get_connection(ALIAS).drop_database(db)
    disconnect_database(ALIAS)


def ids(store, now):
    return [raw["event_id"] for _, raw in store.pending_events(10, now)]


def test_a_free_entry_is_claimed_once(store):
    free = entry(1)
    Owner(owner_id="o1", outbox=[free]).save()
    assert store.claim("o1", free.event_id, T0, T0 + outbox.LEASE)
    assert not store.claim("o1", free.event_id, T0, T0 + outbox.LEASE)  # a live lease: not again
    assert ids(store, T0) == []
    doc = Owner.objects(owner_id="o1").first()
    assert doc.outbox[0].claimed_by == outbox.INSTANCE


def test_an_expired_lease_is_claimed_again_a_live_one_is_not(store):
    live, expired = entry(1, T0 + timedelta(seconds=5), "other"), entry(2, T0 - timedelta(seconds=1), "dead")
    Owner(owner_id="o1", outbox=[live, expired]).save()
    assert ids(store, T0) == [expired.event_id]
    assert not store.claim("o1", live.event_id, T0, T0 + outbox.LEASE)
    assert store.claim("o1", expired.event_id, T0, T0 + outbox.LEASE)
    later = T0 + timedelta(seconds=6)  # the live one's holder died: its lease ran out
    assert store.claim("o1", live.event_id, later, later + outbox.LEASE)
    doc = Owner.objects(owner_id="o1").first()
    assert [e.claimed_by for e in doc.outbox] == [outbox.INSTANCE, outbox.INSTANCE]


def test_published_and_failed_entries_are_never_claimed_a_released_one_is(store):
    done, failed, held = entry(1), entry(2), entry(3, T0 + timedelta(hours=1), "me")
    Owner(owner_id="o1", outbox=[done, failed, held]).save()
    store.mark_published("o1", done.event_id)
    store.mark_attempt_failed("o1", failed.event_id, "ValueError", give_up=True)
    later = T0 + timedelta(hours=2)
    assert not store.claim("o1", done.event_id, later, later)
    assert not store.claim("o1", failed.event_id, later, later)
    store.release("o1", held.event_id)  # its publish failed: the relay may take it at once
    assert store.claim("o1", held.event_id, T0, T0 + outbox.LEASE)


def test_concurrent_claimers_get_each_entry_once(store, request):
    if request.node.callspec.params["store"] == "mongomock":
        pytest.skip("mongomock is not thread-safe; the claim's atomicity is the server's")
    entries = [entry(n) for n in range(20)]
    Owner(owner_id="o1", outbox=entries).save()
    won: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def claimer():
        try:
            for e in entries:
                if store.claim("o1", e.event_id, T0, T0 + outbox.LEASE):
                    with lock:
                        won.append(e.event_id)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=claimer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(won) == sorted(e.event_id for e in entries)  # every one, none twice


def test_two_relays_publish_each_entry_once_and_skip_what_the_writer_holds(store):
    writers = [outbox.outbox_entry(envelope(n)) for n in range(3)]  # leased by their writer
    orphans = [entry(n) for n in range(3, 8)]  # the writer died before publishing
    Owner(owner_id="o1", outbox=writers).save()
    Owner(owner_id="o2", outbox=orphans).save()
    sent: list[str] = []
    first = outbox.relay(store, lambda env: sent.append(env.id), now=datetime.now(UTC))
    second = outbox.relay(store, lambda env: sent.append(env.id), now=datetime.now(UTC))
    assert sorted(sent) == sorted(e.event_id for e in orphans)
    assert (first.published, second.published) == (5, 0)
    after_lease = datetime.now(UTC) + outbox.LEASE + timedelta(seconds=1)  # the writer never published
    outbox.relay(store, lambda env: sent.append(env.id), now=after_lease)
    assert sorted(sent) == sorted(e.event_id for e in writers + orphans)


def test_the_writer_publishes_what_it_stored_and_a_failure_goes_back_to_the_relay(store):
    first, second = envelope(1), envelope(2)
    Owner(owner_id="o1", outbox=[outbox.outbox_entry(first), outbox.outbox_entry(second)]).save()

    def refuse_second(env):
        if env.id == second.id:
            raise ValueError("unroutable")

    assert outbox.publish_stored(store, "o1", [first, second], refuse_second) == 1
    assert ids(store, datetime.now(UTC)) == [second.id]  # released: the next relay pass retries it


def test_the_entries_of_one_change_are_marked_published_together_and_only_they(store):
    done, also_done, other = envelope(1), envelope(2), envelope(3)
    entries = [outbox.outbox_entry(e) for e in (done, also_done, other)]
    Owner(owner_id="o1", outbox=entries).save()
    store.mark_published_many("o1", [done.id, also_done.id])
    stored = {e.event_id: e.published for e in Owner.objects.get(owner_id="o1").outbox}
    assert stored == {done.id: True, also_done.id: True, other.id: False}


def test_a_change_published_in_parallel_is_marked_in_one_write_a_refused_message_is_released(store, monkeypatch):
    first, second, refused = envelope(1), envelope(2), envelope(3)
    Owner(owner_id="o1", outbox=[outbox.outbox_entry(e) for e in (first, second, refused)]).save()
    marks, sent = [], []
    mark_many = store.mark_published_many

    def spied(owner, event_ids):
        marks.append(list(event_ids))
        mark_many(owner, event_ids)

    monkeypatch.setattr(store, "mark_published_many", spied)

    def publish(env):
        if env.id == refused.id:
            raise ValueError("unroutable")
        sent.append(env.id)

    def parallel(fn, items):  # what in_green_threads does, in reverse order to show the results keep theirs
        return list(reversed([fn(item) for item in reversed(items)]))

    assert outbox.publish_stored(store, "o1", [first, second, refused], publish, parallel) == 2
    assert marks == [[first.id, second.id]]
    assert ids(store, datetime.now(UTC)) == [refused.id]  # released: the next relay pass retries it


def test_a_due_document_is_claimed_by_one_scanner_until_saved(store):
    Owner(owner_id="due", next_deadline_at=T0 - timedelta(seconds=1)).save()
    Owner(owner_id="later", next_deadline_at=T0 + timedelta(hours=1)).save()
    lease = timedelta(seconds=30)
    assert claim_due(Owner, T0, lease) == ["due"]
    assert claim_due(Owner, T0, lease) == []  # the other instance's scan
    assert claim_due(Owner, T0 + lease, lease) == ["due"]  # its holder died: taken after the lease
    Owner.objects(owner_id="due").update_one(set__next_deadline_at=T0, set__deadline_claim_until=None)
    assert claim_due(Owner, T0 + lease, lease) == ["due"]  # handled and due again: claimable at once


def test_a_claim_given_back_is_claimable_at_once_another_scanners_claim_is_left_alone(store):
    Owner(owner_id="due", next_deadline_at=T0 - timedelta(seconds=1)).save()
    lease = timedelta(seconds=30)
    at = T0 + timedelta(microseconds=123456)  # stored to the millisecond: still found
    assert claim_due(Owner, at, lease) == ["due"]
    release_claim(Owner, "due", at, lease)  # the handling stored nothing
    later = at + timedelta(seconds=1)
    assert claim_due(Owner, later, lease) == ["due"]  # the next scan, not after the lease
    release_claim(Owner, "due", at, lease)  # a stale give-back: the new claim stays
    assert claim_due(Owner, later, lease) == []
