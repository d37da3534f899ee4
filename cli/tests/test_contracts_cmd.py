"""``tgd contracts asyncapi | compat | bundle``."""

from datetime import datetime

from typer.testing import CliRunner

from tgd_cli.main import app
from tgd_contracts import asyncapi, registry
from tgd_contracts.base import Contract
from tgd_contracts.events import EventName, ServiceName

runner = CliRunner()


def test_asyncapi_writes_the_document_and_check_fails_on_a_stale_one(tmp_path):
    target = tmp_path / "asyncapi.yaml"
    assert runner.invoke(app, ["contracts", "asyncapi", "--check", "-o", str(target)]).exit_code == 1
    assert runner.invoke(app, ["contracts", "asyncapi", "-o", str(target)]).exit_code == 0
    assert target.read_text() == asyncapi.render()
    assert runner.invoke(app, ["contracts", "asyncapi", "--check", "-o", str(target)]).exit_code == 0
    target.write_text(target.read_text().replace("referral_received", "referral_recieved", 1))
    result = runner.invoke(app, ["contracts", "asyncapi", "--check", "-o", str(target)])
    assert result.exit_code == 1
    assert "tgd contracts asyncapi" in result.output


class BrokenReferralReceived(Contract):
    SCHEMA_VERSION = "1.0.1"
    referral_id: int
    received_at: datetime


def test_compat_passes_now_and_fails_on_a_breaking_patch(monkeypatch):
    assert runner.invoke(app, ["contracts", "compat"]).exit_code == 0
    monkeypatch.setitem(registry.EVENTS, EventName.REFERRAL_RECEIVED, (ServiceName.REFERRAL, BrokenReferralReceived))
    result = runner.invoke(app, ["contracts", "compat"])
    assert result.exit_code == 1
    assert "referral_id: retyped" in result.output
    assert "jurisdiction: removed" in result.output


def test_bundle_gathers_what_a_partner_needs(tmp_path):
    assert runner.invoke(app, ["contracts", "bundle", str(tmp_path / "out")]).exit_code == 0
    out = tmp_path / "out"
    assert (out / "asyncapi.yaml").read_text() == asyncapi.render()
    assert (out / "schemas" / "referral_received" / "1.0.0.json").exists()
    assert (out / "schemas" / "cloudevent_envelope" / "1.0.0.json").exists()
    assert (out / "pacts" / "association-system-tgd-referral.json").exists()
