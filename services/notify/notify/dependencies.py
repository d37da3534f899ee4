"""Nameko dependency providers of the notify service: database, clock, policy, the
directory of force units, the dossier (``device.get_dossier``), and the publisher to
the partners' topic exchange."""

from __future__ import annotations

import logging
from typing import Any

import eventlet
from nameko import config
from nameko.exceptions import RemoteError
from nameko.extensions import DependencyProvider
from nameko.rpc import ServiceRpc

from notify.domain import Policy
from notify.domain.directory import Directory, check_departments
from notify.domain.directory import read_directory as read_force_units
from notify.exceptions import AttributionNotFound
from notify.models import DB_ALIAS
from notify.repository import InformationRepository, ReminderRepository
from tgd_contracts.dossier import Dossier
from tgd_contracts.errors import ErrorCode, TgdError, parse_remote_error
from tgd_contracts.evaluation import MeasureView
from tgd_contracts.jurisdictions import departments as court_departments
from tgd_servicekit import partner_publisher
from tgd_servicekit.durations import parse_period
from tgd_servicekit.mongo import MongoRepository
from tgd_servicekit.providers import FromConfig

log = logging.getLogger(__name__)


def notify_database() -> MongoRepository:
    return MongoRepository(DB_ALIAS, InformationRepository)


def policy_from_config(values: Any) -> Policy:
    return Policy(
        resend_after=parse_period(values.get("NOTICE_RESEND_AFTER", "PT15M")),
        escalate_after=parse_period(values.get("NOTICE_ESCALATE_AFTER", "PT1H")),
    )


class PolicyProvider(FromConfig):
    """How long before a notice is sent again, then escalated, read at start."""

    build = staticmethod(policy_from_config)


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


class DossierClient:
    def __init__(self, rpc: Any, timeout_s: float):
        self._rpc = rpc
        self._timeout_s = timeout_s

    def fetch(self, device_id: str) -> Dossier | None:
        """The fiche navette of the device's holder; None once the device was returned."""
        try:
            with eventlet.Timeout(self._timeout_s):
                raw = self._rpc.get_dossier.call_async(device_id=device_id).result()
        except RemoteError as exc:
            parsed = parse_remote_error(str(exc.value))
            if parsed is not None and parsed[0] == ErrorCode.DEVICE_NOT_FOUND:
                return None
            raise DossierUnavailable(type(exc).__name__) from None
        except (Exception, eventlet.Timeout) as exc:
            raise DossierUnavailable(type(exc).__name__) from None
        return Dossier.consume(raw)


class DossierSource(ServiceRpc):
    """``device.get_dossier`` with a timeout (``NOTIFY_DOSSIER_TIMEOUT_S``, default 5)."""

    def __init__(self) -> None:
        super().__init__("device")

    def setup(self) -> None:
        super().setup()
        self.timeout_s = float(config.get("NOTIFY_DOSSIER_TIMEOUT_S", 5))

    def get_dependency(self, worker_ctx: Any) -> DossierClient:
        return DossierClient(super().get_dependency(worker_ctx), self.timeout_s)


class MeasureClient:
    def __init__(self, rpc: Any, timeout_s: float):
        self._rpc = rpc
        self._timeout_s = timeout_s

    def attribution(self, attribution_id: str) -> MeasureView:
        """``evaluation.get_attribution``: its court, status and the association following her."""
        try:
            with eventlet.Timeout(self._timeout_s):
                raw = self._rpc.get_attribution.call_async(attribution_id=attribution_id).result()
        except RemoteError as exc:
            parsed = parse_remote_error(str(exc.value))
            if parsed is not None and parsed[0] == ErrorCode.ATTRIBUTION_NOT_FOUND:
                raise AttributionNotFound() from None
            raise TgdError(code=ErrorCode.SERVICE_UNAVAILABLE) from None
        except (Exception, eventlet.Timeout):
            raise TgdError(code=ErrorCode.SERVICE_UNAVAILABLE) from None
        return MeasureView.consume(raw)


class MeasureSource(ServiceRpc):
    def __init__(self) -> None:
        super().__init__("evaluation")

    def setup(self) -> None:
        super().setup()
        self.timeout_s = float(config.get("NOTIFY_DOSSIER_TIMEOUT_S", 5))

    def get_dependency(self, worker_ctx: Any) -> MeasureClient:
        return MeasureClient(super().get_dependency(worker_ctx), self.timeout_s)


class ReminderStore(DependencyProvider):
    """The reminders' repository, on the connection the service's database opened."""

    def get_dependency(self, worker_ctx: Any) -> ReminderRepository:
        return ReminderRepository()
