"""The notify service (information des forces de l'ordre): the nameko service, composed
of its entrypoints (:mod:`notify.handlers`); rules live in :mod:`notify.domain`, views
in :mod:`notify.read`, storage in :mod:`notify.repository`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from notify import models
from notify.dependencies import (
    DirectoryProvider,
    DossierClient,
    DossierUnavailable,
    MeasureClient,
    PartnerPublisher,
    ReminderStore,
    policy_from_config,
    service_unavailable,
)
from notify.handlers.changes import ChangeEntrypoints
from notify.handlers.notices import NoticeEntrypoints
from notify.handlers.reads import ReadEntrypoints
from notify.handlers.release import ReleaseEntrypoints
from notify.handlers.reminders import ReminderEntrypoints
from notify.repository import InformationRepository
from tgd_servicekit.mongo import MongoRepository
from tgd_servicekit.providers import FromConfig
from tgd_servicekit.remote import TimedServiceRpc


class NotifyService(NoticeEntrypoints, ReadEntrypoints, ChangeEntrypoints, ReminderEntrypoints, ReleaseEntrypoints):
    name = "notify"
    ENCRYPTED_DOCUMENTS = (models.InformationDocument,)  # module access: nameko inspects classes here

    informations = MongoRepository(models.DB_ALIAS, InformationRepository)
    reminders = ReminderStore()
    partners = PartnerPublisher()
    directory = DirectoryProvider()
    dossiers = TimedServiceRpc("device", DossierClient, "NOTIFY_DOSSIER_TIMEOUT_S", 5, DossierUnavailable)
    measures = TimedServiceRpc("evaluation", MeasureClient, "NOTIFY_DOSSIER_TIMEOUT_S", 5, service_unavailable)
    policy = FromConfig(policy_from_config)

    def outboxes(self) -> Iterable[tuple[Any, Any]]:
        """The notices' outbox and the reminders' (partner messages sent one by one)."""
        return [(self.informations, self._publish_many), (self.reminders, self._publish_many)]
