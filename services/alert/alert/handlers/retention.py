"""The alert service's retention use cases (arrêté du 22 avril 2015): the periodic purge,
the end of an attribution and the prosecutor's authorisation, each change applied to
its alert with :meth:`alert.handlers.operations.AlertOperations.mutate` (rules in
:mod:`alert.domain.retention`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from alert.dependencies.settings import AlertSettings
from alert.domain import retention, routing
from alert.domain.model import Alert
from tgd_contracts.retention import PositionRetentionAuthorisation

log = logging.getLogger(__name__)


class RetentionOperations:
    """Mixed into :class:`alert.handlers.operations.AlertOperations`."""

    repo: Any
    settings: AlertSettings
    now: Callable[[], datetime]
    mutate: Callable[..., Alert]

    def run_retention(self) -> retention.RetentionRun:
        """Purge what is past its retention (see :mod:`alert.domain.retention`); logs counts only."""
        now = self.now()
        run = retention.RetentionRun()
        for alert_id in self.repo.due_for_purge(now, self.settings.record_retention):
            try:
                purged = self._purge_one(alert_id)
            except Exception:  # one alert must not hold back the others' purge
                log.exception("retention of alert %s failed; retried at the next run", alert_id)
                continue
            if purged.copies or purged.anonymised:
                self.repo.drop_published_messages(alert_id)
            run.add(purged)
        run.devices_wiped = self.repo.wipe_returned_devices(now)
        log.info("retention run: %s", run.summary())
        return run

    def _purge_one(self, alert_id: str) -> retention.Purged:
        outcome: list[retention.Purged] = [retention.Purged()]

        def rule(a: Alert, at: datetime) -> list[routing.Outgoing]:
            outcome[0] = retention.purge(a, at, self.settings.record_retention)  # the last attempt's counts
            return []

        self.mutate(alert_id, "alert.domain.retention", rule)
        return outcome[0]

    def device_returned(self, device_id: str, attribution_id: str, returned_at: datetime, wipe: bool = True) -> int:
        """The attribution ended: its alerts' records start their retention; the device's
        facts are wiped at most 3 days later (``wipe`` False: they are another attribution's now)."""
        if wipe:
            self.repo.schedule_device_wipe(device_id, returned_at + retention.DEVICE_WIPE_DELAY)
        marked = 0
        for alert_id in self.repo.alerts_of_device(device_id):
            found = self.repo.get(alert_id)
            if found is None or found[0].device.attribution_id != attribution_id or found[0].basis_ended_at:
                continue
            self.mutate(alert_id, "alert.basis_ended", lambda a, now: _no_messages(retention.end_basis(a, returned_at)))
            marked += 1
        return marked

    def authorise_positions(self, alert_id: str, grant: PositionRetentionAuthorisation) -> Alert:
        """Autorisation du procureur: the positions are kept 8 days instead of 3."""
        return self.mutate(
            alert_id,
            "alert.position_retention",
            lambda a, now: _no_messages(retention.authorise_positions(a, grant, now)),
        )


def _no_messages(_: Any) -> list[routing.Outgoing]:
    return []
