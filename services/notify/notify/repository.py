"""Information and reminder documents <-> domain objects, optimistic concurrency, and
their outboxes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from mongoengine.errors import NotUniqueError

from notify.domain import Information
from notify.domain.reminders import Reminder
from notify.models import InformationDocument, ReminderDocument
from tgd_contracts.envelope import Envelope
from tgd_servicekit.claims import claim_due, release_claim
from tgd_servicekit.documents import load_state, stored_evidence
from tgd_servicekit.outbox import DocumentOutboxStore, outbox_entry

#: a scan finding a document another instance holds leaves it; a dead holder delays it this long
DEADLINE_CLAIM = timedelta(seconds=30)


class StaleInformation(Exception):
    """Another worker changed it since it was read (or created it first)."""


class InformationRepository(DocumentOutboxStore):
    outbox_document = InformationDocument
    outbox_owner = "attribution_id"

    def create(
        self, info: Information, envelopes: list[Envelope], now: datetime, next_deadline: datetime | None
    ) -> bool:
        """Insert with its outgoing messages; False if it exists already (a replayed event)."""
        try:
            InformationDocument(
                attribution_id=info.attribution_id,
                status=info.status,
                notice_ids=[n.notice_id for n in info.notices],
                created_at=now,
                next_deadline_at=next_deadline,
                state=info.model_dump(mode="json"),
                outbox=[outbox_entry(e) for e in envelopes],
            ).save(force_insert=True)
        except NotUniqueError:
            return False
        return True

    def exists(self, attribution_id: str) -> bool:
        return InformationDocument.objects(attribution_id=attribution_id).count() > 0

    def load(self, attribution_id: str) -> tuple[Information, int] | None:
        return load_state(InformationDocument, Information, attribution_id=attribution_id)

    def evidence_of(self, attribution_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
        """The information as stored (notices, acknowledgements, SIP registration) and its envelopes."""
        return stored_evidence(InformationDocument, attribution_id=attribution_id)

    def attribution_of_notice(self, notice_id: str) -> str | None:
        doc = InformationDocument.objects(notice_ids=notice_id).only("attribution_id").first()
        return doc.attribution_id if doc else None

    def save(self, info: Information, version: int, envelopes: list[Envelope], next_deadline: datetime | None) -> None:
        updates: dict[str, Any] = {
            "set__status": info.status,
            "set__notice_ids": [n.notice_id for n in info.notices],  # a move or the end adds notices
            "set__next_deadline_at": next_deadline,
            "set__deadline_claim_until": None,  # the deadline handled (or moved): its claim ends
            "set__state": info.model_dump(mode="json"),
            "inc__version": 1,
        }
        if envelopes:
            updates["push_all__outbox"] = [outbox_entry(e) for e in envelopes]
        if not InformationDocument.objects(attribution_id=info.attribution_id, version=version).update_one(**updates):
            raise StaleInformation(info.attribution_id)

    def due(self, now: datetime, limit: int = 500) -> list[str]:
        """Notices to re-send or escalate, the oldest deadline first, each claimed by this
        instance (another instance scanning at the same time leaves it alone)."""
        return claim_due(InformationDocument, now, DEADLINE_CLAIM, limit)

    def release_due(self, key: str, now: datetime) -> None:
        """The claim :meth:`due` took at ``now``, given back when the handling stored nothing."""
        release_claim(InformationDocument, key, now, DEADLINE_CLAIM)


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
