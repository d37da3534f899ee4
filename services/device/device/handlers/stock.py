"""The stock of terminals (parc de terminaux), mixed into :class:`device.service.DeviceService`:
registration, the stock of a jurisdiction, one terminal, and the recovery of a returned
one (restitution et réinitialisation) that puts it back in stock."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from device.domain import terminals
from device.exceptions import EXPECTED, DeviceAlreadyRegistered, DeviceNotFound, InvalidState, UnknownJurisdiction
from device.handlers import Handlers
from device.repository import DuplicateImei
from tgd_contracts.jurisdictions import JURISDICTIONS
from tgd_contracts.stock import DeviceRecovery, DeviceRegistration, DeviceState, StockPage
from tgd_servicekit.consumers import rpc
from tgd_servicekit.requests import check_id, parse

log = logging.getLogger(__name__)


class StockEntrypoints(Handlers):
    @rpc(expected_exceptions=EXPECTED)
    def add_device(self, registration: dict[str, Any]) -> dict[str, Any]:
        """A terminal enters the jurisdiction's stock; attributions waiting for one get it."""
        parsed = parse(DeviceRegistration, registration)
        if parsed.jurisdiction not in JURISDICTIONS:
            raise UnknownJurisdiction()
        try:
            view = self.store.add_device(uuid.uuid4().hex, parsed, self.now())
        except DuplicateImei:
            raise DeviceAlreadyRegistered() from None
        for attribution_id in self.store.waiting_for_stock(parsed.jurisdiction):
            self._change(attribution_id, lambda a: (a, []))
        return (self.store.get_device(view.device_id) or view).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def record_recovery(self, device_id: str, recovery: dict[str, Any]) -> dict[str, Any]:
        """Restitution et réinitialisation: a returned terminal (or a replaced one, found or
        repaired), physically collected and reset, goes back to stock; attributions waiting
        for one get it."""
        parsed = parse(DeviceRecovery, recovery)
        device = self.store.get_device(check_id(device_id))
        if device is None:
            raise DeviceNotFound()
        terminals.check_recovery(device.state, parsed, self.now())
        if not self.store.recover_device(device_id, parsed.collected_at, parsed.reset_at, device.state):
            raise InvalidState("The terminal changed meanwhile; retry.")
        log.info("device %s collected and reset: back in stock", device_id)
        for attribution_id in self.store.waiting_for_stock(device.jurisdiction):
            self._change(attribution_id, lambda a: (a, []))
        return (self.store.get_device(device_id) or device).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def list_stock(self, jurisdiction: str) -> dict[str, Any]:
        if not isinstance(jurisdiction, str) or jurisdiction not in JURISDICTIONS:
            raise UnknownJurisdiction()
        items = self.store.stock(jurisdiction)
        in_stock = sum(1 for d in items if d.state == DeviceState.IN_STOCK)
        to_collect = sum(1 for d in items if d.state == DeviceState.TO_COLLECT)
        return StockPage(jurisdiction=jurisdiction, items=items, in_stock=in_stock, to_collect=to_collect).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def get_device(self, device_id: str) -> dict[str, Any]:
        """One terminal (its jurisdiction tells the gateway who may act on it)."""
        device = self.store.get_device(check_id(device_id))
        if device is None:
            raise DeviceNotFound()
        return device.to_wire()
