"""Publishing CloudEvent envelopes from a service.

:class:`EnvelopeDispatcher` is nameko's ``EventDispatcher`` (persistent messages,
publisher confirms: ``publish`` returns only once the broker has the message) with a
narrower injection, an :class:`EventPublisher`:

- ``build(event_name, subject, data)`` wraps a contract model in an envelope that
  carries the current trace context (to store it in an outbox first);
- ``publish(envelope)`` publishes it to ``<service>.events`` with the event name as
  routing key, in a PRODUCER span that is a child of the envelope's trace;
- ``dispatch(...)`` does both;
- ``publish_many(envelopes)`` publishes several with pipelined confirms (the outbox relay).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from nameko.events import EventDispatcher
from nameko.messaging import encode_to_headers
from opentelemetry import context as otel_context
from opentelemetry import propagate, trace

from tgd_contracts.base import Contract
from tgd_contracts.envelope import Envelope, build_envelope
from tgd_contracts.registry import event_model
from tgd_servicekit.confirms import ConfirmedBatch, Outgoing
from tgd_servicekit.tracing import current_trace_headers, messaging_attributes

tracer = trace.get_tracer("tgd.dispatch")


def envelope_headers(
    envelope: Envelope, context_headers: dict[str, Any], trace_headers: dict[str, str]
) -> dict[str, Any]:
    """AMQP headers: nameko's context (``nameko.traceparent``: the publishing span), the
    W3C ``traceparent`` of the envelope (identical in header and body, as the AsyncAPI
    document says), and the CloudEvents attributes (binary-mode names) so a partner can
    filter without parsing."""
    headers = dict(context_headers)
    for key, value in trace_headers.items():
        headers[key] = value
        headers[f"nameko.{key}"] = value
    if envelope.traceparent:  # the W3C header is the envelope's, so both say the same
        headers["traceparent"] = envelope.traceparent
        if envelope.tracestate:
            headers["tracestate"] = envelope.tracestate
        else:
            headers.pop("tracestate", None)
    headers.update(
        {"cloudEvents:id": envelope.id, "cloudEvents:source": envelope.source, "cloudEvents:type": envelope.type}
    )
    return headers


class EventPublisher:
    def __init__(self, dispatcher: EnvelopeDispatcher, worker_ctx: Any):
        self._dispatcher = dispatcher
        self._worker_ctx = worker_ctx

    def build(self, event_name: str, subject: str, data: Contract) -> Envelope:
        expected = event_model(event_name)
        if expected is None or not isinstance(data, expected):
            raise TypeError(f"{event_name} must carry {expected}, not {type(data).__name__}")
        trace_headers = current_trace_headers()
        return build_envelope(
            source_service=self._dispatcher.container.service_name,
            event_name=event_name,
            subject=subject,
            data=data,
            traceparent=trace_headers.get("traceparent"),
            tracestate=trace_headers.get("tracestate"),
        )

    @contextmanager
    def _producer_span(self, envelope: Envelope) -> Iterator[dict[str, Any]]:
        """A PRODUCER span, child of the envelope's trace; yields the message's headers."""
        exchange = self._dispatcher.exchange
        parent = propagate.extract({"traceparent": envelope.traceparent} if envelope.traceparent else {})
        token = otel_context.attach(parent) if envelope.traceparent else None
        try:
            attributes = messaging_attributes(exchange.name, envelope.event_name, "publish", envelope.id)
            with tracer.start_as_current_span(
                f"publish {envelope.event_name}", kind=trace.SpanKind.PRODUCER, attributes=attributes
            ):
                yield envelope_headers(
                    envelope, encode_to_headers(self._worker_ctx.context_data), current_trace_headers()
                )
        finally:
            if token is not None:
                otel_context.detach(token)

    def publish(self, envelope: Envelope) -> None:
        with self._producer_span(envelope) as headers:
            self._dispatcher.publisher.publish(
                envelope.model_dump(mode="json"),
                exchange=self._dispatcher.exchange,
                routing_key=envelope.event_name,
                extra_headers=headers,
                message_id=envelope.id,
                type=envelope.type,
            )

    def outgoing(self, envelope: Envelope) -> Outgoing:
        """The message :meth:`publish` would send, for a :class:`ConfirmedBatch` (its span
        covers the preparation, not the confirm)."""
        with self._producer_span(envelope) as headers:
            return Outgoing(
                envelope.model_dump(mode="json"),
                self._dispatcher.exchange,
                envelope.event_name,
                headers,
                envelope.id,
                envelope.type,
            )

    def publish_many(self, envelopes: Sequence[Envelope]) -> list[BaseException | None]:
        """Publish them all, then wait for their confirms together (pipelined)."""
        return self._dispatcher.batch.publish([self.outgoing(e) for e in envelopes])

    def dispatch(self, event_name: str, subject: str, data: Contract) -> Envelope:
        envelope = self.build(event_name, subject, data)
        self.publish(envelope)
        return envelope


class EnvelopeDispatcher(EventDispatcher):
    """Injects an :class:`EventPublisher`."""

    def setup(self) -> None:
        super().setup()
        self.batch = ConfirmedBatch(self.amqp_uri)

    def stop(self) -> None:
        self.batch.close()
        super().stop()

    def kill(self) -> None:
        self.batch.close()
        super().kill()

    def get_dependency(self, worker_ctx: Any) -> EventPublisher:
        return EventPublisher(self, worker_ctx)
