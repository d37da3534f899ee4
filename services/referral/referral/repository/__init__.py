"""Referral documents <-> contract models, and the queries the service needs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mongoengine.errors import NotUniqueError

from referral.domain import ListFilter, Submitted
from referral.domain.retention import Basis
from referral.models import (
    FollowUpContactDocument,
    ReferralDocument,
    ReferrerContactDocument,
    ReferrerDocument,
    SafeContactDocument,
    VictimIdentityDocument,
)
from tgd_contracts.envelope import Envelope
from tgd_contracts.referral import ReferralPage, ReferralSummary, ReferralView
from tgd_servicekit.outbox import DocumentOutboxStore, outbox_entry

#: what anonymisation removes from a referral (referral.domain.retention): the identity,
#: the facts, the referrer's file number, the body's fingerprint, the safe contact, the
#: referrer's contact and the orientations; the routing facts stay for statistics
PURGED = ("victim", "facts", "fingerprint", "referrer__reference", "safe_contact", "referrer_contact", "orientations")


class DuplicateIdempotencyKey(Exception):
    pass


class Purged(Exception):
    """The referral's personal data was purged at the end of its retention."""


def to_document(
    referral: ReferralView, idempotency_key: str, fingerprint: str, event: Envelope, purge_due_at: datetime | None
) -> ReferralDocument:
    wire = referral.to_wire()
    return ReferralDocument(
        purge_due_at=purge_due_at,
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
        safe_contact=SafeContactDocument(**wire["safe_contact"]) if referral.safe_contact else None,
        referrer_contact=ReferrerContactDocument(**wire["referrer_contact"]) if referral.referrer_contact else None,
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
            "safe_contact": plain(doc.safe_contact) if doc.safe_contact else None,
            "referrer_contact": plain(doc.referrer_contact) if doc.referrer_contact else None,
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


class ReferralRepository(DocumentOutboxStore):
    """What the service's workers may do with the referral database."""

    outbox_document = ReferralDocument
    outbox_owner = "referral_id"

    def find_by_idempotency_key(self, key: str) -> tuple[ReferralView, str] | None:
        doc = ReferralDocument.objects(idempotency_key=key).first()
        if doc is not None and doc.anonymised_at is not None:
            raise Purged()
        return (to_view(doc), doc.fingerprint) if doc else None

    def add(
        self,
        referral: ReferralView,
        idempotency_key: str,
        fingerprint: str,
        event: Envelope,
        purge_due_at: datetime | None = None,
    ) -> None:
        """Store the referral and its ``referral_received`` event in one write."""
        try:
            to_document(referral, idempotency_key, fingerprint, event, purge_due_at).save(force_insert=True)
        except NotUniqueError as exc:
            raise DuplicateIdempotencyKey(idempotency_key) from exc

    def get(self, referral_id: str) -> ReferralView | None:
        doc = ReferralDocument.objects(referral_id=referral_id).first()
        if doc is not None and doc.anonymised_at is not None:
            raise Purged()
        return to_view(doc) if doc else None

    def evidence_of(self, referral_id: str) -> tuple[ReferralView, list[dict[str, Any]]] | None:
        """The referral and the envelopes of its events still retained."""
        doc = ReferralDocument.objects(referral_id=referral_id).first()
        if doc is not None and doc.anonymised_at is not None:
            raise Purged()
        return (to_view(doc), [dict(entry.envelope) for entry in doc.outbox]) if doc else None

    # -- retention (referral.domain.retention) ----------------------------------------------
    def basis(self, referral_id: str | None = None, attribution_id: str | None = None) -> tuple[str, Basis] | None:
        query = {"referral_id": referral_id} if referral_id else {"attribution_id": attribution_id}
        doc = ReferralDocument.objects(**query).only(
            "referral_id", "received_at", "attribution_id", "basis_ended_at", "anonymised_at"
        )
        found = doc.first()
        if found is None:
            return None
        return found.referral_id, Basis(
            received_at=as_utc(found.received_at),
            attribution_id=found.attribution_id,
            ended_at=as_utc(found.basis_ended_at) if found.basis_ended_at else None,
            anonymised=found.anonymised_at is not None,
        )

    def set_basis(self, referral_id: str, basis: Basis, purge_due_at: datetime | None) -> None:
        ReferralDocument.objects(referral_id=referral_id).update_one(
            set__attribution_id=basis.attribution_id, set__basis_ended_at=basis.ended_at, set__purge_due_at=purge_due_at
        )

    def due_for_purge(self, now: datetime, limit: int = 500) -> list[str]:
        docs = ReferralDocument.objects(purge_due_at__lte=now, anonymised_at=None).only("referral_id")
        return [doc.referral_id for doc in docs.limit(limit)]

    def anonymise(self, referral_id: str, now: datetime) -> bool:
        """Purge the identity, the facts, the referrer's file number and the body's
        fingerprint, the safe contact, the referrer's contact and the orientations, and the
        association's follow-up contacts; routing facts stay for statistics. A second call
        changes nothing."""
        FollowUpContactDocument.objects(referral_id=referral_id).delete()
        return bool(
            ReferralDocument.objects(referral_id=referral_id, anonymised_at=None).update_one(
                **{f"unset__{field}": True for field in PURGED},
                set__purge_due_at=None,
                set__anonymised_at=now,
            )
        )

    def ids_of(self, jurisdiction: str, referral_ids: list[str]) -> list[str]:
        """Those of ``referral_ids`` that are referrals of ``jurisdiction``, in the given order."""
        found = {
            d.referral_id
            for d in ReferralDocument.objects(referral_id__in=referral_ids, jurisdiction=jurisdiction).only(
                "referral_id"
            )
        }
        return [r for r in referral_ids if r in found]

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


class Submissions:
    """The referrals as an :class:`tgd_servicekit.aggregate.AggregateStore` keyed by
    idempotency key: a key holds one referral, written once with its event."""

    def __init__(self, referrals: ReferralRepository, purge_due_at: Any, purged: Any):
        self.referrals = referrals
        self.purge_due_at = purge_due_at  # received_at -> the purge date
        self.purged = purged  # the error of a key whose referral was purged
        self.written: dict[str, str] = {}  # idempotency key -> the referral id written under it

    def load(self, key: str) -> tuple[Submitted, str] | None:
        try:
            stored = self.referrals.find_by_idempotency_key(key)
        except Purged:
            raise self.purged() from None
        return (Submitted(*stored), "stored") if stored else None

    def save(self, key: str, held: Submitted, version: str | None, events: list[Envelope]) -> bool:
        """Only a new one (``version`` None) is written; False: the key was taken meanwhile."""
        if held.referral is None or version is not None:
            return False
        try:
            self.referrals.add(held.referral, key, held.fingerprint or "", events[0], self.purge_due_at(held.referral))
        except DuplicateIdempotencyKey:
            return False
        self.written[key] = held.referral.id
        return True

    def release(self, key: str, event_id: str) -> None:
        self.referrals.release(self.written[key], event_id)

    def mark_published(self, key: str, event_id: str) -> None:
        self.referrals.mark_published(self.written[key], event_id)
