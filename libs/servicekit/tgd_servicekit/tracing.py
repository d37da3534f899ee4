"""OpenTelemetry for one process, set up by one function.

The exporter is chosen by the standard ``OTEL_TRACES_EXPORTER`` variable (a comma
list of names from the ``opentelemetry_traces_exporter`` entry points: ``console``,
``otlp_json_file``, ``otlp`` when installed; default ``none``). ``otlp_json_file``
writes to ``TGD_TRACES_FILE`` (``{service}`` is replaced by the process name), or to
stdout. Payloads and headers are never recorded: spans carry ids only.

Sampling (:class:`AlertPathSampler`): every span of an alert's path is sampled (a span
carrying ``tgd.alert_id``, an alert-service entrypoint ``alert.*``, an HTTP route of the
alert path), so are the spans under them (parent-based); any other trace is sampled at
``TGD_TRACE_SAMPLE_RATIO`` (0..1, default 1: everything, as a developer wants; the
deployments set 0.1). Deployments export OTLP/HTTP to a collector
(``OTEL_TRACES_EXPORTER=otlp_proto_http``, ``OTEL_EXPORTER_OTLP_ENDPOINT``); the JSON file
exporter is for local debugging (``tgd up`` and ``tgd alert follow``).
"""

from __future__ import annotations

import os
from typing import Any

from opentelemetry import propagate
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.sampling import (
    Decision,
    ParentBased,
    Sampler,
    SamplingResult,
    TraceIdRatioBased,
)
from opentelemetry.trace import Link, SpanKind, get_current_span
from opentelemetry.util.types import Attributes

from tgd_contracts.tracing import install_tracer_provider

MESSAGING_SYSTEM = "rabbitmq"
SAMPLE_RATIO_ENV = "TGD_TRACE_SAMPLE_RATIO"
ALERT_ATTRIBUTE = "tgd.alert_id"
ALERT_SPAN_PREFIXES = ("alert.", "tgd.alert")  # the alert service's entrypoints and spans
ALERT_ROUTES = ("/v1/device-alerts", "/v1/alerts")  # the alert path over HTTP
ROUTE_ATTRIBUTES = ("http.route", "url.path", "http.target")


def is_alert_path(name: str, attributes: Attributes) -> bool:
    """Is a span about to start part of an alert's path (always sampled)?"""
    attributes = attributes or {}
    if ALERT_ATTRIBUTE in attributes or name.startswith(ALERT_SPAN_PREFIXES):
        return True
    routes = [name.split(" ", 1)[-1], *(str(attributes[a]) for a in ROUTE_ATTRIBUTES if a in attributes)]
    return any(route.startswith(ALERT_ROUTES) for route in routes)


def sample_ratio(environ: dict[str, str] | None = None) -> float:
    """``TGD_TRACE_SAMPLE_RATIO`` as a number in 0..1; anything else is refused clearly."""
    raw = (environ if environ is not None else os.environ).get(SAMPLE_RATIO_ENV, "1").strip() or "1"
    try:
        ratio = float(raw)
    except ValueError:
        raise ValueError(f"{SAMPLE_RATIO_ENV} must be a number between 0 and 1, not {raw!r}") from None
    if not 0.0 <= ratio <= 1.0:
        raise ValueError(f"{SAMPLE_RATIO_ENV} must be between 0 and 1, not {raw!r}")
    return ratio


class AlertPathSampler(Sampler):
    """Alert path: always; anything else: parent-based, roots at ``ratio``."""

    def __init__(self, ratio: float):
        self.ratio = ratio
        self._others = ParentBased(TraceIdRatioBased(ratio))

    def should_sample(
        self,
        parent_context: Any,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Attributes = None,
        links: list[Link] | None = None,
        trace_state: Any = None,
    ) -> SamplingResult:
        if is_alert_path(name, attributes):
            state = get_current_span(parent_context).get_span_context().trace_state
            return SamplingResult(Decision.RECORD_AND_SAMPLE, attributes, state)
        return self._others.should_sample(parent_context, trace_id, name, kind, attributes, links, trace_state)

    def get_description(self) -> str:
        return f"AlertPathSampler{{alert path: always, others: {self.ratio}}}"


def setup_tracing(process_name: str) -> TracerProvider:
    """Install the tracer provider for this process (once) and return it."""
    service_name = os.environ.get("OTEL_SERVICE_NAME", f"tgd-{process_name}")
    return install_tracer_provider(service_name, process_name, AlertPathSampler(sample_ratio()))


def instrument_nameko() -> None:
    """Trace nameko entrypoints, RPC and events, without payloads or headers."""
    from nameko_opentelemetry import NamekoInstrumentor

    NamekoInstrumentor().instrument(send_headers=False, send_request_payloads=False, send_response_payloads=False)


def current_trace_headers() -> dict[str, str]:
    """W3C trace context of the current span (``traceparent``, maybe ``tracestate``)."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier


def messaging_attributes(
    exchange: str, routing_key: str, operation: str, message_id: str | None = None
) -> dict[str, Any]:
    """Messaging semantic-convention attributes for a RabbitMQ span."""
    attrs: dict[str, Any] = {
        "messaging.system": MESSAGING_SYSTEM,
        "messaging.operation.type": operation,
        "messaging.destination.name": exchange,
        "messaging.rabbitmq.destination.routing_key": routing_key,
    }
    if message_id:
        attrs["messaging.message.id"] = message_id
    return attrs
