"""Nameko dependency providers of the alert service (wire details live here)."""

from __future__ import annotations

import logging
import math
import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from typing import Any

import eventlet
import yaml
from kombu import Exchange
from nameko import config
from nameko.amqp.publish import Publisher
from nameko.constants import AMQP_URI_CONFIG_KEY, DEFAULT_AMQP_URI
from nameko.extensions import DependencyProvider
from nameko.rpc import ServiceRpc
from opentelemetry import propagate, trace

from alert.escalation import Policy
from alert.models import DB_ALIAS
from alert.places import official_places
from alert.repository import AlertRepository
from alert.script import Script
from alert.territory import PositionPolicy, Territory
from tgd_contracts.centres import read_centres
from tgd_contracts.clear_sends import ClearSendAlarm
from tgd_contracts.dossier import Dossier
from tgd_contracts.envelope import Envelope
from tgd_contracts.force_directory import read_directory
from tgd_contracts.partner_keys import PartnerKeys
from tgd_contracts.partners import PARTNER_EXCHANGE
from tgd_servicekit.durations import Period, parse_period
from tgd_servicekit.mongo import MongoRepository
from tgd_servicekit.topology import partner_inbox
from tgd_servicekit.tracing import current_trace_headers, messaging_attributes

log = logging.getLogger(__name__)
tracer = trace.get_tracer("tgd.alert.partners")
PARTNERS = Exchange(PARTNER_EXCHANGE, type="topic", durable=True)


def alert_database() -> MongoRepository:
    return MongoRepository(DB_ALIAS, AlertRepository)


class Clock(DependencyProvider):
    """Injects ``now()`` (UTC); tests replace it to move time."""

    def get_dependency(self, worker_ctx: Any):
        return lambda: datetime.now(UTC)


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


def position_policy_from_config() -> PositionPolicy:
    max_age = float(config.get("ALERT_POSITION_MAX_AGE_S", 600))
    max_accuracy = float(config.get("ALERT_POSITION_MAX_ACCURACY_M", 1000))
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


def settings_from_config() -> AlertSettings:
    return AlertSettings(
        policy=Policy(
            failsafe_delay=timedelta(seconds=float(config.get("ALERT_FAILSAFE_DELAY_S", 30))),
            ack_delay=timedelta(seconds=float(config.get("ALERT_ACK_DELAY_S", 60))),
            repeats=int(config.get("ALERT_REPEATS", 1)),
            qualification_delay=timedelta(seconds=float(config.get("ALERT_QUALIFICATION_DELAY_S", 300))),
        ),
        grouping_window=timedelta(seconds=float(config.get("ALERT_GROUPING_WINDOW_S", 900))),
        script=load_script(config.get("ALERT_QUALIFICATION_SCRIPT") or None),
        record_retention=parse_period(config.get("ALERT_RECORD_RETENTION", "P3M")),
        territory=load_territory(
            config.get("ALERT_DIRECTORY_FILE") or None,
            config.get("ALERT_CENTRES_FILE") or None,
            position_policy_from_config(),
        ),
    )


class Settings(DependencyProvider):
    """The policy (failsafe, acknowledgement delay, repeats), the grouping window and
    the qualification script, read once from the service's config."""

    def setup(self) -> None:
        self.settings = settings_from_config()

    def get_dependency(self, worker_ctx: Any) -> AlertSettings:
        return self.settings


def partner_headers(envelope: Envelope) -> dict[str, Any]:
    """CloudEvents attributes and the W3C ``traceparent``, the envelope's own."""
    headers: dict[str, Any] = dict(current_trace_headers())
    if envelope.traceparent:
        headers = {"traceparent": envelope.traceparent}
        if envelope.tracestate:
            headers["tracestate"] = envelope.tracestate
    headers.update(
        {"cloudEvents:id": envelope.id, "cloudEvents:source": envelope.source, "cloudEvents:type": envelope.type}
    )
    return headers


class PartnerSender:
    def __init__(self, provider: PartnerPublisher):
        self._provider = provider

    def publish(self, envelope: Envelope, routing_key: str) -> None:
        """Publish to ``tgd.partners`` with confirms (mandatory: the partner's queue is
        declared first, so a message is never unroutable while a partner is offline)."""
        self._provider.clear_alarm.check(self._provider.keys, envelope, routing_key)  # production: no key, alarm
        envelope = self._provider.keys.seal(envelope, routing_key)  # her dossier never in clear on the broker
        attributes = messaging_attributes(PARTNER_EXCHANGE, routing_key, "publish", envelope.id)
        attributes["tgd.alert_id"] = envelope.subject
        parent = propagate.extract({"traceparent": envelope.traceparent} if envelope.traceparent else {})
        with tracer.start_as_current_span(
            f"publish {envelope.event_name}", context=parent, kind=trace.SpanKind.PRODUCER, attributes=attributes
        ):
            self._provider.publisher.publish(
                envelope.model_dump(mode="json"),
                exchange=PARTNERS,
                routing_key=routing_key,
                headers=partner_headers(envelope),
                message_id=envelope.id,
                type=envelope.type,
                declare=self._provider.queue_for(routing_key),
            )
            self._provider.declared.add(partner_inbox(routing_key).name)  # once it surely exists


class PartnerPublisher(DependencyProvider):
    """Publishes partner messages; declares each partner's durable quorum queue once."""

    def setup(self) -> None:
        # addressees' public keys (tgd broker provision-partner --public-key): seal for them
        self.keys = PartnerKeys.load(config.get("TGD_PARTNER_KEYS_FILE") or None)
        self.clear_alarm = ClearSendAlarm(os.environ.get("TGD_ENV", "development"))
        self.publisher = Publisher(config.get(AMQP_URI_CONFIG_KEY, DEFAULT_AMQP_URI), mandatory=True)
        self.declared: set[str] = set()

    def queue_for(self, routing_key: str) -> list[Any]:
        inbox = partner_inbox(routing_key)
        if inbox.name in self.declared:
            return [PARTNERS]
        return [PARTNERS, inbox]

    def get_dependency(self, worker_ctx: Any) -> PartnerSender:
        return PartnerSender(self)


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
