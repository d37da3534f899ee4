"""``tgd migrate alert-records``: rewrite the alert service's stored records in their
current layout (her personal part sealed as one blob, the rest plain; see
``alert.repository.record_layout``), batch after batch, through the running alert service (it holds
the field keys). Idempotent and resumable: converted records are skipped, and
``--after`` starts after the last id a previous run printed."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import typer
from rich.console import Console

#: the queue of the alert service's own ``alert_raised`` (it fetched the dossier at alert
#: time): no longer consumed since ``dossier_changed`` refreshes the copy; left alone it
#: would only fill up with copies nobody reads
ORPHAN_QUEUES = ("evt-alert-alert_raised--alert.on_alert_raised",)

migrate_app = typer.Typer(help="Migrate stored data to its current layout.", no_args_is_help=True)
console = Console()


def run_batches(call: Callable[[int, str | None], dict[str, Any]], batch: int, after: str | None) -> dict[str, Any]:
    """Call ``migrate_records`` batch after batch; another pass from the start while a
    pass converted something and records are left (changed meanwhile: a conflict)."""
    totals: dict[str, Any] = {"converted": 0, "resealed": 0, "conflicts": 0, "failed": [], "remaining": 0}
    while True:
        progress, failed = 0, []
        while True:
            run = call(batch, after)
            for key in ("converted", "resealed", "conflicts"):
                totals[key] += run[key]
            progress += run["converted"] + run["resealed"]
            failed += run["failed"]
            totals["remaining"] = run["remaining"]
            if run["last"] is None:
                break
            after = run["last"]
            console.print(f"… {totals['converted']} converted, {totals['resealed']} resealed; last id {after}")
        totals["failed"] = failed
        if not totals["remaining"] or not progress:
            return totals
        after = None


def drop_orphan_queues(amqp_uri: str) -> list[str]:
    """Delete the queues the alert service no longer consumes (those that exist)."""
    from amqp.exceptions import NotFound
    from kombu import Connection

    dropped = []
    with Connection(amqp_uri) as conn:
        for name in ORPHAN_QUEUES:
            channel = conn.channel()
            try:
                channel.queue_declare(name, passive=True)
            except NotFound:
                continue  # never declared here (the channel is closed by the error)
            channel.queue_delete(name)
            dropped.append(name)
            channel.close()
    return dropped


@migrate_app.command("alert-records")
def alert_records(
    amqp_uri: str = typer.Option(os.environ.get("AMQP_URI", "pyamqp://guest:guest@127.0.0.1:5672/"), help="Broker."),
    batch: int = typer.Option(200, min=1, max=1000, help="Records per call."),
    after: str | None = typer.Option(None, help="Resume after this alert id (printed by an interrupted run)."),
    timeout: float = typer.Option(120, help="Seconds to wait for each batch."),
) -> None:
    """Convert the alert records of the earlier layout (sealed leaf by leaf) and reseal
    those under an old key. Safe while the system runs: each record is converted by one
    conditional update, and a record changed meanwhile is converted by its own change."""
    from nameko import config
    from nameko.standalone.rpc import ClusterRpcClient

    with config.patch({"AMQP_URI": amqp_uri}), ClusterRpcClient(timeout=timeout) as cluster:
        totals = run_batches(lambda size, start: cluster.alert.migrate_records(size, start), batch, after)
    dropped = drop_orphan_queues(amqp_uri)
    if dropped:
        console.print(f"deleted the queue(s) no longer consumed: {', '.join(dropped)}", soft_wrap=True)
    console.print(
        f"alert records: {totals['converted']} converted, {totals['resealed']} resealed, "
        f"{totals['remaining']} left ({len(totals['failed'])} could not be opened: missing key?)",
        soft_wrap=True,
    )
    raise typer.Exit(1 if totals["remaining"] else 0)
