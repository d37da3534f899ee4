"""``tgd slo``: each step of the alert path against its target, from the real spans
(``var/traces``, what ``tgd up`` writes) and the alert records (the gateway's
``GET /v1/alerts/{id}``). Exit code 0 when every target with data is met, 1 when one
is missed, 2 when there is nothing to judge. Targets: :mod:`tgd_cli.slo`."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from tgd_cli import local, slo
from tgd_cli.platform_access import Platform, platform_command
from tgd_cli.slo import percentile
from tgd_servicekit.spans import Span, read_spans

ALERT_ATTRIBUTE = "tgd.alert_id"  # the attribute of every span of an alert (tgd_servicekit.tracing)


def alert_ids(spans: list[Span]) -> list[str]:
    return sorted({str(s.attributes[ALERT_ATTRIBUTE]) for s in spans if s.attributes.get(ALERT_ATTRIBUTE)})


def span_durations(spans: list[Span]) -> dict[str, dict[str, float | None]]:
    """p50/p99 (ms) of the alert path's spans, by service and name."""
    from tgd_servicekit.tracing import is_alert_path

    found: dict[str, list[float]] = {}
    for span in spans:
        if span.end_ns and is_alert_path(span.name, span.attributes):
            found.setdefault(f"{span.service}: {span.name}", []).append((span.end_ns - span.start_ns) / 1e6)
    return {
        name: {"n": len(v), "p50": percentile(v, 50), "p99": percentile(v, 99)} for name, v in sorted(found.items())
    }


def register(app: typer.Typer) -> None:
    @app.command("slo")
    @platform_command
    def slo_command(
        traces: Path = typer.Option(local.TRACES_DIR, "--traces", help="Directory of the processes' span files."),
        alert: list[str] = typer.Option(
            [], "--alert", help="An alert id (repeatable); default: every alert in the spans."
        ),
        raw_hop_ms: float = typer.Option(
            2.35, "--raw-hop-ms", min=0.01, help="The raw AMQP hop (tgd-dev bench alert-path)."
        ),
        ack_delay_s: float = typer.Option(60.0, "--ack-delay-s", min=1, help="ALERT_ACK_DELAY_S of the deployment."),
        as_json: bool = typer.Option(False, "--json", help="One JSON object."),
        *,
        platform: Platform,
    ) -> None:
        """The alert path's steps (p50/p99) against BS 8484 and the software targets."""
        spans = read_spans(traces) if traces.is_dir() else []
        ids = list(alert) or alert_ids(spans)
        records = []
        if ids:
            with platform.client() as (http, headers):
                for alert_id in ids:
                    response = http.get(f"/v1/alerts/{alert_id}", headers=headers)
                    if response.status_code == 200:
                        records.append(response.json())
        delays, verdicts = slo.evaluate(records, raw_hop_ms, ack_delay_s)
        code = slo.exit_code(verdicts) if records else 2
        if as_json:
            payload = {
                "alerts": len(records),
                "segments": {
                    f"{a}->{b}": {"n": len(v), "p50_s": percentile(v, 50), "p99_s": percentile(v, 99)}
                    for (a, b), v in delays.items()
                },
                "targets": [{"target": v.target.describe(), "value": v.value, "met": v.met} for v in verdicts],
                "spans_ms": span_durations(spans),
            }
            typer.echo(json.dumps(payload))
        else:
            typer.echo(slo.report(delays, verdicts, len(records)))
            for name, figures in span_durations(spans).items():
                typer.echo(f"  span {name}: n={figures['n']} p50 {figures['p50']:.1f} ms p99 {figures['p99']:.1f} ms")
            if not records:
                typer.echo(f"no alert record found (spans in {traces}: {len(spans)}; name alerts with --alert)")
        raise typer.Exit(code)
