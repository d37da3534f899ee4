"""The alert service (régulation de l'appel): the nameko service, composed of its
entrypoints (:mod:`alert.handlers`); rules live in :mod:`alert.domain`, views in
:mod:`alert.read`, storage in :mod:`alert.repository`, wire details in
:mod:`alert.dependencies`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from alert.dependencies import DossierSource, PartnerPublisher, Settings, Spawner, alert_database
from alert.handlers.alerts import AlertEntrypoints
from alert.handlers.commands import CommandEntrypoints
from alert.handlers.read_model import DeviceEntrypoints
from alert.handlers.reads import ReadEntrypoints
from tgd_servicekit.dispatch import EnvelopeDispatcher
from tgd_servicekit.timers import Clock, OutboxRelay


class AlertService(AlertEntrypoints, CommandEntrypoints, ReadEntrypoints, DeviceEntrypoints, OutboxRelay):
    name = "alert"

    alerts = alert_database()
    events = EnvelopeDispatcher()
    partners = PartnerPublisher()
    dossiers = DossierSource()
    settings = Settings()
    now = Clock()
    spawn = Spawner()

    def outboxes(self) -> Iterable[tuple[Any, Any]]:
        """The alert outbox: ``alert.events`` with pipelined confirms, partner messages one by one."""
        return [self.ops.outbox()]
