"""OpenTelemetry for one process, set up by one function.

The exporter is chosen by the standard ``OTEL_TRACES_EXPORTER`` variable (a comma
list of names from the ``opentelemetry_traces_exporter`` entry points: ``console``,
``otlp_json_file``, ``otlp`` when installed; default ``none``). ``otlp_json_file``
writes to ``TGD_TRACES_FILE`` (``{service}`` is replaced by the process name), or to
stdout. Payloads and headers are never recorded: spans carry ids only.
"""

from __future__ import annotations

import os
from importlib.metadata import entry_points
from typing import Any

from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter

_configured: TracerProvider | None = None

MESSAGING_SYSTEM = "rabbitmq"


def _load_exporter(name: str, process_name: str) -> SpanExporter:
    entry = next((ep for ep in entry_points(group="opentelemetry_traces_exporter") if ep.name == name), None)
    if entry is None:
        raise ValueError(f"OTEL_TRACES_EXPORTER names an exporter that is not installed: {name!r}")
    exporter_cls = entry.load()
    path = os.environ.get("TGD_TRACES_FILE")
    if name == "otlp_json_file" and path:
        return exporter_cls(path.replace("{service}", process_name))
    return exporter_cls()


def setup_tracing(process_name: str) -> TracerProvider:
    """Install the tracer provider for this process (once) and return it."""
    global _configured
    if _configured is not None:
        return _configured
    resource = Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME", f"tgd-{process_name}")})
    provider = TracerProvider(resource=resource)
    names = [n.strip() for n in os.environ.get("OTEL_TRACES_EXPORTER", "none").split(",") if n.strip()]
    for name in names:
        if name != "none":
            provider.add_span_processor(BatchSpanProcessor(_load_exporter(name, process_name)))
    trace.set_tracer_provider(provider)
    _configured = provider
    return provider


def shutdown_tracing() -> None:
    if _configured is not None:
        _configured.shutdown()


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
