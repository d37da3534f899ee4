"""The transactional outbox: an event is stored in the same document write as the
state change it reports, then published with confirms and marked published.

A service document embeds ``outbox = ListField(EmbeddedDocumentField(OutboxEntry))``
(it inherits it from :class:`tgd_servicekit.documents.WithOutbox`).

Safe with N instances of a service: every entry is published under a **lease**
(``lease_until``, ``claimed_by``). The instance that writes an entry holds its lease from
the start (:func:`outbox_entry`) and publishes it at once (:func:`publish_stored`);
:func:`relay` publishes only what it *claims* with one atomic update (unpublished, not
failed, no live lease), so the immediate publish, the relay timer and the relays of other
instances never send the same entry together. A crashed instance's lease expires and
another instance takes the entry; a failed attempt gives the lease back at once. An
entry that fails ``MAX_ATTEMPTS`` times is marked ``failed`` and stays visible in its
document (``failed``, ``last_error``), never dropped. Delivery stays at least once (a lease can expire
during a very slow publish): consumers dedupe on the envelope id.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, Protocol

from amqp.exceptions import ConnectionError as AmqpConnectionError
from kombu.exceptions import OperationalError
from mongoengine import BooleanField, DateTimeField, DictField, EmbeddedDocument, IntField, StringField

from tgd_contracts.envelope import Envelope
from tgd_servicekit.metrics import track_outbox
from tgd_servicekit.outbox_publish import publish_stored  # noqa: F401 (re-exported: the services import it from here)

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 20
BROKER_UNREACHABLE = (OSError, OperationalError, AmqpConnectionError)
#: how long an instance holds an entry it publishes (longer than any confirmed publish)
LEASE = timedelta(seconds=10)
#: this process (several instances of a service share one database)
INSTANCE = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
#: documents with an entry to publish; ``outbox.published`` first, so that an index on it
#: serves the query (the ``$elemMatch`` alone makes a store scan every document)
UNPUBLISHED = {"outbox.published": False, "outbox": {"$elemMatch": {"published": False, "failed": False}}}


class OutboxEntry(EmbeddedDocument):
    event_id = StringField(required=True)
    envelope = DictField(required=True)
    published = BooleanField(default=False)
    failed = BooleanField(default=False)
    attempts = IntField(default=0)
    last_error = StringField()
    created_at = DateTimeField(required=True)
    #: the instance publishing it holds it until then (None: free)
    lease_until = DateTimeField()
    claimed_by = StringField()


def writer_lease(now: datetime | None = None) -> dict[str, Any]:
    """The fields of a new entry: leased to this instance, which publishes it at once."""
    now = now or datetime.now(UTC)
    return {"created_at": now, "lease_until": now + LEASE, "claimed_by": INSTANCE}


def outbox_entry(envelope: Envelope) -> OutboxEntry:
    return OutboxEntry(event_id=envelope.id, envelope=envelope.model_dump(mode="json"), **writer_lease())


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def lease_free(entry: Any, now: datetime) -> bool:
    lease = _aware(getattr(entry, "lease_until", None))
    return lease is None or lease <= now


class OutboxStore(Protocol):
    def pending_events(self, limit: int, now: datetime) -> Iterable[tuple[Any, dict[str, Any]]]: ...
    def claim(self, owner_id: Any, event_id: str, now: datetime, until: datetime) -> bool: ...
    def release(self, owner_id: Any, event_id: str) -> None: ...
    def mark_published(self, owner_id: Any, event_id: str) -> None: ...
    def mark_attempt_failed(self, owner_id: Any, event_id: str, error: str, give_up: bool) -> None: ...


class DocumentOutboxStore:
    """:class:`OutboxStore` over a mongoengine document that embeds ``outbox``: a
    repository names the document (``outbox_document``) and its id field
    (``outbox_owner``) and gets the methods the relay needs."""

    outbox_document: ClassVar[Any]
    outbox_owner: ClassVar[str]

    def pending_events(self, limit: int, now: datetime | None = None) -> Iterator[tuple[Any, dict[str, Any]]]:
        """Unpublished entries whose lease is free (all of them without ``now``), with
        their fields as the document class reads them (an encrypted envelope decrypted)."""
        docs = self.outbox_document.objects(__raw__=UNPUBLISHED)
        for doc in docs.only(self.outbox_owner, "outbox").limit(limit):
            for entry in doc.outbox:
                if not entry.published and not entry.failed and (now is None or lease_free(entry, now)):
                    yield getattr(doc, self.outbox_owner), {name: getattr(entry, name) for name in entry._fields}

    def _collection(self) -> Any:
        return self.outbox_document._get_collection()

    def _owner_filter(self, owner_id: Any) -> dict[str, Any]:
        return {self.outbox_document._fields[self.outbox_owner].db_field: owner_id}

    def claim(self, owner_id: Any, event_id: str, now: datetime, until: datetime) -> bool:
        """Take the entry for this instance until ``until``, atomically: only while it is
        unpublished, not failed and its lease free (``$elemMatch`` + positional ``$``)."""
        free = {"$not": {"$gt": now}}  # missing, null or expired
        match = {"event_id": event_id, "published": False, "failed": False, "lease_until": free}
        found = self._collection().update_one(
            {**self._owner_filter(owner_id), "outbox": {"$elemMatch": match}},
            {"$set": {"outbox.$.lease_until": until, "outbox.$.claimed_by": INSTANCE}},
        )
        return found.modified_count == 1

    def _entry(self, owner_id: Any, event_id: str) -> Any:
        return self.outbox_document.objects(**{self.outbox_owner: owner_id, "outbox__event_id": event_id})

    def release(self, owner_id: Any, event_id: str) -> None:
        self._entry(owner_id, event_id).update_one(set__outbox__S__lease_until=None)

    def mark_published(self, owner_id: Any, event_id: str) -> None:
        self._entry(owner_id, event_id).update_one(set__outbox__S__published=True)

    def mark_published_many(self, owner_id: Any, event_ids: Sequence[str]) -> None:
        """Several entries of one document marked published in one write (``arrayFilters``);
        one by one where the database cannot (mongomock)."""
        if len(event_ids) > 1:
            ids = {"$in": list(event_ids)}
            try:
                self._collection().update_one(
                    {**self._owner_filter(owner_id), "outbox.event_id": ids},
                    {"$set": {"outbox.$[sent].published": True}},
                    array_filters=[{"sent.event_id": ids}],
                )
                return
            except NotImplementedError:  # mongomock has no arrayFilters
                pass
        for event_id in event_ids:
            self.mark_published(owner_id, event_id)

    def mark_attempt_failed(self, owner_id: Any, event_id: str, error: str, give_up: bool) -> None:
        self._entry(owner_id, event_id).update_one(
            inc__outbox__S__attempts=1,
            set__outbox__S__last_error=error,
            set__outbox__S__failed=give_up,
            set__outbox__S__lease_until=None,
        )


@dataclass
class RelayReport:
    published: int = 0
    failed: int = 0
    skipped: int = 0  # claimed by another instance meanwhile


#: publishes several envelopes, waiting for their confirms together; one result per
#: envelope, in order: None (confirmed) or the exception that refused it
PublishMany = Callable[[Sequence[Envelope]], list[BaseException | None]]


def publish_one_by_one(publish: Callable[[Envelope], None]) -> PublishMany:
    """A :data:`PublishMany` that waits for each confirm in turn; stops at an unreachable broker."""

    def publish_many(envelopes: Sequence[Envelope]) -> list[BaseException | None]:
        results: list[BaseException | None] = []
        for envelope in envelopes:
            try:
                publish(envelope)
            except Exception as exc:
                results.append(exc)
                if isinstance(exc, BROKER_UNREACHABLE):
                    return results + [exc] * (len(envelopes) - len(results))
                continue
            results.append(None)
        return results

    return publish_many


def partitioned(
    batchable: Callable[[Envelope], bool], publish_many: PublishMany, publish: Callable[[Envelope], None]
) -> PublishMany:
    """Pipeline the envelopes ``batchable`` accepts (e.g. those for the service's own
    events exchange) with ``publish_many``; send the others one by one with ``publish``.
    Results come back in the envelopes' order."""

    def publish_mixed(envelopes: Sequence[Envelope]) -> list[BaseException | None]:
        batch = [i for i, e in enumerate(envelopes) if batchable(e)]
        results: list[BaseException | None] = [None] * len(envelopes)
        for i, result in zip(batch, publish_many([envelopes[i] for i in batch]), strict=True):
            results[i] = result
        others = [i for i in range(len(envelopes)) if i not in set(batch)]
        for i, result in zip(others, publish_one_by_one(publish)([envelopes[i] for i in others]), strict=True):
            results[i] = result
        return results

    return publish_mixed


def relay(
    store: OutboxStore,
    publish: Callable[[Envelope], None] | None = None,
    limit: int = 200,
    *,
    publish_many: PublishMany | None = None,
    now: datetime | None = None,
) -> RelayReport:
    """Claim the pending entries, publish them in order, mark each one only after the
    broker confirmed it. ``publish_many`` (pipelined confirms) or ``publish`` (one confirm
    at a time) sends them."""
    if publish_many is None:
        if publish is None:
            raise TypeError("relay needs publish or publish_many")
        publish_many = publish_one_by_one(publish)
    track_outbox(store)  # its backlog on /metrics
    now = now or datetime.now(UTC)
    report = RelayReport()
    claimed: list[tuple[Any, dict[str, Any], Envelope]] = []
    for owner_id, raw in store.pending_events(limit, now):
        if store.claim(owner_id, raw["event_id"], now, now + LEASE):
            claimed.append((owner_id, raw, Envelope.consume(raw["envelope"])))
        else:
            report.skipped += 1
    if not claimed:
        return report
    results = publish_many([envelope for _, _, envelope in claimed])
    for (owner_id, raw, envelope), error in zip(claimed, results, strict=True):
        if error is None:
            store.mark_published(owner_id, envelope.id)
            report.published += 1
            continue
        report.failed += 1
        if isinstance(error, BROKER_UNREACHABLE):  # not the entry's fault: pending, retried later
            store.release(owner_id, envelope.id)
            log.warning("outbox: broker unreachable (%s); %s stays pending", type(error).__name__, envelope.id)
            continue
        give_up = (raw.get("attempts") or 0) + 1 >= MAX_ATTEMPTS  # refused (unroutable, channel error...)
        store.mark_attempt_failed(owner_id, envelope.id, type(error).__name__, give_up)
        log.warning("outbox: publishing %s %s failed (%s)", envelope.event_name, envelope.id, type(error).__name__)
    return report
