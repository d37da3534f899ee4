"""Every model's schema matches the checked-in snapshot of its version."""

import json

import pytest

from tgd_contracts import snapshots
from tgd_contracts.referral import ReferralReceived


def test_every_model_matches_the_snapshot_of_its_version():
    stale = snapshots.stale_snapshots()
    assert stale == [], f"run `tgd contracts snapshot` after bumping SCHEMA_VERSION of: {stale}"


def test_a_changed_model_without_a_new_snapshot_is_detected(monkeypatch):
    original = snapshots.current_schema

    def changed(model):
        schema = original(model)
        if model is ReferralReceived:
            schema = {**schema, "properties": {**schema["properties"], "extra_field": {"type": "string"}}}
        return schema

    monkeypatch.setattr(snapshots, "current_schema", changed)
    assert snapshots.stale_snapshots() == ["referral_received@1.0.0"]


def test_writing_refuses_to_rewrite_an_existing_version(monkeypatch, tmp_path):
    monkeypatch.setattr(snapshots, "SCHEMA_DIR", tmp_path)
    snapshots.write_new_snapshots()
    path = tmp_path / "referral_received" / "1.0.0.json"
    path.write_text(json.dumps({"tampered": True}))
    with pytest.raises(ValueError, match=r"referral_received@1\.0\.0"):
        snapshots.write_new_snapshots()
    assert json.loads(path.read_text()) == {"tampered": True}


def test_a_version_bump_gets_its_own_snapshot(monkeypatch, tmp_path):
    monkeypatch.setattr(snapshots, "SCHEMA_DIR", tmp_path)
    snapshots.write_new_snapshots()
    monkeypatch.setattr(ReferralReceived, "SCHEMA_VERSION", "1.1.0")
    written = snapshots.write_new_snapshots()
    assert written == ["referral_received@1.1.0"]
    assert (tmp_path / "referral_received" / "1.0.0.json").exists()
