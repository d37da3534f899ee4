"""``tgd evidence``: verify and import evidence archives (docs/evidence.md).

- ``verify FILE``: intact and signed by a trusted key? Exit 0 and a summary, or exit 1
  with the reason (``part_tampered``, ``parts_mismatch``, ``bad_signature``,
  ``unknown_key``, ``malformed``).
- ``import FILE``: verify, then keep it in a local evidence store (one directory per
  archive: manifest.json, signature.json, parts/<name>.json, each still verifiable, and
  an index.jsonl line), and print what was restored.
- ``keygen``: a new signing key pair for ``TGD_EVIDENCE_SIGNING_KEY`` / ``..._TRUSTED_KEYS``.

Trusted keys: ``TGD_EVIDENCE_TRUSTED_KEYS`` and our own signing key's public half
(:mod:`tgd_servicekit.evidence_keys`), plus ``--trusted-key ID:BASE64`` options.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from tgd_contracts import evidence as ev
from tgd_servicekit import evidence_signing as sig
from tgd_servicekit.evidence_keys import EvidenceKeyError, new_key_pair, parse_trusted, trusted_keys_from_env

evidence_app = typer.Typer(help="Evidence archives: verify, import, keys (docs/evidence.md).", no_args_is_help=True)
console = Console(soft_wrap=True)  # ids and paths are not wrapped
DEFAULT_STORE = Path(__file__).resolve().parents[2] / "var" / "evidence"
TRUST_HELP = "Also trust this public key (ID:BASE64 of the raw 32-byte Ed25519 key); repeatable."


def _trusted(extra: list[str]) -> dict[str, bytes]:
    try:
        return {**trusted_keys_from_env(), **parse_trusted(",".join(extra), "--trusted-key")}
    except EvidenceKeyError as exc:
        console.print(f"[red]keys: {exc}[/red]")
        raise typer.Exit(2) from None


def _load(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        console.print(f"[red]{path}: not readable as JSON ({type(exc).__name__})[/red]")
        raise typer.Exit(1) from None


def _verified(path: Path, trusted: dict[str, bytes]) -> tuple[object, ev.EvidenceArchive]:
    data = _load(path)
    try:
        return data, sig.verify(data, trusted)
    except sig.EvidenceError as exc:
        console.print(f"[red]REFUSED[/red] {path}: {exc.reason}: {exc.message}")
        raise typer.Exit(1) from None


def _show(summary: sig.Summary) -> None:
    console.print(
        f"archive {summary.archive_id}: {summary.subject_kind} {summary.subject_id} ({summary.jurisdiction}), "
        f"exported {summary.created_at.isoformat()}, signed by {summary.key_id}"
    )
    console.print(f"trace ids: {', '.join(summary.trace_ids) or '-'}")
    table = Table()
    for column in ("part", "records", "events"):
        table.add_column(column)
    for name, records, events in summary.parts:
        table.add_row(name, str(records), str(events))
    console.print(table)


@evidence_app.command("verify")
def verify(
    file: Path = typer.Argument(..., help="An archive (JSON) exported by GET /v1/evidence/..."),
    trusted_key: list[str] = typer.Option([], "--trusted-key", help=TRUST_HELP),
) -> None:
    """Check every part's SHA-256, the manifest's signature and that the key is trusted."""
    _, archive = _verified(file, _trusted(trusted_key))
    console.print(f"[green]VALID[/green] {file}")
    _show(sig.summarise(archive))


@evidence_app.command("import")
def import_(
    file: Path = typer.Argument(..., help="An archive (JSON), ours or another operator's."),
    into: Path = typer.Option(DEFAULT_STORE, help="The local evidence store."),
    trusted_key: list[str] = typer.Option([], "--trusted-key", help=TRUST_HELP),
) -> None:
    """Verify, then restore the archive's manifest, signature and parts into the store."""
    data, archive = _verified(file, _trusted(trusted_key))
    files = sig.restore(data, _trusted(trusted_key))
    target = into / archive.manifest.archive_id
    if target.exists():
        kept = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
        if kept != files["manifest.json"]:
            console.print(f"[red]{target} holds another archive with this id: not overwritten[/red]")
            raise typer.Exit(1)
        console.print(f"already imported: {target}")
        return
    for name, content in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, ensure_ascii=False, indent=1), encoding="utf-8")
    m = archive.manifest
    line = {
        "archive_id": m.archive_id,
        "subject": m.subject.to_wire(),
        "jurisdiction": m.jurisdiction,
        "created_at": m.created_at.isoformat(),
        "key_id": m.key.key_id,
        "path": str(target),
    }
    with open(into / "index.jsonl", "a", encoding="utf-8") as index:
        index.write(json.dumps(line) + "\n")
    console.print(f"[green]IMPORTED[/green] into {target}")
    _show(sig.summarise(archive))


@evidence_app.command("keygen")
def keygen(key_id: str = typer.Option("evidence-1", help="The key's id (letters, digits, _ . -).")) -> None:
    """Print a new signing key (keep it secret) and its public half (give it to importers)."""
    signing, public = new_key_pair(key_id)
    console.print(f"TGD_EVIDENCE_SIGNING_KEY={signing}", soft_wrap=True)
    console.print(f"TGD_EVIDENCE_TRUSTED_KEYS={public}", soft_wrap=True)
