"""The referral's orientations and contact details (orientation du signalement, contact
sûr, coordonnées du signalant), mixed into :class:`referral.service.ReferralService`.
Rules in :mod:`referral.domain.orientation`, storage in :mod:`referral.repository.details`. The contact
details are personal: never logged."""

from __future__ import annotations

import logging
from typing import Any

from referral.domain import orientation
from referral.exceptions import InvalidRequest, OrientationRecorded, ReferralNotFound
from referral.handlers import Handlers
from referral.repository import as_utc, details, to_view
from tgd_contracts.orientation import Orientation
from tgd_contracts.safe_contact import ContactDetails
from tgd_servicekit.consumers import rpc
from tgd_servicekit.requests import parse

log = logging.getLogger(__name__)
EXPECTED = (InvalidRequest, ReferralNotFound, OrientationRecorded)


def _document(referral_id: Any) -> Any:
    doc = details.load(referral_id) if isinstance(referral_id, str) else None
    if doc is None:
        raise ReferralNotFound()
    return doc


class OrientationEntrypoints(Handlers):
    @rpc(expected_exceptions=EXPECTED)
    def record_orientation(
        self, referral_id: str, orientation_id: str, recorded_as: str, entry: dict[str, Any]
    ) -> dict[str, Any]:
        """Une orientation (kind, date, who); ``orientation_id`` (from the caller's idempotency
        key) makes a retry record it once; ``recorded_as``: the caller's partner (gateway)."""
        if not isinstance(orientation_id, str) or not 8 <= len(orientation_id) <= 64:
            raise InvalidRequest("orientation_id is 8 to 64 characters.")
        audience = orientation.recorder(recorded_as)
        parsed = parse(Orientation, entry)
        doc = _document(referral_id)
        existing = details.orientations_of(doc)
        if any(o.orientation_id == orientation_id for o in existing):  # a retry: recorded already
            return orientation.view(doc.referral_id, doc.jurisdiction, existing).to_wire()
        now = self.now()
        orientation.check(parsed, as_utc(doc.received_at), now, existing)
        if not details.add_orientation(doc.referral_id, orientation.recorded(parsed, orientation_id, audience, now)):
            orientation.check(parsed, as_utc(doc.received_at), now, details.orientations_of(_document(referral_id)))
        log.info("referral %s: orientation %s recorded", doc.referral_id, parsed.kind.value)
        return self.orientations(referral_id)

    @rpc(expected_exceptions=EXPECTED)
    def orientations(self, referral_id: str) -> dict[str, Any]:
        """Ce qu'est devenu le signalement: its orientations, newest first."""
        doc = _document(referral_id)
        return orientation.view(doc.referral_id, doc.jurisdiction, details.orientations_of(doc)).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def set_contact_details(self, referral_id: str, contact_details: dict[str, Any]) -> dict[str, Any]:
        """Replace the safe contact and/or the referrer's contact; answers the referral."""
        parsed = parse(ContactDetails, contact_details)
        doc = _document(referral_id)
        details.set_contact_details(doc.referral_id, parsed)
        return to_view(_document(referral_id)).to_wire()
