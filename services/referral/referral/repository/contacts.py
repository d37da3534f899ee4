"""Follow-up contacts <-> documents (the referral service's database, its own collection).
Purged with the referral's personal data (``ReferralRepository.anonymise``)."""

from __future__ import annotations

from mongoengine.errors import NotUniqueError

from referral.models import FollowUpContactDocument
from tgd_contracts.follow_up import RecordedContact


def add(referral_id: str, contact: RecordedContact) -> None:
    """Record it once: the same contact id again (a retry) changes nothing."""
    try:
        FollowUpContactDocument(
            contact_id=contact.contact_id,
            referral_id=referral_id,
            on=contact.on.isoformat(),
            nature=contact.nature.value,
            by=contact.by,
            notes=contact.notes,
            recorded_at=contact.recorded_at,
        ).save(force_insert=True)
    except NotUniqueError:
        return


def of_referral(referral_id: str, limit: int = 500) -> list[RecordedContact]:
    docs = FollowUpContactDocument.objects(referral_id=referral_id).order_by("-on").limit(limit)
    return [
        RecordedContact(
            contact_id=d.contact_id, on=d.on, nature=d.nature, by=d.by, notes=d.notes, recorded_at=d.recorded_at
        )
        for d in docs
    ]


def latest_of(referral_ids: list[str]) -> dict[str, str]:
    """The last contact's date (ISO) of each referral that has one."""
    latest: dict[str, str] = {}
    for doc in FollowUpContactDocument.objects(referral_id__in=referral_ids).only("referral_id", "on"):
        latest[doc.referral_id] = max(latest.get(doc.referral_id, ""), doc.on)
    return latest
