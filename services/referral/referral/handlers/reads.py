"""What the referral service shows (built in :mod:`referral.read`), mixed into
:class:`referral.service.ReferralService`: a referral, its evidence part, a court's
referrals, statistics."""

from __future__ import annotations

from typing import Any

from referral import domain, read
from referral.exceptions import EXPECTED, UnknownJurisdiction
from referral.handlers import Handlers
from tgd_contracts.jurisdictions import is_known_jurisdiction
from tgd_contracts.referral import ReferralQuery
from tgd_contracts.statistics import ReferralFigures, StatisticsQuery
from tgd_contracts.statistics import anonymise as anonymised
from tgd_servicekit.consumers import rpc
from tgd_servicekit.requests import parse
from tgd_servicekit.statistics import StatisticsEntrypoints


class ReadEntrypoints(Handlers, StatisticsEntrypoints):
    anonymise = staticmethod(anonymised.referrals)

    @rpc(expected_exceptions=EXPECTED)
    def get_referral(self, referral_id: str) -> dict[str, Any]:
        return self._found(self.referrals.get, referral_id).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def referral_evidence(self, referral_id: str) -> dict[str, Any]:
        """The referral's part of a measure's evidence (le signalement, as received)."""
        referral, events = self._found(self.referrals.evidence_of, referral_id)
        return read.evidence(referral, events, self.now()).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def list_referrals(self, query: dict[str, Any]) -> dict[str, Any]:
        """Referrals of a jurisdiction, newest first; ``urgent=True`` is the on-call
        prosecutor's view (permanence du parquet)."""
        parsed = parse(ReferralQuery, query)
        return self.referrals.list(
            domain.list_filter(parsed.jurisdiction, parsed.urgent, parsed.limit, parsed.offset)
        ).to_wire()

    def exact_figures(self, query: StatisticsQuery) -> ReferralFigures:
        """The referrals a known court received in the period: counts only (the observatory's)."""
        if not is_known_jurisdiction(query.jurisdiction):
            raise UnknownJurisdiction()
        start, end = query.window()
        return read.referral_figures(query, self.referrals.received_between(query.jurisdiction, start, end))
