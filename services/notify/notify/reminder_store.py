"""Reminders in the notify service's own database, with their outbox. A reminder holds
ids and dates only (no personal data), so it is stored in clear."""

from __future__ import annotations

from typing import Any

from mongoengine import BooleanField, DateTimeField, DictField, Document, EmbeddedDocumentField, ListField, StringField
from mongoengine.errors import NotUniqueError

from notify.models import DB_ALIAS
from notify.reminders import Reminder
from tgd_contracts.envelope import Envelope
from tgd_servicekit.outbox import DocumentOutboxStore, OutboxEntry, outbox_entry


class ReminderDocument(Document):
    reminder_id = StringField(primary_key=True)
    jurisdiction = StringField(required=True)
    audience = StringField(required=True)
    acknowledged = BooleanField(default=False)
    raised_at = DateTimeField(required=True)
    state = DictField(required=True)
    outbox = ListField(EmbeddedDocumentField(OutboxEntry))

    meta = {  # noqa: RUF012
        "db_alias": DB_ALIAS,
        "collection": "reminders",
        "indexes": [("jurisdiction", "audience", "acknowledged", "-raised_at"), "outbox.published"],
    }


class ReminderRepository(DocumentOutboxStore):
    outbox_document = ReminderDocument
    outbox_owner = "reminder_id"

    def create(self, r: Reminder, envelope: Envelope) -> bool:
        """False when it exists (a replayed event)."""
        try:
            ReminderDocument(
                reminder_id=r.reminder_id,
                jurisdiction=r.jurisdiction,
                audience=r.audience.value,
                raised_at=r.raised_at,
                state=r.model_dump(mode="json"),
                outbox=[outbox_entry(envelope)],
            ).save(force_insert=True)
        except NotUniqueError:
            return False
        return True

    def load(self, reminder_id: str) -> Reminder | None:
        doc = ReminderDocument.objects(reminder_id=reminder_id).only("state").first()
        return Reminder.model_validate(doc.state) if doc else None

    def save_acknowledgement(self, r: Reminder) -> None:
        ReminderDocument.objects(reminder_id=r.reminder_id, acknowledged=False).update_one(
            set__acknowledged=True, set__state=r.model_dump(mode="json")
        )

    def of_jurisdiction(
        self, jurisdiction: str, audiences: list[str], pending_only: bool, limit: int = 200
    ) -> list[Reminder]:
        query: dict[str, Any] = {"jurisdiction": jurisdiction, "audience__in": audiences}
        if pending_only:
            query["acknowledged"] = False
        docs = ReminderDocument.objects(**query).order_by("-raised_at").only("state").limit(limit)
        return [Reminder.model_validate(d.state) for d in docs]
