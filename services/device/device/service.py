"""The device service (plateforme de téléassistance): the nameko service, composed of
its entrypoints (:mod:`device.handlers`); rules live in :mod:`device.domain`, views in
:mod:`device.read`, storage in :mod:`device.repository`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from device import models
from device.dependencies import policy_from_config
from device.handlers.assignments import AssignmentEntrypoints
from device.handlers.handling import HandlingEntrypoints
from device.handlers.handover_restore import HandoverRestoreEntrypoints
from device.handlers.moves import MoveEntrypoints
from device.handlers.reads import ReadEntrypoints
from device.handlers.stock import StockEntrypoints
from device.repository import DeviceRepository
from tgd_servicekit.mongo import MongoRepository
from tgd_servicekit.providers import FromConfig


class DeviceService(
    AssignmentEntrypoints,
    ReadEntrypoints,
    MoveEntrypoints,
    HandlingEntrypoints,
    StockEntrypoints,
    HandoverRestoreEntrypoints,
):
    name = "device"
    ENCRYPTED_DOCUMENTS = (models.AssignmentDocument,)  # module access: nameko inspects classes here

    store = MongoRepository(models.DB_ALIAS, DeviceRepository)
    policy = FromConfig(policy_from_config)

    def outboxes(self) -> Iterable[tuple[Any, Any]]:
        return [(self.store, self.events.publish_many)]
