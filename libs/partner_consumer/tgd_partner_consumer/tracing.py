"""OpenTelemetry for the consumer, chosen by the standard ``OTEL_*`` variables:
``OTEL_TRACES_EXPORTER`` (``none`` by default; ``console``, ``otlp``, ``otlp_json_file``
when installed), ``OTEL_SERVICE_NAME``. ``otlp_json_file`` writes to ``TGD_TRACES_FILE``
(``{service}`` replaced by the service name) or stdout (:mod:`tgd_contracts.tracing`, as
the platform does). The consumer continues the platform's trace from the W3C
``traceparent`` AMQP header and puts its own context in its replies, in the envelope and
the AMQP header alike (by hand: pika's instrumentation would put a different span in the
header than in the envelope)."""

from __future__ import annotations

import os

from opentelemetry.sdk.trace import TracerProvider

from tgd_contracts.tracing import install_tracer_provider, shutdown_tracing

__all__ = ["setup_tracing", "shutdown_tracing"]


def setup_tracing(default_name: str) -> TracerProvider:
    """The consumer's tracer provider (once), named by ``OTEL_SERVICE_NAME`` if set."""
    name = os.environ.get("OTEL_SERVICE_NAME", default_name)
    return install_tracer_provider(name, name)
