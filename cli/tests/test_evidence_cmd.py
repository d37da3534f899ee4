"""``tgd evidence verify / import / keygen`` on archives built with the development key."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from tgd_cli.main import app
from tgd_contracts import evidence as ev
from tgd_servicekit import evidence_signing as sig
from tgd_servicekit.evidence_keys import development_signing_key

runner = CliRunner()
ALERT_ID = "c" * 32
PART = f"alert-{ALERT_ID}"
FOREIGN_KEY = sig.SigningKey.from_seed("other-operator", hashlib.sha256(b"other operator (test)").digest())


@pytest.fixture(autouse=True)
def development(monkeypatch):
    for name in ("TGD_EVIDENCE_SIGNING_KEY", "TGD_EVIDENCE_TRUSTED_KEYS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TGD_ENV", "development")


def archive(key: sig.SigningKey | None = None) -> dict:
    part = ev.EvidencePart(
        service="alert",
        subject_kind=ev.SubjectKind.ALERT,
        subject_id=ALERT_ID,
        jurisdiction="tj-moulins",
        trace_ids=["4bf92f3577b34da6a3ce929d0e0e4736"],
        records={"alert": {"alert_id": ALERT_ID, "journal": [{"kind": "raised"}]}},
        events=[{"type": "fr.tgd.alert_raised"}],
        collected_at=datetime(2026, 6, 1, tzinfo=UTC),
    )
    return sig.build(
        ev.Subject(kind=ev.SubjectKind.ALERT, id=ALERT_ID),
        "tj-moulins",
        [part],
        key or development_signing_key(),
        ev.Exporter(client_id="parquet-moulins", role="prosecutor"),
        datetime(2026, 6, 2, tzinfo=UTC),
    )


def write(tmp_path, data) -> str:
    path = tmp_path / "archive.json"
    path.write_text(json.dumps(data))
    return str(path)


def test_verify_accepts_an_intact_archive(tmp_path):
    result = runner.invoke(app, ["evidence", "verify", write(tmp_path, archive())])
    assert result.exit_code == 0, result.output
    assert "VALID" in result.output
    assert PART in result.output


def test_verify_refuses_a_tampered_archive_with_its_reason(tmp_path):
    data = archive()
    data["parts"][PART]["records"]["alert"]["journal"] = []
    result = runner.invoke(app, ["evidence", "verify", write(tmp_path, data)])
    assert result.exit_code == 1
    assert "REFUSED" in result.output
    assert sig.PART_TAMPERED in result.output


def test_verify_refuses_an_unknown_key_unless_it_is_trusted(tmp_path):
    path = write(tmp_path, archive(FOREIGN_KEY))
    refused = runner.invoke(app, ["evidence", "verify", path])
    assert refused.exit_code == 1
    assert sig.UNKNOWN_KEY in refused.output
    trusted = f"{FOREIGN_KEY.key_id}:{FOREIGN_KEY.public_b64}"
    assert runner.invoke(app, ["evidence", "verify", path, "--trusted-key", trusted]).exit_code == 0


def test_verify_refuses_a_file_that_is_not_json(tmp_path):
    path = tmp_path / "junk.json"
    path.write_text("not json")
    result = runner.invoke(app, ["evidence", "verify", str(path)])
    assert result.exit_code == 1
    assert "not readable" in result.output


def test_import_restores_every_part_verifiably_and_once(tmp_path):
    data = archive()
    store = tmp_path / "store"
    result = runner.invoke(app, ["evidence", "import", write(tmp_path, data), "--into", str(store)])
    assert result.exit_code == 0, result.output
    target = store / data["manifest"]["archive_id"]
    restored = {
        "format": ev.FORMAT,
        "version": ev.VERSION,
        "manifest": json.loads((target / "manifest.json").read_text()),
        "signature": json.loads((target / "signature.json").read_text()),
        "parts": {PART: json.loads((target / "parts" / f"{PART}.json").read_text())},
    }
    assert sig.verify(restored, {development_signing_key().key_id: development_signing_key().public_raw})
    index = [json.loads(line) for line in (store / "index.jsonl").read_text().splitlines()]
    assert [(i["archive_id"], i["subject"]["id"]) for i in index] == [(data["manifest"]["archive_id"], ALERT_ID)]
    again = runner.invoke(app, ["evidence", "import", write(tmp_path, data), "--into", str(store)])
    assert again.exit_code == 0
    assert "already imported" in again.output
    assert len((store / "index.jsonl").read_text().splitlines()) == 1


def test_import_refuses_a_tampered_archive_and_stores_nothing(tmp_path):
    data = archive()
    data["manifest"]["jurisdiction"] = "tj-paris"
    store = tmp_path / "store"
    result = runner.invoke(app, ["evidence", "import", write(tmp_path, data), "--into", str(store)])
    assert result.exit_code == 1
    assert sig.BAD_SIGNATURE in result.output
    assert not store.exists()


def test_keygen_prints_a_pair_that_signs_and_verifies(tmp_path, monkeypatch):
    result = runner.invoke(app, ["evidence", "keygen", "--key-id", "op-test"])
    assert result.exit_code == 0
    lines = dict(line.split("=", 1) for line in result.output.split())
    monkeypatch.setenv("TGD_ENV", "production")
    monkeypatch.setenv("TGD_EVIDENCE_SIGNING_KEY", lines["TGD_EVIDENCE_SIGNING_KEY"])
    from tgd_servicekit.evidence_keys import signing_key_from_env

    path = write(tmp_path, archive(signing_key_from_env()))
    assert runner.invoke(app, ["evidence", "verify", path]).exit_code == 0
    assert lines["TGD_EVIDENCE_TRUSTED_KEYS"].startswith("op-test:")
