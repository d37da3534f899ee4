"""Nameko dependency providers of the alert service (wire details live here)."""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from datetime import timedelta
from importlib.resources import files
from typing import Any

import eventlet
import yaml
from nameko import config
from nameko.extensions import DependencyProvider
from nameko.rpc import ServiceRpc

from alert.escalation import Policy
from alert.models import DB_ALIAS
from alert.places import official_places
from alert.repository import AlertRepository
from alert.script import Script
from alert.territory import PositionPolicy, Territory
from tgd_contracts.centres import read_centres
from tgd_contracts.dossier import Dossier
from tgd_contracts.force_directory import read_directory
from tgd_servicekit import partner_publisher
from tgd_servicekit.durations import Period, parse_period
from tgd_servicekit.mongo import MongoRepository
from tgd_servicekit.providers import Clock as Clock  # the services' clock
from tgd_servicekit.providers import FromConfig

log = logging.getLogger(__name__)


def alert_database() -> MongoRepository:
    return MongoRepository(DB_ALIAS, AlertRepository)


class Spawner(DependencyProvider):
    """Injects ``spawn(fn, *args)``: runs ``fn`` in a green thread of its own (used to
    publish what is already stored without making the caller wait for confirms)."""

    def get_dependency(self, worker_ctx: Any):
        return eventlet.spawn_n


RECORD_RETENTION = Period(months=3)


def load_territory(
    directory_file: str | None = None, centres_file: str | None = None, policy: PositionPolicy | None = None
) -> Territory:
    """The commune centres, the force directory and the operations centres (the shipped
    fictional samples when no file is named); a file that does not validate stops the
    service at start with the line of the problem."""
    territory = Territory(
        places=official_places(),
        directory=read_directory(directory_file or None),
        centres=read_centres(centres_file or None),
        policy=policy or PositionPolicy(),
    )
    listed = {c.department for c in territory.directory.communes.values()}
    without = sorted(d for d in listed if territory.centres.default_zone(d) is None)
    if without:  # their alerts go to her home's centre, or the department's command queue
        log.warning("departments of the force directory without operations centres: %s", ", ".join(without))
    return territory


def position_policy_from_config(values: Any = config) -> PositionPolicy:
    max_age = float(values.get("ALERT_POSITION_MAX_AGE_S", 600))
    max_accuracy = float(values.get("ALERT_POSITION_MAX_ACCURACY_M", 1000))
    if not (math.isfinite(max_age) and max_age > 0 and math.isfinite(max_accuracy) and max_accuracy > 0):
        raise ValueError("ALERT_POSITION_MAX_AGE_S and ALERT_POSITION_MAX_ACCURACY_M must be positive numbers")
    return PositionPolicy(max_fix_age=timedelta(seconds=max_age), max_accuracy_m=max_accuracy)


@dataclass(frozen=True)
class AlertSettings:
    policy: Policy
    grouping_window: timedelta
    script: Script
    #: where she is -> who can send a patrol (commune centres, force directory, centres)
    territory: Territory = field(default_factory=load_territory)
    #: the alert record is anonymised this long after its legal basis ended (alert.retention)
    record_retention: Period = RECORD_RETENTION


def load_script(path: str | None) -> Script:
    source = open(path) if path else (files("alert") / "qualification.yaml").open()
    with source:
        return Script.from_mapping(yaml.safe_load(source))


def settings_from_config(values: Any = config) -> AlertSettings:
    return AlertSettings(
        policy=Policy(
            failsafe_delay=timedelta(seconds=float(values.get("ALERT_FAILSAFE_DELAY_S", 30))),
            ack_delay=timedelta(seconds=float(values.get("ALERT_ACK_DELAY_S", 60))),
            repeats=int(values.get("ALERT_REPEATS", 1)),
            qualification_delay=timedelta(seconds=float(values.get("ALERT_QUALIFICATION_DELAY_S", 300))),
        ),
        grouping_window=timedelta(seconds=float(values.get("ALERT_GROUPING_WINDOW_S", 900))),
        script=load_script(values.get("ALERT_QUALIFICATION_SCRIPT") or None),
        record_retention=parse_period(values.get("ALERT_RECORD_RETENTION", "P3M")),
        territory=load_territory(
            values.get("ALERT_DIRECTORY_FILE") or None,
            values.get("ALERT_CENTRES_FILE") or None,
            position_policy_from_config(values),
        ),
    )


class Settings(FromConfig):
    """The policy (failsafe, acknowledgement delay, repeats), the grouping window and
    the qualification script, read once from the service's config."""

    build = staticmethod(settings_from_config)


class PartnerPublisher(partner_publisher.PartnerPublisher):
    """Dispatches, positions and closures to ``tgd.partners`` (spans carry ``tgd.alert_id``)."""

    tracer_name = "tgd.alert.partners"
    subject_attribute = "tgd.alert_id"


class DossierClient:
    def __init__(self, provider: DossierSource, rpc: Any):
        self._provider = provider
        self._rpc = rpc

    def fetch(self, device_id: str) -> dict[str, Any] | None:
        """``device.get_dossier``, validated; None when the device service cannot answer
        in time (the alert goes on without it). After a failure, calls are skipped for
        ``ALERT_DOSSIER_RETRY_S`` so that an absent device service costs the alert path
        nothing (circuit breaker)."""
        provider = self._provider
        if time.monotonic() < provider.skip_until:
            return None
        try:
            with eventlet.Timeout(provider.timeout_s):
                raw = self._rpc.get_dossier.call_async(device_id=device_id).result()
            return Dossier.consume(raw).to_wire()
        except (Exception, eventlet.Timeout) as exc:
            provider.skip_until = time.monotonic() + provider.retry_s
            log.warning("no dossier for device %s (%s)", device_id, type(exc).__name__)
            return None


class DossierSource(ServiceRpc):
    """``device.get_dossier`` with a timeout and a circuit breaker (fiche navette)."""

    def __init__(self) -> None:
        super().__init__("device")
        self.skip_until = 0.0

    def setup(self) -> None:
        super().setup()
        self.timeout_s = float(config.get("ALERT_DOSSIER_TIMEOUT_S", 2))
        self.retry_s = float(config.get("ALERT_DOSSIER_RETRY_S", 10))

    def get_dependency(self, worker_ctx: Any) -> DossierClient:
        return DossierClient(self, super().get_dependency(worker_ctx))
