"""What the device service shows (built in :mod:`device.read`), mixed into
:class:`device.service.DeviceService`: assignments, her dossier, a measure's evidence,
statistics."""

from __future__ import annotations

from typing import Any

from device import read
from device.exceptions import EXPECTED, AttributionNotFound, DeviceNotFound, UnknownJurisdiction
from device.handlers import Handlers
from tgd_contracts.jurisdictions import JURISDICTIONS
from tgd_contracts.statistics import DeviceFigures, StatisticsQuery
from tgd_contracts.statistics import anonymise as anonymised
from tgd_contracts.stock import AssignmentPage, AssignmentStatus
from tgd_servicekit.consumers import rpc
from tgd_servicekit.requests import check_id, found
from tgd_servicekit.statistics import StatisticsEntrypoints


class ReadEntrypoints(Handlers, StatisticsEntrypoints):
    anonymise = staticmethod(anonymised.devices)

    @rpc(expected_exceptions=EXPECTED)
    def get_assignment(self, attribution_id: str) -> dict[str, Any]:
        return read.view(found(self.store.load(check_id(attribution_id)), AttributionNotFound)[0]).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def list_assignments(self, jurisdiction: str, active_only: bool = True) -> dict[str, Any]:
        """The device side of a court's measures (next test call due), for the association's screen."""
        assignments = self.store.assignments_of(check_id(jurisdiction))
        if active_only:
            assignments = [a for a in assignments if a.status == AssignmentStatus.ACTIVE]
        items = [read.view(a) for a in assignments]
        return AssignmentPage(jurisdiction=jurisdiction, items=items).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def assignment_evidence(self, attribution_id: str) -> dict[str, Any]:
        """The device side of a measure's evidence (see :func:`device.read.evidence`)."""
        return found(read.evidence(self.store, check_id(attribution_id), self.now()), AttributionNotFound).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def get_dossier(self, device_id: str) -> dict[str, Any]:
        """The dossier of the beneficiary holding this device (for the alert service)."""
        return found(read.dossier(self.store.load_by_device(check_id(device_id))), DeviceNotFound).to_wire()

    def exact_figures(self, query: StatisticsQuery) -> DeviceFigures:
        """The stock of a known court now, its provisionings and returns in the period (the
        observatory's figures anonymise the period's only)."""
        if query.jurisdiction not in JURISDICTIONS:
            raise UnknownJurisdiction()
        j = query.jurisdiction
        return read.device_figures(query, self.store.device_states(j), self.store.assignments_of(j), self.now())
