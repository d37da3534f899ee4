"""What the notify service shows (built in :mod:`notify.read`), mixed into
:class:`notify.service.NotifyService`: one notice, the referents' directory, the
information of an attribution and its evidence part."""

from __future__ import annotations

from typing import Any

from notify import read
from notify.domain.directory import referents as directory_referents
from notify.exceptions import EXPECTED, AttributionNotFound, NoticeNotFound, UnknownJurisdiction
from notify.handlers import Handlers
from tgd_contracts.jurisdictions import JURISDICTIONS
from tgd_servicekit.consumers import rpc
from tgd_servicekit.requests import check_id, found


class ReadEntrypoints(Handlers):
    @rpc(expected_exceptions=EXPECTED)
    def get_notice(self, notice_id: str) -> dict[str, Any]:
        """One notice: its unit, department and audience tell the gateway who may acknowledge it."""
        attribution_id = self.informations.attribution_of_notice(check_id(notice_id))
        loaded = self.informations.load(attribution_id) if attribution_id else None
        return found(read.notice(loaded[0] if loaded else None, notice_id), NoticeNotFound).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def referents(self, jurisdiction: str) -> dict[str, Any]:
        """Annuaire des référents of the department of a court (seed 001, action 8)."""
        court = JURISDICTIONS.get(jurisdiction) if isinstance(jurisdiction, str) else None
        if court is None:
            raise UnknownJurisdiction()
        return directory_referents(self.directory, court.department).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def get_information(self, attribution_id: str) -> dict[str, Any]:
        return read.view(found(self.informations.load(check_id(attribution_id)), AttributionNotFound)[0]).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def information_evidence(self, attribution_id: str) -> dict[str, Any]:
        """The notify side of a measure's evidence: the notices to the forces, their
        re-sends, escalations and acknowledgements, and the events still retained."""
        state, events = found(self.informations.evidence_of(check_id(attribution_id)), AttributionNotFound)
        return read.evidence(attribution_id, state, events, self.now()).to_wire()
