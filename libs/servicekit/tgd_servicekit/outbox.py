"""The transactional outbox: an event is stored in the same document write as the
state change it reports, then published with confirms and marked published.

A service document embeds ``outbox = ListField(EmbeddedDocumentField(OutboxEntry))``.
:func:`relay` publishes whatever is still pending (after a crash, a broker outage or a
failed publish); an entry that fails ``MAX_ATTEMPTS`` times is marked ``failed`` and
stays visible (``failed_entries``), never dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol

from amqp.exceptions import ConnectionError as AmqpConnectionError
from kombu.exceptions import OperationalError
from mongoengine import BooleanField, DateTimeField, DictField, EmbeddedDocument, IntField, StringField

from tgd_contracts.envelope import Envelope
from tgd_servicekit.metrics import track_outbox

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 20
BROKER_UNREACHABLE = (OSError, OperationalError, AmqpConnectionError)


class OutboxEntry(EmbeddedDocument):
    event_id = StringField(required=True)
    envelope = DictField(required=True)
    published = BooleanField(default=False)
    failed = BooleanField(default=False)
    attempts = IntField(default=0)
    last_error = StringField()
    created_at = DateTimeField(required=True)


def outbox_entry(envelope: Envelope) -> OutboxEntry:
    return OutboxEntry(event_id=envelope.id, envelope=envelope.model_dump(mode="json"), created_at=datetime.now(UTC))


class OutboxStore(Protocol):
    def pending_events(self, limit: int) -> Iterable[tuple[Any, dict[str, Any]]]: ...
    def mark_published(self, owner_id: Any, event_id: str) -> None: ...
    def mark_attempt_failed(self, owner_id: Any, event_id: str, error: str, give_up: bool) -> None: ...


class DocumentOutboxStore:
    """:class:`OutboxStore` over a mongoengine document that embeds ``outbox``: a
    repository names the document (``outbox_document``) and its id field
    (``outbox_owner``) and gets the three methods the relay needs."""

    outbox_document: ClassVar[Any]
    outbox_owner: ClassVar[str]

    def pending_events(self, limit: int) -> Iterator[tuple[Any, dict[str, Any]]]:
        docs = self.outbox_document.objects(outbox__match={"published": False, "failed": False})
        for doc in docs.only(self.outbox_owner, "outbox").limit(limit):
            for entry in doc.outbox:
                if not entry.published and not entry.failed:
                    yield getattr(doc, self.outbox_owner), entry.to_mongo().to_dict()

    def _entry(self, owner_id: Any, event_id: str) -> Any:
        return self.outbox_document.objects(**{self.outbox_owner: owner_id, "outbox__event_id": event_id})

    def mark_published(self, owner_id: Any, event_id: str) -> None:
        self._entry(owner_id, event_id).update_one(set__outbox__S__published=True)

    def mark_attempt_failed(self, owner_id: Any, event_id: str, error: str, give_up: bool) -> None:
        self._entry(owner_id, event_id).update_one(
            inc__outbox__S__attempts=1, set__outbox__S__last_error=error, set__outbox__S__failed=give_up
        )


@dataclass
class RelayReport:
    published: int = 0
    failed: int = 0


def relay(store: OutboxStore, publish: Callable[[Envelope], None], limit: int = 200) -> RelayReport:
    """Publish pending entries in order; mark each one only after the broker confirmed it."""
    track_outbox(store)  # its backlog on /metrics
    report = RelayReport()
    for owner_id, raw in store.pending_events(limit):
        envelope = Envelope.consume(raw["envelope"])
        try:
            publish(envelope)
        except BROKER_UNREACHABLE as exc:
            # Not the entry's fault: stop this pass, keep everything pending, retry later.
            log.warning("outbox: broker unreachable (%s); %s stays pending", type(exc).__name__, envelope.id)
            report.failed += 1
            break
        except Exception as exc:  # refused by the broker (unroutable, channel error...)
            give_up = raw.get("attempts", 0) + 1 >= MAX_ATTEMPTS
            store.mark_attempt_failed(owner_id, envelope.id, type(exc).__name__, give_up)
            report.failed += 1
            log.warning("outbox: publishing %s %s failed (%s)", envelope.event_name, envelope.id, type(exc).__name__)
            continue
        store.mark_published(owner_id, envelope.id)
        report.published += 1
    return report
