"""Nameko dependency providers of the notify service: its policy, the directory of force
units, the publisher to the partners' topic exchange, the reminders' store, and the
clients of ``device.get_dossier`` and ``evaluation.get_attribution`` (called with a
timeout: :mod:`tgd_servicekit.remote`)."""

from __future__ import annotations

import logging
from typing import Any

from nameko import config
from nameko.extensions import DependencyProvider

from notify.domain import Policy
from notify.domain.directory import Directory, check_departments
from notify.domain.directory import read_directory as read_force_units
from notify.exceptions import AttributionNotFound
from notify.repository import ReminderRepository
from tgd_contracts.dossier import Dossier
from tgd_contracts.errors import ErrorCode, TgdError
from tgd_contracts.evaluation import MeasureView
from tgd_contracts.jurisdictions import departments as court_departments
from tgd_servicekit import partner_publisher
from tgd_servicekit.durations import parse_period
from tgd_servicekit.remote import TimedCall

log = logging.getLogger(__name__)


def policy_from_config(values: Any) -> Policy:
    """How long before a notice is sent again, then escalated."""
    return Policy(
        resend_after=parse_period(values.get("NOTICE_RESEND_AFTER", "PT15M")),
        escalate_after=parse_period(values.get("NOTICE_ESCALATE_AFTER", "PT1H")),
    )


def read_directory(path: str | None) -> Directory:
    """The force-units file at ``path``, else the fictional sample shipped with the contracts."""
    return check_departments(read_force_units(path), court_departments())


class DirectoryProvider(DependencyProvider):
    """The directory of force units, loaded once at start (a bad file stops the service)."""

    def setup(self) -> None:
        path = config.get("NOTIFY_DIRECTORY_FILE") or None
        self.directory = read_directory(path)
        log.info("force directory: %d communes (%s)", len(self.directory.communes), path or "fictional sample")

    def get_dependency(self, worker_ctx: Any) -> Directory:
        return self.directory


class PartnerPublisher(partner_publisher.PartnerPublisher):
    """Notices, escalations and reminders to ``tgd.partners``; fails fast (an unroutable
    notice must not hold up the others): the outbox retries."""

    tracer_name = "tgd.notify.partners"
    retry_policy = {"max_retries": 1, "interval_start": 0.1, "interval_step": 0.2, "interval_max": 0.3}  # noqa: RUF012


class DossierUnavailable(Exception):
    """The device service did not answer: the event is retried (requeued), never sent
    to the forces without what they need."""


def service_unavailable(_reason: str) -> TgdError:
    return TgdError(code=ErrorCode.SERVICE_UNAVAILABLE)


class DossierClient:
    def __init__(self, call: TimedCall):
        self._call = call

    def fetch(self, device_id: str) -> Dossier | None:
        """The fiche navette of the device's holder; None once the device was returned."""
        raw = self._call("get_dossier", ErrorCode.DEVICE_NOT_FOUND, device_id=device_id)
        return None if raw is None else Dossier.consume(raw)


class MeasureClient:
    def __init__(self, call: TimedCall):
        self._call = call

    def attribution(self, attribution_id: str) -> MeasureView:
        """``evaluation.get_attribution``: its court, status and the association following her."""
        raw = self._call("get_attribution", ErrorCode.ATTRIBUTION_NOT_FOUND, attribution_id=attribution_id)
        if raw is None:
            raise AttributionNotFound()
        return MeasureView.consume(raw)


class ReminderStore(DependencyProvider):
    """The reminders' repository, on the connection the service's database opened."""

    def get_dependency(self, worker_ctx: Any) -> ReminderRepository:
        return ReminderRepository()
