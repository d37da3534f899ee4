"""Referral documents <-> contract models, and the queries the service needs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from mongoengine.errors import NotUniqueError

from referral.domain import ListFilter
from referral.models import ReferralDocument, ReferrerDocument, VictimIdentityDocument
from tgd_contracts.envelope import Envelope
from tgd_contracts.referral import ReferralPage, ReferralSummary, ReferralView
from tgd_servicekit.outbox import outbox_entry


class DuplicateIdempotencyKey(Exception):
    pass


def to_document(referral: ReferralView, idempotency_key: str, fingerprint: str, event: Envelope) -> ReferralDocument:
    wire = referral.to_wire()
    return ReferralDocument(
        referral_id=referral.id,
        idempotency_key=idempotency_key,
        fingerprint=fingerprint,
        status=wire["status"],
        received_at=referral.received_at,
        jurisdiction=referral.jurisdiction,
        urgency=wire["urgency"],
        referrer=ReferrerDocument(**wire["referrer"]),
        victim=VictimIdentityDocument(**wire["victim"]),
        facts=referral.facts,
        outbox=[outbox_entry(event)],
    )


def as_utc(value: datetime) -> datetime:
    """Stored datetimes are UTC; some drivers hand them back naive."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def plain(embedded: Any) -> dict[str, Any]:
    """An embedded document's decrypted values (``to_mongo`` would give ciphertexts)."""
    return {name: getattr(embedded, name) for name in embedded._fields if getattr(embedded, name) is not None}


def to_view(doc: ReferralDocument) -> ReferralView:
    return ReferralView.consume(
        {
            "id": doc.referral_id,
            "status": doc.status,
            "received_at": as_utc(doc.received_at),
            "referrer": plain(doc.referrer),
            "victim": plain(doc.victim),
            "facts": doc.facts,
            "urgency": doc.urgency,
            "jurisdiction": doc.jurisdiction,
        }
    )


def to_summary(doc: ReferralDocument) -> ReferralSummary:
    return ReferralSummary(
        id=doc.referral_id,
        status=doc.status,
        received_at=as_utc(doc.received_at),
        urgency=doc.urgency,
        jurisdiction=doc.jurisdiction,
        referrer_kind=doc.referrer.kind,
    )


class ReferralRepository:
    """What the service's workers may do with the referral database."""

    def find_by_idempotency_key(self, key: str) -> tuple[ReferralView, str] | None:
        doc = ReferralDocument.objects(idempotency_key=key).first()
        return (to_view(doc), doc.fingerprint) if doc else None

    def add(self, referral: ReferralView, idempotency_key: str, fingerprint: str, event: Envelope) -> None:
        """Store the referral and its ``referral_received`` event in one write."""
        try:
            to_document(referral, idempotency_key, fingerprint, event).save(force_insert=True)
        except NotUniqueError as exc:
            raise DuplicateIdempotencyKey(idempotency_key) from exc

    def get(self, referral_id: str) -> ReferralView | None:
        doc = ReferralDocument.objects(referral_id=referral_id).first()
        return to_view(doc) if doc else None

    def evidence_of(self, referral_id: str) -> tuple[ReferralView, list[dict[str, Any]]] | None:
        """The referral and the envelopes of its events still retained."""
        doc = ReferralDocument.objects(referral_id=referral_id).first()
        return (to_view(doc), [dict(entry.envelope) for entry in doc.outbox]) if doc else None

    def list(self, query: ListFilter) -> ReferralPage:
        filters: dict[str, Any] = {"jurisdiction": query.jurisdiction}
        if query.urgency is not None:
            filters["urgency"] = query.urgency.value
        found = ReferralDocument.objects(**filters).order_by("-received_at")
        items = [to_summary(doc) for doc in found.skip(query.offset).limit(query.limit)]
        return ReferralPage(items=items, total=found.count(), limit=query.limit, offset=query.offset)

    def received_between(self, jurisdiction: str, start: datetime, end: datetime) -> list[ReferralSummary]:
        """Routing facts of the referrals received in ``[start, end)`` (no identity is read)."""
        found = ReferralDocument.objects(jurisdiction=jurisdiction, received_at__gte=start, received_at__lt=end)
        fields = ("referral_id", "status", "received_at", "urgency", "jurisdiction", "referrer")
        return [to_summary(doc) for doc in found.only(*fields)]

    # -- outbox ---------------------------------------------------------------
    def pending_events(self, limit: int) -> Iterator[tuple[str, dict[str, Any]]]:
        docs = ReferralDocument.objects(outbox__match={"published": False, "failed": False}).only(
            "referral_id", "outbox"
        )
        for doc in docs.limit(limit):
            for entry in doc.outbox:
                if not entry.published and not entry.failed:
                    yield doc.referral_id, entry.to_mongo().to_dict()

    def mark_published(self, owner_id: str, event_id: str) -> None:
        ReferralDocument.objects(referral_id=owner_id, outbox__event_id=event_id).update_one(
            set__outbox__S__published=True
        )

    def mark_attempt_failed(self, owner_id: str, event_id: str, error: str, give_up: bool) -> None:
        ReferralDocument.objects(referral_id=owner_id, outbox__event_id=event_id).update_one(
            inc__outbox__S__attempts=1, set__outbox__S__last_error=error, set__outbox__S__failed=give_up
        )
