"""OpenTelemetry set up one way for the platform's processes (:mod:`tgd_servicekit.tracing`)
and the partners' reference consumer (:mod:`tgd_partner_consumer.tracing`), which share no
other library than this one.

The exporters are chosen by the standard ``OTEL_TRACES_EXPORTER`` variable (a comma list of
``opentelemetry_traces_exporter`` entry points, ``none`` by default); ``otlp_json_file``
writes to ``TGD_TRACES_FILE`` (``{service}`` replaced by the process's name), or to stdout.
OpenTelemetry is imported only when tracing is set up: the contracts do not need it.
"""

from __future__ import annotations

import os
from importlib.metadata import entry_points
from typing import Any

_installed: Any = None  # the process's tracer provider, once set up


def _exporter(name: str, service: str) -> Any:
    entry = next((ep for ep in entry_points(group="opentelemetry_traces_exporter") if ep.name == name), None)
    if entry is None:
        raise ValueError(f"OTEL_TRACES_EXPORTER names an exporter that is not installed: {name!r}")
    exporter_cls = entry.load()
    path = os.environ.get("TGD_TRACES_FILE")
    if name == "otlp_json_file" and path:
        return exporter_cls(path.replace("{service}", service))
    return exporter_cls()


def trace_exporters(service: str) -> list[Any]:
    """A new instance of each exporter named (none by default); an unknown name raises."""
    names = [n.strip() for n in os.environ.get("OTEL_TRACES_EXPORTER", "none").split(",") if n.strip()]
    return [_exporter(name, service) for name in names if name != "none"]


def install_tracer_provider(service_name: str, exporter_service: str, sampler: Any = None) -> Any:
    """Install the process's tracer provider (once: later calls return the first) for
    ``service_name``, exporting to :func:`trace_exporters` of ``exporter_service``;
    ``sampler`` None: OpenTelemetry's default (parent-based, always on)."""
    global _installed
    if _installed is not None:
        return _installed
    from opentelemetry import trace
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=Resource.create({"service.name": service_name}), sampler=sampler)
    for exporter in trace_exporters(exporter_service):
        provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    _installed = provider
    return provider


def shutdown_tracing() -> None:
    """Flush and stop the provider installed, if any."""
    if _installed is not None:
        _installed.shutdown()
