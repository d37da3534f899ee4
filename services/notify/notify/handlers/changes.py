"""After the notices of an attribution: her move and her new terminal (rules in
:mod:`notify.domain.changes`), mixed into :class:`notify.service.NotifyService`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from notify import domain
from notify.domain import changes
from notify.exceptions import InvalidState
from notify.handlers import Handlers, new_id
from tgd_contracts.dossier import Dossier
from tgd_contracts.events import EventName, ServiceName
from tgd_servicekit.handlers import ReceivedEvent, envelope_handler

log = logging.getLogger(__name__)
#: a change to the informed units: (information, her dossier, now) -> (information, messages)
Change = Callable[[domain.Information, Dossier | None, datetime], tuple[domain.Information, list[domain.Message]]]


class ChangeEntrypoints(Handlers):
    @envelope_handler(ServiceName.DEVICE, EventName.BENEFICIARY_MOVED)
    def on_beneficiary_moved(self, event: ReceivedEvent) -> None:
        """Changement de domicile: the old and new units re-informed (a replay changes nothing)."""
        data = event.data
        self._re_inform("move", data, lambda i, dossier, t: changes.move(i, data, self.directory, dossier, t, new_id))

    @envelope_handler(ServiceName.DEVICE, EventName.DEVICE_REPLACED)
    def on_device_replaced(self, event: ReceivedEvent) -> None:
        """Her lost or broken terminal replaced: the units serving her re-informed with their
        own view and the new terminal (a replay changes nothing)."""
        data = event.data
        self._re_inform("replacement", data, lambda i, dossier, t: changes.replace_device(i, data, dossier, t, new_id))

    def _re_inform(self, what: str, data: Any, change: Change) -> None:
        """Apply ``change`` with her current dossier; before her notices were sent the event
        is requeued until provisioning is handled."""
        if not self.informations.exists(data.attribution_id):
            log.warning("%s in attribution %s before its notices; retried", what, data.attribution_id)
            raise InvalidState("The forces were not informed yet.")
        dossier = self.dossiers.fetch(data.device_id)
        now = self.now()
        self._change(data.attribution_id, lambda i: change(i, dossier, now))
