"""Reading spans that processes exported as OTLP-JSON lines (``otlp_json_file``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Span:
    service: str
    name: str
    trace_id: str
    span_id: str
    parent_span_id: str
    kind: int | str
    attributes: dict[str, object]
    start_ns: int = 0
    end_ns: int = 0


def _value(raw: dict[str, object]) -> object:
    return next(iter(raw.values())) if raw else None


def read_spans(directory: Path) -> list[Span]:
    spans: list[Span] = []
    for path in sorted(directory.glob("*.jsonl")):
        for line in path.read_text().splitlines():
            if not line.strip():
                continue
            for resource_spans in json.loads(line).get("resourceSpans", []):
                attrs = {a["key"]: _value(a["value"]) for a in resource_spans["resource"].get("attributes", [])}
                service = str(attrs.get("service.name", path.stem))
                for scope in resource_spans.get("scopeSpans", []):
                    for span in scope.get("spans", []):
                        spans.append(
                            Span(
                                service=service,
                                name=span["name"],
                                trace_id=span["traceId"],
                                span_id=span["spanId"],
                                parent_span_id=span.get("parentSpanId", ""),
                                kind=span.get("kind", ""),
                                attributes={a["key"]: _value(a["value"]) for a in span.get("attributes", [])},
                                start_ns=int(span.get("startTimeUnixNano", 0)),
                                end_ns=int(span.get("endTimeUnixNano", 0)),
                            )
                        )
    return spans
