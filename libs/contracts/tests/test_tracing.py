"""The exporters the platform's processes and the partner consumer are told to use."""

from __future__ import annotations

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor

from tgd_contracts.tracing import trace_exporters


def test_no_exporter_unless_one_is_named(monkeypatch):
    monkeypatch.delenv("OTEL_TRACES_EXPORTER", raising=False)
    assert trace_exporters("tgd-test") == []
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "none")
    assert trace_exporters("tgd-test") == []


def test_each_name_of_the_list_is_loaded_from_its_entry_point(monkeypatch):
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", " console , none")
    (exporter,) = trace_exporters("tgd-test")
    assert isinstance(exporter, ConsoleSpanExporter)


def test_an_exporter_that_is_not_installed_stops_the_set_up(monkeypatch):
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "console,carrier-pigeon")
    with pytest.raises(ValueError, match="not installed: 'carrier-pigeon'"):
        trace_exporters("tgd-test")


def test_the_json_file_is_named_after_the_service(monkeypatch, tmp_path):
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "otlp_json_file")
    monkeypatch.setenv("TGD_TRACES_FILE", str(tmp_path / "{service}.jsonl"))
    (exporter,) = trace_exporters("tgd-partner-police")
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    with provider.get_tracer("test").start_as_current_span("received"):
        pass
    provider.shutdown()
    assert "received" in (tmp_path / "tgd-partner-police.jsonl").read_text(encoding="utf-8")
