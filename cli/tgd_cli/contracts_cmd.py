"""``tgd contracts asyncapi`` and ``tgd contracts compat``: the bus document and the
backward-compatibility check (registered on the ``contracts`` sub-command by main.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import typer
from rich.console import Console

console = Console()
DEFAULT_ASYNCAPI = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.yaml"


def asyncapi(
    output: Path = typer.Option(DEFAULT_ASYNCAPI, "--output", "-o", help="Where to write the document."),
    check: bool = typer.Option(False, "--check", help="Only fail when the file differs from the contracts."),
) -> None:
    """Generate the AsyncAPI 3 document of the whole bus from the contracts package."""
    from tgd_contracts.asyncapi import render

    text = render()
    if check:
        if not output.exists() or output.read_text() != text:
            console.print(f"[red]{output} is not what the contracts generate:[/red] run `tgd contracts asyncapi`")
            raise typer.Exit(1)
        console.print(f"{output} matches the contracts.")
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text)
    console.print(f"written: {output}")


def compat() -> None:
    """Fail when a model's current schema breaks consumers of its previous snapshot
    without a MAJOR version bump."""
    from tgd_contracts.compat_snapshots import incompatible_changes

    problems = incompatible_changes()
    for problem in problems:
        console.print(f"[red]{problem}[/red]")
    if problems:
        raise typer.Exit(1)
    console.print("every contract is backward compatible with its previous version.")


def bundle(output: Path = typer.Argument(..., help="Directory to fill (created).")) -> None:
    """Everything a partner needs to integrate: the AsyncAPI document, every JSON Schema
    snapshot and the pacts, in one directory (what docs/contracts.md describes)."""
    from tgd_contracts.asyncapi import render
    from tgd_contracts.snapshots import SCHEMA_DIR

    output.mkdir(parents=True, exist_ok=True)
    (output / "asyncapi.yaml").write_text(render())
    shutil.copytree(SCHEMA_DIR, output / "schemas", dirs_exist_ok=True)
    pacts = DEFAULT_ASYNCAPI.parent / "pacts"
    if pacts.is_dir():
        shutil.copytree(pacts, output / "pacts", dirs_exist_ok=True)
    schemas = sorted(p.relative_to(output) for p in (output / "schemas").rglob("*.json"))
    console.print(f"written to {output}: asyncapi.yaml, {len(schemas)} schemas, pacts/")


def register(contracts_app: typer.Typer) -> None:
    contracts_app.command("asyncapi")(asyncapi)
    contracts_app.command("compat")(compat)
    contracts_app.command("bundle")(bundle)
