"""Her move after provisioning (rules in :mod:`device.domain.moves`), mixed into
:class:`device.service.DeviceService`."""

from __future__ import annotations

from typing import Any

from device import domain, read
from device.domain import moves
from device.exceptions import EXPECTED, AttributionNotFound
from device.handlers import Handlers
from tgd_contracts.jurisdictions import JURISDICTIONS
from tgd_contracts.stock import HomeChange
from tgd_servicekit.consumers import rpc
from tgd_servicekit.requests import check_id, parse


class MoveEntrypoints(Handlers):
    @rpc(expected_exceptions=EXPECTED)
    def change_home(self, attribution_id: str, change: dict[str, Any]) -> dict[str, Any]:
        """Changement de domicile after provisioning; emits ``beneficiary_moved``."""
        parsed = parse(HomeChange, change)

        def move(a: domain.Assignment) -> tuple[domain.Assignment, list[domain.Event]]:
            court = JURISDICTIONS.get(a.jurisdiction or "")
            return moves.change_home(a, parsed, court.department if court else "", self.now())

        if self.store.load(check_id(attribution_id)) is None:
            raise AttributionNotFound()
        return read.view(self._change(attribution_id, move)).to_wire()
