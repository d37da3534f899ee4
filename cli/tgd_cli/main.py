"""``tgd``: run and operate the system (typer + rich). The development tooling (fault
suite, benchmarks, demo seed, fuzzing) is ``tgd-dev`` (``dev/``), which no image ships."""

from __future__ import annotations

import os
import time

import typer
from rich.console import Console
from rich.table import Table

from tgd_cli import broker, clients, contracts_cmd, local, local_database, operators, slo_cmd, stats_cmd
from tgd_cli.alert_cmd import alert_app
from tgd_cli.audit_cmd import audit_app
from tgd_cli.deadletters import deadletters_app
from tgd_cli.evidence import evidence_app
from tgd_cli.handover import handover_app
from tgd_cli.keys import keys_app
from tgd_cli.migrate_cmd import migrate_app

app = typer.Typer(help="Téléphone Grave Danger: run and operate the system.", no_args_is_help=True)
contracts_app = typer.Typer(help="The contracts package (schemas of every message).", no_args_is_help=True)
app.add_typer(contracts_app, name="contracts")
app.add_typer(keys_app, name="keys")
app.add_typer(deadletters_app, name="deadletters")
app.add_typer(clients.app, name="clients")
app.add_typer(operators.app, name="operators")
app.add_typer(broker.app, name="broker")
app.add_typer(evidence_app, name="evidence")
app.add_typer(handover_app, name="handover")
app.add_typer(alert_app, name="alert")
app.add_typer(audit_app, name="audit")
slo_cmd.register(app)
app.add_typer(migrate_app, name="migrate")
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
    database_ok, database_line = local_database.describe(local.RUN_DIR)
    console.print(database_line if database_ok else f"[red]{database_line}[/red]")
    health = local.gateway_health()
    if health is None:
        console.print(f"gateway {local.GATEWAY_URL}: [red]not answering[/red]")
    else:
        console.print(f"gateway {local.GATEWAY_URL}: {health}")
    return 0 if local.all_running(rows) and health and database_ok else 1


@app.command()
def up(
    detach: bool = typer.Option(
        False, "--detach", "-d", help="Return once started instead of staying in the foreground."
    ),
) -> None:
    """Start RabbitMQ (if needed), the durable local store (var/store; not when MONGODB_URI
    names another database), every service and the gateway on this machine."""
    database = local_database.choose(dict(os.environ), local.ROOT)
    local.ensure_rabbitmq()
    if not local.supervisor_running():  # nothing of ours runs: the RPC queues of an earlier version can go
        try:
            local.prepare_rpc_queues(os.environ.get("AMQP_URI", "pyamqp://guest:guest@127.0.0.1:5672/"))
        except (RuntimeError, OSError) as exc:  # RpcQueueMismatch: another system's services read them
            console.print(f"[red]RPC queues: {exc}[/red]")
            raise typer.Exit(1) from None
    try:
        with console.status("starting the local store and waiting until it answers..."):
            local.start_supervisor(database)
    except RuntimeError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    with console.status("waiting for every process to run and the gateway to report healthy..."):
        health = local.wait_until_ready()
    show_status()
    if health is None:
        console.print("[red]The system did not become healthy; see var/log/.[/red]")
        raise typer.Exit(1)
    console.print(f"API docs: {local.GATEWAY_URL}/docs   logs: {local.ROOT / 'var' / 'log'}")
    screens = local.console_url()
    console.print(
        f"operator console: {screens}/regulation; parquet and association: {screens} (accounts: tgd operators register)"
    )
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
        down(timeout=120.0)


@app.command()
def down(
    timeout: float = typer.Option(120.0, "--timeout", min=1, help="Seconds to wait for every process to exit."),
) -> None:
    """Stop every process started by ``tgd up`` and wait until each one has exited, the
    local store last (RabbitMQ keeps running)."""
    try:
        with console.status("stopping every process and waiting until each one has exited..."):
            stopped = local.stop_supervisor(timeout)
    except TimeoutError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    console.print("stopped: every process has exited." if stopped else "nothing was running.")


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


contracts_cmd.register(contracts_app)
