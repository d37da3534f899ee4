"""``tgd-dev faults [--alerts N] [--scenario NAME ...] [--json]``."""

from __future__ import annotations

import json
import os
import signal
import tempfile
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from tgd_dev.faults.report import totals
from tgd_dev.faults.scenarios import SCENARIOS
from tgd_dev.faults.suite import run_faults

console = Console(stderr=True, width=150)


def render(rows: list[dict]) -> Table:
    table = Table(title="Fault injection: every alert triggered vs. what each partner received")
    for column in ("scenario", "triggered", "delivered", "lost", "duplicate effects", "dead-lettered", "recovery (s)"):
        table.add_column(column, justify="left" if column == "scenario" else "right")
    for row in [*rows, totals(rows)]:
        delivered = ", ".join(f"{p} {n}" for p, n in row["delivered"].items())
        bad = row["lost"] or row["duplicate_effects"]
        table.add_row(
            f"[red]{row['scenario']}[/red]" if bad else row["scenario"],
            str(row["triggered"]),
            delivered,
            str(row["lost"]),
            str(row["duplicate_effects"]),
            str(row["dead_lettered"]),
            "-" if row["recovery_s"] is None else f"{row['recovery_s']:.1f}",
        )
    return table


def faults(
    alerts: int = typer.Option(10_000, "--alerts", min=1, help="Alerts in all, shared between the scenarios."),
    scenario: list[str] = typer.Option(
        None, "--scenario", help=f"Run only these (repeatable). Known: {', '.join(SCENARIOS)}."
    ),
    rate: float = typer.Option(40.0, "--rate", min=0.1, help="Presses per second during each burst."),
    as_json: bool = typer.Option(False, "--json", help="Print the rows as one JSON list (the table goes to stderr)."),
    mongodb_uri: str = typer.Option(
        None,
        "--mongodb-uri",
        envvar="TGD_FAULTS_MONGODB_URI",
        help="Run the services on this MongoDB instead of the run's own durable local store (SecantusDB).",
    ),
) -> None:
    """Drive bursts of alerts through the real processes, on a durable local store of
    the run's own, while killing them (the store too), restarting RabbitMQ (a private
    node) and injecting duplicates and malformed messages; compare
    what every partner received with what was triggered. Exit 1 on any loss or
    duplicate effect."""
    names = scenario or list(SCENARIOS)
    signal.signal(signal.SIGTERM, _exit)  # so that a stopped run still stops what it started
    keep = os.environ.get("TGD_FAULTS_KEEP")  # a directory to keep the logs and partner files in
    with tempfile.TemporaryDirectory(prefix="tgd-faults-") as tmp:
        workdir = Path(keep) if keep else Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        with console.status("starting a private RabbitMQ node, a local store and every process...") as status:

            def progress(row: dict) -> None:
                status.update(f"{row['scenario']} done (lost {row['lost']}); next scenario...")
                console.print(f"[bold]{row['scenario']}[/bold]: {json.dumps(row)}")

            try:
                rows = run_faults(alerts, names, rate, workdir, progress, mongodb_uri)
            except ValueError as exc:
                raise typer.BadParameter(str(exc)) from None
    console.print(render(rows))
    if as_json:
        typer.echo(json.dumps(rows))
    if any(r["lost"] or r["duplicate_effects"] for r in rows):
        raise typer.Exit(1)


def _exit(*_: object) -> None:
    raise SystemExit(143)
