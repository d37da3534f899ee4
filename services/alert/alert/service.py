"""The alert service (régulation de l'appel): the nameko service, composed of its
entrypoints (:mod:`alert.handlers`); rules live in :mod:`alert.domain`, views in
:mod:`alert.read`, storage in :mod:`alert.repository`, wire details in
:mod:`alert.dependencies`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from alert import models
from alert.dependencies import DossierSource, PartnerPublisher, Settings, Spawner
from alert.handlers.alerts import AlertEntrypoints
from alert.handlers.commands import CommandEntrypoints
from alert.handlers.read_model import DeviceEntrypoints
from alert.handlers.reads import ReadEntrypoints
from alert.repository import AlertRepository
from tgd_servicekit.mongo import MongoRepository


class AlertService(AlertEntrypoints, CommandEntrypoints, ReadEntrypoints, DeviceEntrypoints):
    name = "alert"

    alerts = MongoRepository(models.DB_ALIAS, AlertRepository)
    partners = PartnerPublisher()
    dossiers = DossierSource()
    settings = Settings()
    spawn = Spawner()

    def outboxes(self) -> Iterable[tuple[Any, Any]]:
        """The alert outbox: ``alert.events`` with pipelined confirms, partner messages one by one."""
        return [self.ops.outbox()]
