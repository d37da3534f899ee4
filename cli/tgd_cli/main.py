"""``tgd``: run the local system and work with the project (typer + rich)."""

from __future__ import annotations

import time

import typer
from rich.console import Console
from rich.table import Table

from tgd_cli import broker, clients, contracts_cmd, local, operators, stats_cmd
from tgd_cli.alert_cmd import alert_app
from tgd_cli.bench import bench_app
from tgd_cli.deadletters import deadletters_app
from tgd_cli.evidence import evidence_app
from tgd_cli.faults import command as faults_command
from tgd_cli.keys import keys_app

app = typer.Typer(help="Téléphone Grave Danger: run and operate the system.", no_args_is_help=True)
contracts_app = typer.Typer(help="The contracts package (schemas of every message).", no_args_is_help=True)
app.add_typer(contracts_app, name="contracts")
app.add_typer(keys_app, name="keys")
app.add_typer(deadletters_app, name="deadletters")
app.add_typer(clients.app, name="clients")
app.add_typer(operators.app, name="operators")
app.add_typer(broker.app, name="broker")
app.add_typer(bench_app, name="bench")
app.add_typer(evidence_app, name="evidence")
app.command("faults")(faults_command.faults)
app.add_typer(alert_app, name="alert")
app.command("seed")(stats_cmd.seed)
app.command("stats")(stats_cmd.stats)
console = Console()


def show_status() -> int:
    rows = local.process_status()
    table = Table(title="TGD processes")
    table.add_column("process")
    table.add_column("state")
    table.add_column("detail")
    for name, state, detail in rows:
        style = "green" if state == "RUNNING" else "red"
        table.add_row(name, f"[{style}]{state}[/{style}]", detail)
    console.print(table)
    health = local.gateway_health()
    if health is None:
        console.print(f"gateway {local.GATEWAY_URL}: [red]not answering[/red]")
    else:
        console.print(f"gateway {local.GATEWAY_URL}: {health}")
    return 0 if local.all_running(rows) and health else 1


@app.command()
def up(
    detach: bool = typer.Option(
        False, "--detach", "-d", help="Return once started instead of staying in the foreground."
    ),
) -> None:
    """Start RabbitMQ (if needed), every service and the gateway on this machine."""
    local.ensure_rabbitmq()
    local.start_supervisor()
    with console.status("waiting for every process to run and the gateway to report healthy..."):
        health = local.wait_until_ready()
    show_status()
    if health is None:
        console.print("[red]The system did not become healthy; see var/log/.[/red]")
        raise typer.Exit(1)
    console.print(f"API docs: {local.GATEWAY_URL}/docs   logs: {local.ROOT / 'var' / 'log'}")
    console.print("parquet and association screens: http://127.0.0.1:8090 (accounts: tgd operators register)")
    if detach:
        console.print("Stop with: tgd down")
        return
    console.print("Running in the foreground; Ctrl-C stops everything.")
    try:
        while local.supervisor_running():
            time.sleep(2)
    except KeyboardInterrupt:
        pass
    finally:
        local.stop_supervisor()
        console.print("stopped.")


@app.command()
def down() -> None:
    """Stop every process started by ``tgd up`` (RabbitMQ keeps running)."""
    console.print("stopped." if local.stop_supervisor() else "nothing was running.")


@app.command()
def status() -> None:
    """Show each process's state and the gateway's health."""
    if not local.supervisor_running():
        console.print("The local system is not running (tgd up).")
        raise typer.Exit(1)
    raise typer.Exit(show_status())


@contracts_app.command("snapshot")
def contracts_snapshot() -> None:
    """Write JSON Schema snapshots for new model versions (never rewrites an existing one)."""
    from tgd_contracts.snapshots import write_new_snapshots

    try:
        written = write_new_snapshots()
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    console.print("written: " + (", ".join(written) if written else "nothing (all up to date)"))


@contracts_app.command("check")
def contracts_check() -> None:
    """Fail when a model's schema differs from the snapshot of its version."""
    from tgd_contracts.snapshots import stale_snapshots

    stale = stale_snapshots()
    if stale:
        console.print("[red]stale or missing snapshots:[/red] " + ", ".join(stale))
        raise typer.Exit(1)
    console.print("all snapshots match their models.")


@app.command()
def fuzz(
    cases: int = typer.Option(1000, help="How many generated requests."),
    seed: int = typer.Option(0, help="Hypothesis seed."),
    as_json: bool = typer.Option(False, "--json", help="Print only the JSON report."),
) -> None:
    """Fuzz the gateway's whole OpenAPI spec in-process (schemathesis, fake services, every role)."""
    import json

    from gateway.testing.fuzz import run_fuzz

    report = run_fuzz(cases, seed)
    summary = {k: report[k] for k in ("cases", "server_errors", "schema_violations")}
    print(json.dumps(summary if as_json else report, indent=None if as_json else 1))
    raise typer.Exit(1 if report["server_errors"] or report["schema_violations"] else 0)


contracts_cmd.register(contracts_app)
