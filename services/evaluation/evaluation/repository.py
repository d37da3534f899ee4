"""Measure documents <-> domain measures, optimistic concurrency, and the outbox."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from mongoengine.errors import NotUniqueError

from evaluation.domain import Measure
from evaluation.models import MeasureDocument
from tgd_contracts.envelope import Envelope
from tgd_servicekit.claims import claim_due, release_claim
from tgd_servicekit.documents import load_state, retained_envelopes
from tgd_servicekit.outbox import DocumentOutboxStore, outbox_entry

#: a scan finding a document another instance holds leaves it; a dead holder delays it this long
DEADLINE_CLAIM = timedelta(seconds=30)


class StaleMeasure(Exception):
    """Another worker changed the measure since it was read."""


class MeasureRepository(DocumentOutboxStore):
    """What the service's workers may do with the evaluation database."""

    outbox_document = MeasureDocument
    outbox_owner = "referral_id"

    def create(self, measure: Measure, purge_due_at: datetime | None = None) -> bool:
        """Insert a new measure; False when it exists already (a replayed event)."""
        try:
            MeasureDocument(
                purge_due_at=purge_due_at,
                referral_id=measure.referral_id,
                jurisdiction=measure.jurisdiction,
                status=measure.status.value,
                state=measure.model_dump(mode="json"),
            ).save(force_insert=True)
        except NotUniqueError:
            return False
        return True

    def load(self, referral_id: str) -> tuple[Measure, int] | None:
        return load_state(MeasureDocument, Measure, referral_id=referral_id)

    def of_jurisdiction(self, jurisdiction: str) -> list[Measure]:
        """Every measure of a jurisdiction (for the observatory's aggregates; reports are not read)."""
        docs = MeasureDocument.objects(jurisdiction=jurisdiction).only("state")
        return [Measure.model_validate(doc.state) for doc in docs]

    def load_with_reports(self, referral_id: str) -> tuple[Measure, list[dict[str, Any]]] | None:
        doc = MeasureDocument.objects(referral_id=referral_id).first()
        return (Measure.model_validate(doc.state), [dict(r) for r in doc.reports]) if doc else None

    def evidence_of(self, referral_id: str) -> tuple[dict[str, Any], list[Any], list[dict[str, Any]]] | None:
        """The measure as stored, the association's reports, and the envelopes still retained."""
        doc = MeasureDocument.objects(referral_id=referral_id).first()
        if doc is None:
            return None
        return dict(doc.state), list(doc.reports), retained_envelopes(doc)

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
        purge_due_at: datetime | None = None,
    ) -> None:
        """Write the new state and its events in one update, if nobody changed it meanwhile."""
        updates: dict[str, Any] = {
            "set__purge_due_at": purge_due_at,
            "set__state": measure.model_dump(mode="json"),
            "set__status": measure.status.value,
            "set__attribution_id": measure.attribution_id,
            "set__ends_at": measure.ends_at,
            "set__next_deadline_at": next_deadline,
            "set__deadline_claim_until": None,  # the deadline handled (or moved): its claim ends
            "inc__version": 1,
        }
        if events:
            updates["push_all__outbox"] = [outbox_entry(e) for e in events]
        if report is not None:
            updates["push__reports"] = report
        if not MeasureDocument.objects(referral_id=measure.referral_id, version=version).update_one(**updates):
            raise StaleMeasure(measure.referral_id)

    def due(self, now: datetime, limit: int = 500) -> list[str]:
        """Measures with a deadline (reminder or expiry) reached, the oldest first, each
        claimed by this instance (another instance scanning too leaves it alone)."""
        return claim_due(MeasureDocument, now, DEADLINE_CLAIM, limit)

    def release_due(self, key: str, now: datetime) -> None:
        """The claim :meth:`due` took at ``now``, given back when the handling stored nothing."""
        release_claim(MeasureDocument, key, now, DEADLINE_CLAIM)

    # -- retention (evaluation.domain.retention) ------------------------------------------
    def due_for_purge(self, now: datetime, limit: int = 500) -> list[str]:
        docs = MeasureDocument.objects(purge_due_at__lte=now).order_by("purge_due_at").only("referral_id")
        return [doc.referral_id for doc in docs.limit(limit)]

    def anonymise(self, measure: Measure, version: int) -> None:
        """Store the anonymised measure and delete its reports, if nobody changed it meanwhile."""
        if not MeasureDocument.objects(referral_id=measure.referral_id, version=version).update_one(
            set__state=measure.model_dump(mode="json"), set__reports=[], set__purge_due_at=None, inc__version=1
        ):
            raise StaleMeasure(measure.referral_id)
