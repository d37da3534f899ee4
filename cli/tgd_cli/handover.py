"""``tgd handover``: hand a court over to another teleassistance operator (docs/handover.md).

- ``keygen --recipient ID``: run by the RECEIVING operator: a key pair; it keeps the
  private half (a file, for ``import --key-file``) and gives the exporter the public
  half, which goes into the exporter's ``TGD_HANDOVER_RECIPIENT_KEYS``;
- ``export --court C --recipient ID --reason ... --out FILE``: asks the gateway
  (``POST /v1/handovers``) as the court's parquet, and writes the signed, sealed archive;
- ``import FILE --court C --key-file K``: run by the receiving operator: verifies the
  signature, the sealed block's hash and the court BEFORE decrypting; then opens the
  content in memory and checks it is the manifest's; only then keeps the archive (still
  sealed) in its hand-over store with an index line (ids and counts); then restores the
  court's terminals and each measure into this platform's services over its broker
  (:mod:`tgd_cli.handover_restore`; ``--no-restore``: keep only). A refused archive
  changes nothing; importing the same archive again changes nothing either.

Nothing here prints or logs the content: only ids, counts and reasons.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import httpx
import typer
from rich.console import Console

from tgd_cli import handover_restore as restored
from tgd_cli import local, session
from tgd_cli.evidence import _trusted
from tgd_contracts import handover as ho
from tgd_servicekit import handover_signing as hos
from tgd_servicekit.handover_keys import HandoverKeyError, load_private_key, new_recipient_pair

handover_app = typer.Typer(help="Hand a court over to another operator: export, import, keys.", no_args_is_help=True)
console = Console(soft_wrap=True)
DEFAULT_STORE = Path(__file__).resolve().parents[2] / "var" / "handover"
TRUST_HELP = "Also trust this exporter's public signing key (ID:BASE64); repeatable."


def _refuse(message: str, code: int = 1) -> typer.Exit:
    console.print(f"[red]REFUSED[/red] {message}")
    return typer.Exit(code)


@handover_app.command("keygen")
def keygen(
    recipient: str = typer.Option(..., help="This (receiving) operator's id, e.g. 'operateur-b'."),
    key_file: Path = typer.Option(..., "--key-file", help="Where to write the private key (mode 600; keep it)."),
) -> None:
    """A key pair for receiving hand-overs: the private key to a file, the public line printed."""
    if key_file.exists():
        raise _refuse(f"{key_file} exists: not overwritten", 2)
    private, public = new_recipient_pair(recipient)
    key_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(private + "\n")
    console.print(f"private key written to {key_file}")
    console.print(f"give the exporting operator: TGD_HANDOVER_RECIPIENT_KEYS={public}")


@handover_app.command("export")
def export(
    court: str = typer.Option(..., "--court", help="The court (jurisdiction code) handed over."),
    recipient: str = typer.Option(..., help="The receiving operator's id (configured on the gateway)."),
    reason: str = typer.Option(..., help="The access reason: reprise:<reference of the convention> (access log)."),
    out: Path = typer.Option(..., "--out", help="The archive file to write."),
    gateway: str | None = typer.Option(None, "--gateway", help="Gateway URL (default: the local one)."),
    data_dir: Path | None = typer.Option(None, "--data-dir", help="The gateway's data dir (demo clients)."),
    client_id: str | None = typer.Option(None, help="The court's parquet client id (or TGD_CLIENT_ID)."),
    client_secret: str | None = typer.Option(None, help="Its secret (or TGD_CLIENT_SECRET)."),
) -> None:
    """Export a court's measures in progress, dossiers and devices, signed and sealed for ``recipient``."""
    if out.exists():
        raise _refuse(f"{out} exists: not overwritten", 2)
    with session.client(gateway or local.GATEWAY_URL) as http:
        try:
            headers = session.headers_for(http, "prosecutor", court, data_dir, client_id, client_secret)
            response = http.post(
                "/v1/handovers",
                json={"jurisdiction": court, "recipient": recipient},
                headers={**headers, "X-Access-Reason": reason, "Idempotency-Key": os.urandom(8).hex()},
                timeout=300,
            )
        except (session.GatewayError, OSError, httpx.HTTPError) as exc:
            raise _refuse(f"the gateway could not be asked: {type(exc).__name__}: {exc}") from None
    if response.status_code != 200:
        error = response.json() if "json" in response.headers.get("content-type", "") else {}
        raise _refuse(f"the gateway answered {response.status_code}: {error.get('error')}: {error.get('message')}")
    archive = response.json()
    out.write_text(json.dumps(archive, ensure_ascii=False), encoding="utf-8")
    m = archive["manifest"]
    console.print(f"[green]EXPORTED[/green] {out}: court {m['jurisdiction']}, {m['counts']['measures']} measures, "
                  f"{m['counts']['devices']} devices, sealed for {m['recipient']['id']}")  # fmt: skip


def _load(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise _refuse(f"{path}: not readable as JSON ({type(exc).__name__})") from None


def checked(
    data: Any, court: str, key_file: Path, trusted: dict[str, bytes]
) -> tuple[ho.HandoverArchive, ho.HandoverContent]:
    """Verify (signature, hash, court), then open in memory and check the content."""
    try:
        private = load_private_key(key_file.read_text(encoding="utf-8"))
    except (OSError, HandoverKeyError) as exc:
        raise _refuse(f"key file {key_file}: {exc}", 2) from None
    try:
        archive = hos.verify(data, trusted, court)
        content = hos.open_content(archive, private)  # in memory only: the store keeps it sealed
    except hos.HandoverError as exc:
        raise _refuse(f"{exc.reason}: {exc.message}") from None
    return archive, content


@handover_app.command("import")
def import_(
    file: Path = typer.Argument(..., help="A hand-over archive."),
    court: str = typer.Option(..., "--court", help="The court this operator takes over."),
    key_file: Path = typer.Option(..., "--key-file", help="This operator's private key (from keygen)."),
    into: Path = typer.Option(DEFAULT_STORE, help="This operator's hand-over store."),
    trusted_key: list[str] = typer.Option([], "--trusted-key", help=TRUST_HELP),
    restore: bool = typer.Option(True, help="Load the measures into this platform's services (over AMQP_URI)."),
    amqp_uri: str = typer.Option(os.environ.get("AMQP_URI", "pyamqp://guest:guest@127.0.0.1:5672/"), help="Broker."),
) -> None:
    """Verify and keep a hand-over archive, then restore its measures into this platform's
    services; a refused archive changes nothing; a second import neither."""
    data = _load(file)
    archive, content = checked(data, court, key_file, _trusted(trusted_key))
    _keep(data, archive, into)
    if restore:
        try:
            with restored.broker_call(amqp_uri) as call:
                _restore(call, content)
        except restored.Refused as exc:  # the archive is kept: run the import again once it is back
            raise _refuse(f"{exc}: nothing restored") from None


def _restore(call: restored.Call, content: ho.HandoverContent) -> None:
    report = restored.restore(call, content)
    console.print(f"terminals: {report.terminals.get('restored', 0)} restored, "
                  f"{report.terminals.get('unchanged', 0)} already here")  # fmt: skip
    console.print(f"measures: {len(report.restored)} restored, {len(report.unchanged)} already here, "
                  f"{len(report.refused)} refused")  # fmt: skip
    for referral_id, reason in sorted(report.refused.items()):
        console.print(f"[red]REFUSED[/red] measure {referral_id}: {reason} (nothing written for it)")
    if report.refused:
        raise typer.Exit(1)


def _keep(data: Any, archive: ho.HandoverArchive, into: Path) -> None:
    m = archive.manifest
    target = into / m.archive_id
    if target.exists():
        kept = _load(target / "archive.json")
        if kept != data:
            raise _refuse(f"{target} holds another archive with this id: not overwritten")
        console.print(f"already imported: {target} (nothing changed)")
        return
    into.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".importing-", dir=into))
    (staging / "archive.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    staging.rename(target)  # atomic: the store holds the whole archive or nothing
    s = hos.summarise(archive)
    line = {"archive_id": s.archive_id, "jurisdiction": s.jurisdiction, "created_at": s.created_at.isoformat(),
            "key_id": s.key_id, "recipient": s.recipient, "measures": s.measures, "devices": s.devices,
            "referral_ids": m.referral_ids, "path": str(target)}  # fmt: skip
    with open(into / "index.jsonl", "a", encoding="utf-8") as index:
        index.write(json.dumps(line) + "\n")
    console.print(f"[green]IMPORTED[/green] {s.archive_id}: court {s.jurisdiction}, {s.measures} measures, "
                  f"{s.devices} devices, {s.parts} parts, signed by {s.key_id}, kept sealed in {target}")  # fmt: skip
