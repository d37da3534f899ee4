"""The notify service (information des forces de l'ordre): the nameko service, composed
of its entrypoints (:mod:`notify.handlers`); rules live in :mod:`notify.domain`, views
in :mod:`notify.read`, storage in :mod:`notify.repository`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from notify import models
from notify.dependencies import (
    DirectoryProvider,
    DossierSource,
    MeasureSource,
    PartnerPublisher,
    PolicyProvider,
    ReminderStore,
    notify_database,
)
from notify.handlers.changes import ChangeEntrypoints
from notify.handlers.notices import NoticeEntrypoints
from notify.handlers.reads import ReadEntrypoints
from notify.handlers.release import ReleaseEntrypoints
from notify.handlers.reminders import ReminderEntrypoints
from tgd_servicekit import rotation
from tgd_servicekit.dispatch import EnvelopeDispatcher
from tgd_servicekit.timers import Clock, OutboxRelay


class NotifyService(
    NoticeEntrypoints,
    ReadEntrypoints,
    ChangeEntrypoints,
    ReminderEntrypoints,
    ReleaseEntrypoints,
    OutboxRelay,
    rotation.KeyRotation,
):
    name = "notify"
    ENCRYPTED_DOCUMENTS = (models.InformationDocument,)  # module access: nameko inspects classes here

    informations = notify_database()
    reminders = ReminderStore()
    events = EnvelopeDispatcher()
    partners = PartnerPublisher()
    directory = DirectoryProvider()
    dossiers = DossierSource()
    measures = MeasureSource()
    now = Clock()
    policy = PolicyProvider()

    def outboxes(self) -> Iterable[tuple[Any, Any]]:
        """The notices' outbox and the reminders' (partner messages sent one by one)."""
        return [(self.informations, self._publish_many), (self.reminders, self._publish_many)]
