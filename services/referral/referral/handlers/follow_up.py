"""The association's follow-up of a beneficiary (rules in :mod:`referral.domain.follow_up`),
mixed into :class:`referral.service.ReferralService`: contacts recorded once, the next
one due."""

from __future__ import annotations

from typing import Any

from referral.domain import follow_up
from referral.exceptions import EXPECTED, InvalidRequest
from referral.handlers import Handlers
from referral.repository import contacts
from tgd_contracts.follow_up import FollowUpContact
from tgd_servicekit.consumers import rpc
from tgd_servicekit.requests import parse


class FollowUpEntrypoints(Handlers):
    @rpc(expected_exceptions=EXPECTED)
    def record_contact(self, referral_id: str, contact_id: str, contact: dict[str, Any]) -> dict[str, Any]:
        """Un contact de suivi de l'association (date, nature, notes); ``contact_id`` (from the
        caller's idempotency key) makes a retry record it once."""
        if not isinstance(contact_id, str) or not 8 <= len(contact_id) <= 64:
            raise InvalidRequest("contact_id is 8 to 64 characters.")
        parsed = follow_up.check_contact(parse(FollowUpContact, contact), self.now().date())
        referral = self._found(self.referrals.get, referral_id)
        contacts.add(referral.id, follow_up.recorded(parsed, contact_id, self.now()))
        return self.follow_up(referral_id)

    @rpc(expected_exceptions=EXPECTED)
    def follow_up(self, referral_id: str) -> dict[str, Any]:
        """Le suivi de la bénéficiaire: contacts, newest first, and the next one due."""
        referral = self._found(self.referrals.get, referral_id)
        return follow_up.view(referral.id, referral.jurisdiction, contacts.of_referral(referral.id)).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def follow_ups(self, jurisdiction: str, referral_ids: list[str]) -> dict[str, Any]:
        """Le suivi of several beneficiaries of a court (the association's screen): the last
        contact and the next one due; referrals of another court are left out."""
        if not isinstance(referral_ids, list) or len(referral_ids) > 500:
            raise InvalidRequest("referral_ids is a list of at most 500 ids.")
        ids = [r for r in referral_ids if isinstance(r, str)]
        mine = self.referrals.ids_of(jurisdiction, ids)
        return follow_up.page(jurisdiction, mine, contacts.latest_of(mine)).to_wire()
