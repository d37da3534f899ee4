"""A referral's orientations and contact details <-> its document (the referral service's
database). Purged with the referral's personal data (``ReferralRepository.anonymise``)."""

from __future__ import annotations

from referral.models import OrientationDocument, ReferralDocument, ReferrerContactDocument, SafeContactDocument
from referral.repository import as_utc
from tgd_contracts.orientation import RecordedOrientation
from tgd_contracts.safe_contact import ContactDetails


def orientations_of(doc: ReferralDocument) -> list[RecordedOrientation]:
    return [
        RecordedOrientation(
            orientation_id=o.orientation_id, kind=o.kind, on=o.on, recorded_by=o.recorded_by,
            recorded_as=o.recorded_as, recorded_at=as_utc(o.recorded_at),
        )
        for o in doc.orientations or []
    ]  # fmt: skip


def add_orientation(referral_id: str, orientation: RecordedOrientation) -> bool:
    """Record it once: False when an orientation with this id (a retry), or of this kind on
    this date (a concurrent entry), is already there; the check and the write are one update."""
    document = OrientationDocument(
        orientation_id=orientation.orientation_id,
        kind=orientation.kind.value,
        on=orientation.on.isoformat(),
        recorded_by=orientation.recorded_by,
        recorded_as=orientation.recorded_as.value,
        recorded_at=orientation.recorded_at,
    )
    return bool(
        ReferralDocument.objects(
            referral_id=referral_id,
            anonymised_at=None,
            orientations__orientation_id__ne=orientation.orientation_id,
            orientations__not__match={"kind": document.kind, "on": document.on},
        ).update_one(push__orientations=document)
    )


def set_contact_details(referral_id: str, details: ContactDetails) -> None:
    """Replace the contacts given; one left out is kept as it was."""
    updates = {}
    if details.safe_contact is not None:
        updates["set__safe_contact"] = SafeContactDocument(**details.safe_contact.model_dump())
    if details.referrer_contact is not None:
        updates["set__referrer_contact"] = ReferrerContactDocument(**details.referrer_contact.model_dump())
    ReferralDocument.objects(referral_id=referral_id, anonymised_at=None).update_one(**updates)


def load(referral_id: str) -> ReferralDocument | None:
    """The referral's document, or None when missing or purged (anonymised)."""
    return ReferralDocument.objects(referral_id=referral_id, anonymised_at=None).first()
