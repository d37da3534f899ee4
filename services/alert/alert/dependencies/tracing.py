"""One trace per alert: work on an alert is done in a span whose parent is the span
that received its trigger (stored with the alert), linked to the request that caused
it (an operator's or a partner's), so that the whole alert reads as one trace."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry import propagate, trace

from tgd_servicekit.tracing import current_trace_headers

tracer = trace.get_tracer("tgd.alert")


def current_traceparent() -> str | None:
    return current_trace_headers().get("traceparent")


@contextmanager
def alert_span(name: str, alert_id: str, traceparent: str | None) -> Iterator[trace.Span]:
    """A span in the alert's trace (or the current one when the alert has none yet)."""
    caller = trace.get_current_span().get_span_context()
    links = [trace.Link(caller)] if caller.is_valid else []
    parent = propagate.extract({"traceparent": traceparent}) if traceparent else None
    with tracer.start_as_current_span(name, context=parent, links=links, attributes={"tgd.alert_id": alert_id}) as span:
        yield span
