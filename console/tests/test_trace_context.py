"""The console carries the trace context of a person's action to the gateway."""

from __future__ import annotations

import asyncio

import httpx
from opentelemetry.sdk.trace import TracerProvider
from tgd_console.gateway import carry_trace_context


def test_a_call_made_inside_a_span_carries_its_trace_id() -> None:
    tracer = TracerProvider().get_tracer("test")
    request = httpx.Request("GET", "http://gateway.invalid/v1/alerts")
    with tracer.start_as_current_span("console page") as span:
        asyncio.run(carry_trace_context(request))
        trace_id = format(span.get_span_context().trace_id, "032x")
    assert request.headers["traceparent"].split("-")[1] == trace_id


def test_a_call_outside_any_span_carries_no_trace_context() -> None:
    request = httpx.Request("GET", "http://gateway.invalid/v1/alerts")
    asyncio.run(carry_trace_context(request))
    assert "traceparent" not in request.headers
