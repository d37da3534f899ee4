"""``tgd deadletters``: see and replay what consumers could not handle."""

from __future__ import annotations

import os

import typer
from rich.console import Console
from rich.table import Table

deadletters_app = typer.Typer(help="Dead letters (tgd.dead-letters): list and replay.", no_args_is_help=True)
console = Console()
AMQP = typer.Option(os.environ.get("AMQP_URI", "pyamqp://guest:guest@127.0.0.1:5672/"), help="Broker.")


@deadletters_app.command("list")
def list_command(amqp_uri: str = AMQP, limit: int = typer.Option(1000, help="At most this many.")) -> None:
    """Where each dead letter came from and why (never its content)."""
    from tgd_servicekit.deadletters import list_dead_letters

    letters = list_dead_letters(amqp_uri, limit)
    table = Table(title=f"{len(letters)} dead letter(s)")
    for column in ("message id", "event type", "queue", "reason", "died at", "bytes"):
        table.add_column(column)
    for letter in letters:
        table.add_row(
            letter.message_id, letter.event_type, letter.queue, letter.reason, letter.died_at, str(letter.size)
        )
    console.print(table)


@deadletters_app.command("replay")
def replay_command(
    message_ids: list[str] = typer.Argument(None, help="Ids to replay (see `list`); none with --all."),
    replay_all: bool = typer.Option(False, "--all", help="Replay every dead letter."),
    amqp_uri: str = AMQP,
) -> None:
    """Send dead letters back to the queue they died in (after the cause is fixed)."""
    from tgd_servicekit.deadletters import replay

    if not message_ids and not replay_all:
        console.print("[red]name message ids or use --all[/red]")
        raise typer.Exit(2)
    replayed = replay(amqp_uri, None if replay_all else set(message_ids))
    for letter in replayed:
        console.print(f"replayed {letter.message_id} ({letter.event_type}) to {letter.queue}")
    console.print(f"{len(replayed)} replayed.")
