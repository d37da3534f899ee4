"""The alert service's use cases, over the dependencies nameko injects in a worker:

- :mod:`.operations`: an alert raised or joined, any change stored with its messages
  (outbox) and published, the deadlines (failsafe, escalation), the outbox relay;
- :mod:`.commands`: the operator's and the partners' commands;
- :mod:`.retention`: the purge, the end of an attribution, the prosecutor's authorisation;
- :mod:`.read_model`: the device read model (device and notify events).

What is only read is in :mod:`alert.read`."""

from __future__ import annotations

import logging
from typing import Any

from alert.handlers.commands import AlertCommands
from alert.handlers.operations import AlertOperations
from alert.handlers.read_model import DeviceReadModel
from alert.read.queries import AlertQueries
from tgd_servicekit.alarms import DeadLetterAlarm

log = logging.getLogger(__name__)


class AlertHandlers:
    """One worker's use cases, built from the service's dependencies (``alerts``,
    ``events``, ``partners``, ``settings``, ``now``, ``spawn``, ``dossiers``)."""

    def __init__(self, service: Any):
        self.ops = AlertOperations(
            service.alerts,
            service.events,
            service.partners,
            service.settings,
            service.now,
            service.spawn,
            self._refresh_missing_dossier,
        )
        self.commands = AlertCommands(self.ops)
        self.devices = DeviceReadModel(service.alerts, self.ops, service.dossiers)
        self.queries = AlertQueries(service.alerts, service.settings, service.now)

    def _refresh_missing_dossier(self, device_id: str, attribution_id: str, alert_id: str) -> None:
        self.devices.refresh_missing_dossier(device_id, attribution_id, alert_id)


def report_dead_letter(alarm: DeadLetterAlarm) -> None:
    """A message of the alert path went to the dead letters: an alert may be waiting on
    it. Where and why only (never the content); ``tgd deadletters`` lists and replays it."""
    log.critical(
        "ALARM dead letter on the alert path: queue=%s reason=%s type=%s id=%s "
        "(list: tgd deadletters list; replay: tgd deadletters replay)",
        alarm.queue,
        alarm.reason,
        alarm.event_type,
        alarm.message_id,
    )


__all__ = ["AlertCommands", "AlertHandlers", "AlertOperations", "DeviceReadModel", "report_dead_letter"]
