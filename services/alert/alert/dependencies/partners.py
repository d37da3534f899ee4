"""Publishing to the partners (``tgd.partners``): sealed for the addressee, with
confirms, each partner's durable queue declared first."""

from __future__ import annotations

import os
from typing import Any

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
from tgd_servicekit.topology import partner_inbox
from tgd_servicekit.tracing import current_trace_headers, messaging_attributes

tracer = trace.get_tracer("tgd.alert.partners")
PARTNERS = Exchange(PARTNER_EXCHANGE, type="topic", durable=True)


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
