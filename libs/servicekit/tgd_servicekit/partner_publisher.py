"""Publishing to the partners' topic exchange ``tgd.partners`` (the alert's dispatches,
notify's notices and reminders): one nameko dependency for every service that writes
to partners.

Each message is persistent, confirmed and mandatory: the addressee's durable quorum
queue is declared first (once per process: the platform declares partner queues, a
partner's broker user has no configure right), so a message is never unroutable while a
partner is offline, and a key no partner is bound to fails (the outbox retries). Personal
fields are sealed for an addressee that registered a public key; a send in clear in
production raises the counted alarm of :mod:`tgd_contracts.clear_sends`. The PRODUCER
span is a child of the envelope's trace, and the AMQP headers are those of every event
(:func:`tgd_servicekit.dispatch.envelope_headers`).
"""

from __future__ import annotations

import os
from typing import Any, ClassVar

from kombu import Exchange
from nameko import config
from nameko.amqp.publish import Publisher
from nameko.constants import AMQP_URI_CONFIG_KEY, DEFAULT_AMQP_URI
from nameko.extensions import DependencyProvider
from opentelemetry import propagate, trace

from tgd_contracts.clear_sends import ClearSendAlarm
from tgd_contracts.envelope import Envelope
from tgd_contracts.partner_keys import PartnerKeys
from tgd_contracts.partners import PARTNER_EXCHANGE
from tgd_servicekit.dispatch import envelope_headers
from tgd_servicekit.topology import partner_inbox
from tgd_servicekit.tracing import current_trace_headers, messaging_attributes

PARTNERS = Exchange(PARTNER_EXCHANGE, type="topic", durable=True)


class PartnerSender:
    """What a worker gets: ``publish(envelope, routing_key)``."""

    def __init__(self, provider: PartnerPublisher):
        self._provider = provider

    def publish(self, envelope: Envelope, routing_key: str) -> None:
        """Publish to ``tgd.partners`` with confirms, declaring the addressee's queue first."""
        provider = self._provider
        provider.clear_alarm.check(provider.keys, envelope, routing_key)  # production: no key, alarm
        envelope = provider.keys.seal(envelope, routing_key)  # her dossier never in clear on the broker
        attributes = messaging_attributes(PARTNER_EXCHANGE, routing_key, "publish", envelope.id)
        if provider.subject_attribute:
            attributes[provider.subject_attribute] = envelope.subject
        parent = propagate.extract({"traceparent": envelope.traceparent} if envelope.traceparent else {})
        with provider.tracer.start_as_current_span(
            f"publish {envelope.event_name}", context=parent, kind=trace.SpanKind.PRODUCER, attributes=attributes
        ):
            provider.publisher.publish(
                envelope.model_dump(mode="json"),
                exchange=PARTNERS,
                routing_key=routing_key,
                headers=envelope_headers(envelope, {}, current_trace_headers()),
                message_id=envelope.id,
                type=envelope.type,
                declare=provider.queue_for(routing_key),
            )
            provider.declared.add(partner_inbox(routing_key).name)  # once it surely exists


class PartnerPublisher(DependencyProvider):
    """Publishes partner messages; declares ``tgd.partners`` at start and each addressee's
    queue once, before its first message. A service subclasses it to name its spans
    (``tracer_name``), to put the envelope's subject on them (``subject_attribute``, e.g.
    ``tgd.alert_id``) and to choose kombu's ``retry_policy`` (nameko's default when None)."""

    tracer_name: ClassVar[str] = "tgd.partners"
    subject_attribute: ClassVar[str | None] = None
    retry_policy: ClassVar[dict[str, Any] | None] = None

    def setup(self) -> None:
        self.tracer = trace.get_tracer(self.tracer_name)
        # addressees' public keys (tgd broker provision-partner --public-key): seal for them
        self.keys = PartnerKeys.load(config.get("TGD_PARTNER_KEYS_FILE") or None)
        self.clear_alarm = ClearSendAlarm(os.environ.get("TGD_ENV", "development"))
        self.publisher = Publisher(
            config.get(AMQP_URI_CONFIG_KEY, DEFAULT_AMQP_URI),
            use_confirms=True,
            delivery_mode=2,
            mandatory=True,
            declare=[PARTNERS],
            serializer="json",
            retry=True,
            retry_policy=self.retry_policy,
        )
        self.declared: set[str] = set()

    def queue_for(self, routing_key: str) -> list[Any]:
        inbox = partner_inbox(routing_key)
        return [] if inbox.name in self.declared else [inbox]

    def get_dependency(self, worker_ctx: Any) -> PartnerSender:
        return PartnerSender(self)
