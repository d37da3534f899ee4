"""Measure documents <-> domain measures, optimistic concurrency, and the outbox."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from mongoengine.errors import NotUniqueError

from evaluation.domain import Measure
from evaluation.models import MeasureDocument
from tgd_contracts.envelope import Envelope
from tgd_servicekit.outbox import outbox_entry


class StaleMeasure(Exception):
    """Another worker changed the measure since it was read."""


class MeasureRepository:
    """What the service's workers may do with the evaluation database."""

    def create(self, measure: Measure) -> bool:
        """Insert a new measure; False when it exists already (a replayed event)."""
        try:
            MeasureDocument(
                referral_id=measure.referral_id,
                jurisdiction=measure.jurisdiction,
                status=measure.status.value,
                state=measure.model_dump(mode="json"),
            ).save(force_insert=True)
        except NotUniqueError:
            return False
        return True

    def load(self, referral_id: str) -> tuple[Measure, int] | None:
        doc = MeasureDocument.objects(referral_id=referral_id).first()
        return (Measure.model_validate(doc.state), doc.version) if doc else None

    def of_jurisdiction(self, jurisdiction: str) -> list[Measure]:
        """Every measure of a jurisdiction (for the observatory's aggregates; reports are not read)."""
        docs = MeasureDocument.objects(jurisdiction=jurisdiction).only("state")
        return [Measure.model_validate(doc.state) for doc in docs]

    def evidence_of(self, referral_id: str) -> tuple[dict[str, Any], list[Any], list[dict[str, Any]]] | None:
        """The measure as stored, the association's reports, and the envelopes still retained."""
        doc = MeasureDocument.objects(referral_id=referral_id).first()
        if doc is None:
            return None
        return dict(doc.state), list(doc.reports), [dict(entry.envelope) for entry in doc.outbox]

    def referral_of(self, attribution_id: str) -> str | None:
        doc = MeasureDocument.objects(attribution_id=attribution_id).only("referral_id").first()
        return doc.referral_id if doc else None

    def save(
        self,
        measure: Measure,
        version: int,
        events: list[Envelope],
        next_deadline: datetime | None,
        report: dict[str, Any] | None = None,
    ) -> None:
        """Write the new state and its events in one update, if nobody changed it meanwhile."""
        updates: dict[str, Any] = {
            "set__state": measure.model_dump(mode="json"),
            "set__status": measure.status.value,
            "set__attribution_id": measure.attribution_id,
            "set__ends_at": measure.ends_at,
            "set__next_deadline_at": next_deadline,
            "inc__version": 1,
        }
        if events:
            updates["push_all__outbox"] = [outbox_entry(e) for e in events]
        if report is not None:
            updates["push__reports"] = report
        if not MeasureDocument.objects(referral_id=measure.referral_id, version=version).update_one(**updates):
            raise StaleMeasure(measure.referral_id)

    def due(self, now: datetime, limit: int = 500) -> list[str]:
        """Measures with a deadline (reminder or expiry) reached, the oldest first."""
        docs = MeasureDocument.objects(next_deadline_at__lte=now).order_by("next_deadline_at").only("referral_id")
        return [doc.referral_id for doc in docs.limit(limit)]

    # -- outbox ---------------------------------------------------------------
    def pending_events(self, limit: int) -> Iterator[tuple[str, dict[str, Any]]]:
        docs = MeasureDocument.objects(outbox__match={"published": False, "failed": False}).only(
            "referral_id", "outbox"
        )
        for doc in docs.limit(limit):
            for entry in doc.outbox:
                if not entry.published and not entry.failed:
                    yield doc.referral_id, entry.to_mongo().to_dict()

    def mark_published(self, owner_id: str, event_id: str) -> None:
        MeasureDocument.objects(referral_id=owner_id, outbox__event_id=event_id).update_one(
            set__outbox__S__published=True
        )

    def mark_attempt_failed(self, owner_id: str, event_id: str, error: str, give_up: bool) -> None:
        MeasureDocument.objects(referral_id=owner_id, outbox__event_id=event_id).update_one(
            inc__outbox__S__attempts=1, set__outbox__S__last_error=error, set__outbox__S__failed=give_up
        )
