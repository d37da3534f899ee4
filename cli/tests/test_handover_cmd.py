"""``tgd handover keygen / export / import``: a court exported through the gateway (fake
services) and imported by the receiving operator; a tampered, wrong-court or wrongly
addressed archive is refused and changes nothing; importing twice changes nothing."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from gateway.main import create_app
from gateway.settings import Settings
from tgd_cli import session
from tgd_cli.main import app
from tgd_servicekit.handover_keys import load_private_key, parse_recipients
from tgd_testkit.fake_services import FakeServices
from tgd_testkit.tokens import auth_headers

runner = CliRunner()
COURT = "tj-moulins"


@pytest.fixture(autouse=True)
def development(monkeypatch):
    for name in ("TGD_EVIDENCE_SIGNING_KEY", "TGD_EVIDENCE_TRUSTED_KEYS", "TGD_HANDOVER_RECIPIENT_KEYS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TGD_ENV", "development")


@pytest.fixture
def receiver(tmp_path) -> tuple[Path, str]:
    """The receiving operator's key file and the public line it gives the exporter."""
    key_file = tmp_path / "receiver" / "handover.key"
    result = runner.invoke(app, ["handover", "keygen", "--recipient", "operateur-b", "--key-file", str(key_file)])
    assert result.exit_code == 0, result.output
    line = next(w for w in result.output.split() if w.startswith("TGD_HANDOVER_RECIPIENT_KEYS="))
    return key_file, line.split("=", 1)[1]


@pytest.fixture
def exported(tmp_path, receiver, monkeypatch) -> Path:
    """An archive of COURT exported with ``tgd handover export`` through an in-process gateway."""
    _, public = receiver
    gateway = create_app(
        Settings(data_dir=tempfile.mkdtemp(prefix="tgd-handover-cli-")), rpc=FakeServices(lambda object_id: COURT)
    )
    gateway.state.handover_recipients = parse_recipients(public)
    monkeypatch.setattr(session, "client", lambda url: TestClient(gateway, raise_server_exceptions=False))
    monkeypatch.setattr(session, "headers_for", lambda *a: auth_headers("prosecutor", COURT))
    out = tmp_path / "court.json"
    result = runner.invoke(app, ["handover", "export", "--court", COURT, "--recipient", "operateur-b",
                                 "--reason", "reprise:convention-2026", "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "EXPORTED" in result.output
    assert "2 measures" in result.output
    return out


def import_(path: Path, key_file: Path, store: Path, court: str = COURT):
    return runner.invoke(app, ["handover", "import", str(path), "--court", court, "--key-file", str(key_file),
                               "--into", str(store), "--no-restore"])  # fmt: skip


def snapshot(store: Path) -> dict[str, bytes]:
    return {str(p.relative_to(store)): p.read_bytes() for p in sorted(store.rglob("*")) if p.is_file()}


def test_keygen_writes_a_private_key_only_its_owner_reads(receiver):
    key_file, public = receiver
    assert oct(os.stat(key_file).st_mode & 0o777) == "0o600"
    load_private_key(key_file.read_text())
    assert public.startswith("operateur-b:")
    again = runner.invoke(app, ["handover", "keygen", "--recipient", "operateur-b", "--key-file", str(key_file)])
    assert again.exit_code == 2
    assert "not overwritten" in again.output


def test_round_trip_and_a_second_import_changes_nothing(exported, receiver, tmp_path):
    key_file, _ = receiver
    store = tmp_path / "store"
    first = import_(exported, key_file, store)
    assert first.exit_code == 0, first.output
    assert "IMPORTED" in first.output
    assert "court tj-moulins, 2 measures, 2 devices" in first.output
    [line] = (store / "index.jsonl").read_text().splitlines()
    entry = json.loads(line)
    assert entry["jurisdiction"] == COURT
    assert len(entry["referral_ids"]) == 2
    kept = json.loads((Path(entry["path"]) / "archive.json").read_text())
    assert kept == json.loads(exported.read_text())  # kept as received: still sealed, still verifiable
    assert "Marque Fictive" not in first.output + line  # nothing of the content printed or indexed
    before = snapshot(store)
    second = import_(exported, key_file, store)
    assert second.exit_code == 0
    assert "already imported" in second.output
    assert snapshot(store) == before


def test_a_tampered_archive_is_refused_and_changes_nothing(exported, receiver, tmp_path):
    key_file, _ = receiver
    data = json.loads(exported.read_text())
    text = data["sealed"]["ciphertext"]
    data["sealed"]["ciphertext"] = ("A" if text[5] != "A" else "B").join((text[:5], text[6:]))
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data))
    store = tmp_path / "store"
    result = import_(tampered, key_file, store)
    assert result.exit_code == 1
    assert "REFUSED" in result.output
    assert "part_tampered" in result.output
    assert not store.exists()


def test_a_changed_manifest_is_refused(exported, receiver, tmp_path):
    key_file, _ = receiver
    data = json.loads(exported.read_text())
    data["manifest"]["jurisdiction"] = "tj-cusset"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data))
    result = import_(changed, key_file, tmp_path / "store", court="tj-cusset")
    assert result.exit_code == 1
    assert "bad_signature" in result.output
    assert not (tmp_path / "store").exists()


def test_an_archive_of_another_court_is_refused(exported, receiver, tmp_path):
    key_file, _ = receiver
    store = tmp_path / "store"
    result = import_(exported, key_file, store, court="tj-cusset")
    assert result.exit_code == 1
    assert "wrong_court" in result.output
    assert not store.exists()


def test_an_archive_sealed_for_another_operator_is_refused(exported, tmp_path):
    other = tmp_path / "other.key"
    assert runner.invoke(app, ["handover", "keygen", "--recipient", "x", "--key-file", str(other)]).exit_code == 0
    result = import_(exported, other, tmp_path / "store")
    assert result.exit_code == 1
    assert "cannot_open" in result.output
    assert not (tmp_path / "store").exists()


def test_an_export_the_gateway_refuses_writes_no_file(receiver, tmp_path, monkeypatch):
    gateway = create_app(
        Settings(data_dir=tempfile.mkdtemp(prefix="tgd-handover-cli-")), rpc=FakeServices(lambda object_id: COURT)
    )
    monkeypatch.setattr(session, "client", lambda url: TestClient(gateway, raise_server_exceptions=False))
    monkeypatch.setattr(session, "headers_for", lambda *a: auth_headers("prosecutor", COURT))
    out = tmp_path / "court.json"
    result = runner.invoke(app, ["handover", "export", "--court", COURT, "--recipient", "operateur-b",
                                 "--reason", "reprise", "--out", str(out)])  # fmt: skip
    assert result.exit_code == 1
    assert "invalid_request" in result.output
    assert not out.exists()


def test_an_unreachable_gateway_is_a_clear_refusal(tmp_path):
    out = tmp_path / "court.json"
    args = ["handover", "export", "--court", COURT, "--recipient", "operateur-b", "--reason", "reprise"]
    args += ["--out", str(out), "--gateway", "http://127.0.0.1:9", "--client-id", "x", "--client-secret", "y"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "could not be asked" in result.output
    assert not out.exists()
