"""Restore a referral handed over by another operator (reprise d'un ressort,
docs/handover.md), mixed into :class:`referral.service.ReferralService` in one line.

The referral part of a hand-over archive holds the referral as the outgoing operator
stored it (decrypted); it is written here as this service stores it, encrypted with this
platform's keys. No event is emitted: ``referral_received`` would start a new evaluation
for a measure that is restored as it stands. Orientations and follow-up contacts are not
in the part (evidence only in the archive)."""

from __future__ import annotations

import logging
from typing import Any

from referral import models
from referral.models import ReferralDocument
from referral.repository import to_view
from tgd_contracts.referral import ReferralView
from tgd_servicekit.consumers import rpc
from tgd_servicekit.handover_restore import RestoreConflict, RestoreRefused, outcome, records_of
from tgd_servicekit.requests import validated

log = logging.getLogger(__name__)
EXPECTED = (RestoreConflict, RestoreRefused)


class HandoverRestoreEntrypoints:
    @rpc(expected_exceptions=EXPECTED)
    def restore_handover(
        self, part: dict[str, Any], attribution_id: str | None = None, dry_run: bool = False
    ) -> dict[str, Any]:
        """Write the referral of a hand-over part once: ``restored``, or ``unchanged`` when
        the same one is here already (``dry_run``: checked, nothing written); another
        referral under this id is refused."""
        (record,) = records_of(part, "referral", "referral")
        referral = validated(ReferralView, record, RestoreRefused)
        doc = ReferralDocument.objects(referral_id=referral.id).first()
        if doc is not None and doc.anonymised_at is not None:
            raise RestoreConflict(f"referral {referral.id} was purged on this platform: not restored.")
        stored = to_view(doc).to_wire() if doc is not None else None
        found = outcome("referral", referral.id, stored, referral.to_wire())
        if found is not None or dry_run:
            return {"referral_id": referral.id, "outcome": found or "restored"}
        _document(referral, attribution_id).save(force_insert=True)
        log.info("referral %s restored from a hand-over", referral.id)
        return {"referral_id": referral.id, "outcome": "restored"}


def _document(referral: ReferralView, attribution_id: str | None) -> ReferralDocument:
    """As :func:`referral.repository.to_document` stores a submission, without its event;
    its idempotency key and fingerprint name the hand-over (no submission will replay them)."""
    wire = referral.to_wire()
    contact, referrer = wire.get("safe_contact"), wire.get("referrer_contact")
    return ReferralDocument(
        referral_id=referral.id,
        idempotency_key=f"handover:{referral.id}",
        fingerprint=f"handover:{referral.id}",
        status=wire["status"],
        received_at=referral.received_at,
        jurisdiction=referral.jurisdiction,
        urgency=wire["urgency"],
        referrer=models.ReferrerDocument(**wire["referrer"]),
        victim=models.VictimIdentityDocument(**wire["victim"]),
        facts=referral.facts,
        safe_contact=models.SafeContactDocument(**contact) if contact else None,
        referrer_contact=models.ReferrerContactDocument(**referrer) if referrer else None,
        attribution_id=attribution_id,
        outbox=[],
    )
