"""``tgd alert raise`` and ``tgd alert follow``: simulate a press of a device's alert key
through the gateway's device-alert route, and follow an alert: its timeline (the journal
kept by the alert service) and its trace as a tree.

Spans are read from OTLP-JSON line files (``otlp_json_file`` exporter): ``tgd up`` makes
every process write ``var/traces/<process>.jsonl`` (see ``local.supervisor_env``); another
directory is given with ``--traces``. Spans carry ids only, never payloads.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
import typer
from rich.console import Console
from rich.table import Table
from rich.tree import Tree

from tgd_cli import local, session
from tgd_cli.platform_access import Platform, platform_command
from tgd_servicekit.spans import Span, read_spans

alert_app = typer.Typer(help="Simulate a device's alert and follow an alert.", no_args_is_help=True)
console = Console()


@alert_app.command("raise")
@platform_command
def raise_(
    device: str = typer.Option(..., "--device", help="The device (terminal) id."),
    lat: float = typer.Option(..., "--lat", min=-90, max=90, help="Latitude (WGS 84)."),
    lon: float = typer.Option(..., "--lon", min=-180, max=180, help="Longitude (WGS 84)."),
    accuracy: float = typer.Option(25.0, "--accuracy", min=0, help="Accuracy in metres."),
    press_id: str | None = typer.Option(None, help="Press id (a retry with the same id is recognised)."),
    *,
    platform: Platform,
) -> None:
    """Simulate a press of the alert key with a position, as the device platform sends it."""
    with platform.client() as (http, headers):
        position = {"lat": lat, "lon": lon, "accuracy_m": accuracy}
        try:
            result = session.raise_alert(http, headers, device, press_id or f"cli-{uuid.uuid4().hex[:16]}", position)
        except (session.GatewayError, httpx.HTTPError) as exc:
            console.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from None
    flags = ", ".join(result.get("flags") or []) or "none"
    how = (
        "duplicate press" if result.get("duplicate") else "joined the open incident" if result.get("joined") else "new"
    )
    console.print(f"alert {result['alert_id']} ({how}; flags: {flags})")
    console.print(f"follow it: tgd alert follow {result['alert_id']}")


def timeline(alert: dict[str, Any]) -> Table:
    table = Table(title="timeline (journal)", min_width=60)
    for column in ("at", "actor", "what", "detail"):
        table.add_column(column)
    for entry in alert.get("journal", []):
        table.add_row(entry["at"], entry["actor"], entry["kind"], entry.get("detail") or "")
    return table


def deliveries(alert: dict[str, Any]) -> Table:
    table = Table(title="dispatches")
    for column in ("recipient", "step", "kind", "attempts", "first sent", "acknowledged"):
        table.add_column(column)
    for d in alert.get("deliveries", []):
        r = d["recipient"]
        table.add_row(f"{r['audience']} {r['territory']} {r['unit']}", d["step"], d["kind"], str(d["attempts"]),
                      d["first_sent_at"], d.get("acknowledged_at") or "[red]not yet[/red]")  # fmt: skip
    return table


def spans_of(alert_id: str, spans: list[Span]) -> list[Span]:
    """Every span of the traces in which some span names the alert."""
    traces = {s.trace_id for s in spans if s.attributes.get("tgd.alert_id") == alert_id}
    return [s for s in spans if s.trace_id in traces]


def trace_tree(alert_id: str, spans: list[Span]) -> Tree:
    """Spans nested under their parents (roots: no parent, or a parent not exported), by start time."""
    ids = {s.span_id for s in spans}
    children: dict[str, list[Span]] = defaultdict(list)
    roots = []
    for span in sorted(spans, key=lambda s: s.start_ns):
        if span.parent_span_id and span.parent_span_id in ids:
            children[span.parent_span_id].append(span)
        else:
            roots.append(span)
    tree = Tree(f"trace of alert {alert_id} ({len({s.trace_id for s in spans})} trace(s), {len(spans)} spans)")
    origin = min((s.start_ns for s in spans), default=0)

    def label(span: Span) -> str:
        took = (span.end_ns - span.start_ns) / 1e6 if span.end_ns else 0.0
        offset = (span.start_ns - origin) / 1e6
        key = span.attributes.get("messaging.destination.name") or span.attributes.get(
            "messaging.rabbitmq.destination.routing_key"
        )
        where = f" → {key}" if key else ""
        return f"[bold]{span.name}[/bold]{where}  [dim]{span.service} +{offset:.1f} ms, {took:.1f} ms[/dim]"

    def add(node: Tree, span: Span) -> None:
        branch = node.add(label(span))
        for child in children.get(span.span_id, []):
            add(branch, child)

    for root in roots:
        add(tree, root)
    return tree


@alert_app.command("follow")
@platform_command
def follow(
    alert_id: str = typer.Argument(help="The alert id (from tgd alert raise, or the operator screen)."),
    traces: Path = typer.Option(local.TRACES_DIR, "--traces", help="Directory of the processes' span files."),
    *,
    platform: Platform,
) -> None:
    """The alert's timeline (journal and dispatches) and its trace as a tree."""
    with platform.client() as (http, headers):
        response = http.get(f"/v1/alerts/{alert_id}", headers=headers)
    if response.status_code != 200:
        console.print(f"[red]{response.status_code} {response.text[:200]}[/red]")
        raise typer.Exit(1)
    alert = response.json()
    console.print(f"[bold]alert {alert['alert_id']} — {alert['state']}[/bold] (raised {alert['raised_at']})")
    console.print(timeline(alert))
    if alert.get("deliveries"):
        console.print(deliveries(alert))
    spans = spans_of(alert_id, read_spans(traces)) if traces.is_dir() else []
    if not spans:
        console.print(
            f"[yellow]no span of this alert in {traces} (is OTEL_TRACES_EXPORTER=otlp_json_file set?)[/yellow]"
        )
        return
    console.print(trace_tree(alert_id, spans))
