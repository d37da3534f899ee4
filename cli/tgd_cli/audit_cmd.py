"""``tgd audit verify``: check an access log (journal des accès) offline, from a copy of
its file and of its anchored head: every entry's hash chain and MAC, and that the log is
not shorter than its head (truncation), with the gateway's audit key
(``TGD_GATEWAY_AUDIT_KEY``, or ``--key-file``)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer

audit_app = typer.Typer(help="The gateway's access log (journal des accès).", no_args_is_help=True)


def _entries(path: Path):
    """The log's entries; a last line cut short by a crash mid-append (no newline) is not one."""
    from gateway.auth.audit import committed_lines

    with open(path) as lines:
        for number, line in enumerate(committed_lines(lines), 1):
            try:
                yield json.loads(line)
            except ValueError:
                yield {"seq": f"unreadable line {number}"}


@audit_app.command("verify")
def verify(
    log: Path = typer.Argument(..., exists=True, dir_okay=False, help="audit.jsonl"),
    anchor: Path | None = typer.Option(None, help="The anchored head (default: audit.head.json beside the log)."),
    key_file: Path | None = typer.Option(None, help="A file holding the audit key (else $TGD_GATEWAY_AUDIT_KEY)."),
    development: bool = typer.Option(False, help="Use the development key (a development log only)."),
) -> None:
    """Exit 0 when the log is intact, 1 with the first broken sequence number otherwise."""
    from gateway.auth.audit import DEVELOPMENT_KEY, read_head
    from gateway.auth.audit_chain import check_log

    if key_file is not None:
        key = key_file.read_text().strip().encode()
    elif os.environ.get("TGD_GATEWAY_AUDIT_KEY"):
        key = os.environ["TGD_GATEWAY_AUDIT_KEY"].encode()
    elif development:
        key = DEVELOPMENT_KEY
    else:
        typer.echo("no key: set TGD_GATEWAY_AUDIT_KEY, or --key-file, or --development", err=True)
        raise typer.Exit(2)
    head = read_head(anchor or log.with_suffix(".head.json"))
    finding = check_log(_entries(log), key, head)
    if finding.intact:
        typer.echo(json.dumps({"intact": True, "entries": finding.entries, "head_seq": head and head.get("seq")}))
        return
    typer.echo(json.dumps({"intact": False, "first_broken_seq": finding.first_broken_seq, "problem": finding.problem}))
    raise typer.Exit(1)
