"""Terminals as they are handled (rules in :mod:`device.domain.terminals` and
:mod:`device.domain.handling`), mixed into :class:`device.service.DeviceService`: transfer
between the courts of a department, retirement from stock, replacement of her lost or
broken terminal during the measure, and the hand-over of each terminal."""

from __future__ import annotations

import logging
from typing import Any

from device import domain, read
from device.domain import handling, terminals
from device.exceptions import (
    EXPECTED,
    AttributionNotFound,
    DeviceNotFound,
    InvalidState,
    OutOfStock,
    UnknownJurisdiction,
)
from device.handlers import Handlers
from tgd_contracts.handling import DeviceReplacement, DeviceRetirement, DeviceTransfer, HandOver
from tgd_contracts.jurisdictions import JURISDICTIONS
from tgd_servicekit.consumers import rpc
from tgd_servicekit.requests import check_id, parse

log = logging.getLogger(__name__)


class HandlingEntrypoints(Handlers):
    @rpc(expected_exceptions=EXPECTED)
    def transfer_device(self, device_id: str, transfer: dict[str, Any]) -> dict[str, Any]:
        """Transfert: a terminal in stock moves to another court of its department; an
        attribution waiting there for a terminal gets it at once."""
        parsed = parse(DeviceTransfer, transfer)
        device = self._device(device_id)
        terminals.check_transfer(device.state, device.jurisdiction, parsed.to_jurisdiction, JURISDICTIONS)
        if not self.store.transfer_device(device_id, device.jurisdiction, parsed.to_jurisdiction, self.now()):
            raise InvalidState("The terminal changed meanwhile; retry. Nothing was changed.")
        log.info("device %s transferred from %s to %s", device_id, device.jurisdiction, parsed.to_jurisdiction)
        for attribution_id in self.store.waiting_for_stock(parsed.to_jurisdiction):
            self._change(attribution_id, lambda a: (a, []))
        return self._device(device_id).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def retire_device(self, device_id: str, retirement: dict[str, Any]) -> dict[str, Any]:
        """Retrait du parc (mise au rebut, retour fournisseur): never a terminal in use."""
        parsed = parse(DeviceRetirement, retirement)
        device = self._device(device_id)
        terminals.check_retirement(device.state)
        if not self.store.retire_device(device_id, device.state, parsed.reason.value, self.now()):
            raise InvalidState("The terminal changed meanwhile; retry. Nothing was changed.")
        log.info("device %s retired (%s)", device_id, parsed.reason.value)
        return self._device(device_id).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def replace_device(self, attribution_id: str, replacement: dict[str, Any]) -> dict[str, Any]:
        """Remplacement of her lost or broken terminal by one of the court's stock, in one
        write with ``device_replaced``; out of stock: a reminder, and ``out_of_stock``."""
        parsed = parse(DeviceReplacement, replacement)
        a = self._assignment(attribution_id)
        previous = handling.check_replaceable(a)
        court = a.jurisdiction or ""  # checked: a measure in service has its court
        if court not in JURISDICTIONS:
            raise UnknownJurisdiction(f"The measure's court {court!r} is no longer in the courts file.")
        department = JURISDICTIONS[court].department
        taken = self.store.take_device(court, attribution_id)
        if taken is None:
            self._change(attribution_id, lambda x: handling.replacement_out_of_stock(x, self.now()))
            raise OutOfStock(
                f"No terminal in the stock of {court}: the parquet and the operator are reminded. "
                "Her terminal is unchanged; retry once a terminal is added or transferred."
            )
        try:
            changed = self._change(attribution_id, lambda x: handling.replace(x, taken, parsed, department, self.now()))
        except Exception:
            self.store.release_device(taken, attribution_id)
            raise
        state = terminals.OUT_OF_SERVICE[parsed.reason]
        self.store.put_out_of_service(previous, attribution_id, state, parsed.reason.value, self.now())
        log.info("attribution %s: terminal replaced (%s)", attribution_id, parsed.reason.value)
        return read.view(changed).to_wire()

    @rpc(expected_exceptions=EXPECTED)
    def record_hand_over(self, attribution_id: str, hand_over: dict[str, Any]) -> dict[str, Any]:
        """Remise du téléphone: when, where, who was present (roles)."""
        parsed = parse(HandOver, hand_over)
        self._assignment(attribution_id)
        changed = self._change(attribution_id, lambda a: (handling.record_hand_over(a, parsed, self.now()), []))
        return read.view(changed).to_wire()

    def _device(self, device_id: str) -> Any:
        device = self.store.get_device(check_id(device_id))
        if device is None:
            raise DeviceNotFound()
        return device

    def _assignment(self, attribution_id: str) -> domain.Assignment:
        loaded = self.store.load(check_id(attribution_id))
        if loaded is None:
            raise AttributionNotFound()
        return loaded[0]
