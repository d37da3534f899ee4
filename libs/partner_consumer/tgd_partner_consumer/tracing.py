"""OpenTelemetry for the consumer, chosen by the standard ``OTEL_*`` variables:
``OTEL_TRACES_EXPORTER`` (``none`` by default; ``console``, ``otlp``, ``otlp_json_file``
when installed), ``OTEL_SERVICE_NAME``. ``otlp_json_file`` writes to ``TGD_TRACES_FILE``
(``{service}`` replaced by the service name) or stdout. The consumer continues the
platform's trace from the W3C ``traceparent`` AMQP header and puts its own context in
its replies, in the envelope and the AMQP header alike (by hand: pika's instrumentation
would put a different span in the header than in the envelope)."""

from __future__ import annotations

import os
from importlib.metadata import entry_points

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

_provider: TracerProvider | None = None


def setup_tracing(default_name: str) -> TracerProvider:
    global _provider
    if _provider is not None:
        return _provider
    name = os.environ.get("OTEL_SERVICE_NAME", default_name)
    provider = TracerProvider(resource=Resource.create({"service.name": name}))
    for exporter in [n.strip() for n in os.environ.get("OTEL_TRACES_EXPORTER", "none").split(",") if n.strip()]:
        if exporter == "none":
            continue
        entry = next((ep for ep in entry_points(group="opentelemetry_traces_exporter") if ep.name == exporter), None)
        if entry is None:
            raise ValueError(f"OTEL_TRACES_EXPORTER names an exporter that is not installed: {exporter!r}")
        path = os.environ.get("TGD_TRACES_FILE")
        cls = entry.load()
        instance = cls(path.replace("{service}", name)) if exporter == "otlp_json_file" and path else cls()
        provider.add_span_processor(BatchSpanProcessor(instance))
    trace.set_tracer_provider(provider)
    _provider = provider
    return provider


def shutdown_tracing() -> None:
    if _provider is not None:
        _provider.shutdown()
