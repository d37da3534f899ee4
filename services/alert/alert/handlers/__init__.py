"""The alert service's use cases, as nameko entrypoint mixins grouped by subject
(:mod:`.alerts`: presses, positions, deadlines, retention; :mod:`.commands`: the
operator's and the partners' commands; :mod:`.reads`; :mod:`.read_model`: the device
read model), over :mod:`.operations`: every change to an alert goes through
:meth:`~alert.handlers.operations.AlertOperations.mutate` (the aggregate algorithm of
:mod:`tgd_servicekit.aggregate`); :mod:`.retention` holds the purge's use cases."""

from __future__ import annotations

from typing import Any

from alert.handlers.operations import AlertOperations
from tgd_servicekit.service import ServiceShell


class Handlers(ServiceShell):
    """What every entrypoint mixin of the service uses: its dependencies (declared by
    :class:`alert.service.AlertService`) and :attr:`ops`."""

    alerts: Any
    partners: Any
    dossiers: Any
    settings: Any
    spawn: Any
    refresh_missing_dossier: Any  # alert.handlers.read_model

    @property
    def ops(self) -> AlertOperations:
        return AlertOperations(
            self.alerts, self.events, self.partners, self.settings, self.now, self.spawn, self.refresh_missing_dossier
        )
