"""After the notices of an attribution: her move and her new terminal (rules in
:mod:`notify.domain.changes`), mixed into :class:`notify.service.NotifyService`."""

from __future__ import annotations

import logging
import uuid

from notify.domain import changes
from notify.exceptions import InvalidState
from notify.handlers import Handlers
from tgd_contracts.events import EventName, ServiceName
from tgd_servicekit.handlers import ReceivedEvent, envelope_handler

log = logging.getLogger(__name__)


def new_id() -> str:
    return uuid.uuid4().hex


class ChangeEntrypoints(Handlers):
    @envelope_handler(ServiceName.DEVICE, EventName.BENEFICIARY_MOVED)
    def on_beneficiary_moved(self, event: ReceivedEvent) -> None:
        """Changement de domicile: the old and new units re-informed (a replay changes nothing)."""
        data = event.data
        if not self.informations.exists(data.attribution_id):
            log.warning("move of attribution %s before its notices; retried", data.attribution_id)
            raise InvalidState("The forces were not informed yet.")  # requeued until provisioning is handled
        dossier = self.dossiers.fetch(data.device_id)
        now = self.now()
        self._change(data.attribution_id, lambda i: changes.move(i, data, self.directory, dossier, now, new_id))

    @envelope_handler(ServiceName.DEVICE, EventName.DEVICE_REPLACED)
    def on_device_replaced(self, event: ReceivedEvent) -> None:
        """Her lost or broken terminal replaced: the units serving her re-informed with their
        own view and the new terminal (a replay changes nothing)."""
        data = event.data
        if not self.informations.exists(data.attribution_id):
            log.warning("replacement in attribution %s before its notices; retried", data.attribution_id)
            raise InvalidState("The forces were not informed yet.")  # requeued until provisioning is handled
        dossier = self.dossiers.fetch(data.device_id)
        now = self.now()
        self._change(data.attribution_id, lambda i: changes.replace_device(i, data, dossier, now, new_id))
