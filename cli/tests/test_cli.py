"""The tgd command line, with the local-system functions replaced (no processes started)."""

import pytest
from typer.testing import CliRunner

from tgd_cli import local
from tgd_cli.main import app

runner = CliRunner()
HEALTHY = {"status": "ok", "broker": "reachable"}


@pytest.fixture
def fake_system(monkeypatch):
    state = {"supervisor": False, "rows": [("gateway", "RUNNING", "pid 1"), ("referral", "RUNNING", "pid 2")]}
    calls = []
    monkeypatch.setattr(local, "ensure_rabbitmq", lambda: calls.append("rabbitmq"))
    monkeypatch.setattr(local, "start_supervisor", lambda: calls.append("start") or state.update(supervisor=True))

    def stop():
        calls.append("stop")
        was = state["supervisor"]
        state["supervisor"] = False
        return was

    monkeypatch.setattr(local, "stop_supervisor", stop)
    monkeypatch.setattr(local, "supervisor_running", lambda: state["supervisor"])
    monkeypatch.setattr(local, "process_status", lambda: state["rows"])
    monkeypatch.setattr(local, "gateway_health", lambda: HEALTHY)
    monkeypatch.setattr(local, "wait_until_ready", lambda: HEALTHY)
    return state, calls


def test_up_detached_starts_broker_then_processes_and_shows_status(fake_system):
    _state, calls = fake_system
    result = runner.invoke(app, ["up", "--detach"])
    assert result.exit_code == 0, result.output
    assert calls == ["rabbitmq", "start"]
    assert "referral" in result.output
    assert "RUNNING" in result.output
    assert "tgd down" in result.output


def test_up_fails_visibly_when_the_system_does_not_become_healthy(fake_system, monkeypatch):
    monkeypatch.setattr(local, "wait_until_ready", lambda: None)
    result = runner.invoke(app, ["up", "--detach"])
    assert result.exit_code == 1
    assert "did not become healthy" in result.output


def test_status_when_not_running(fake_system):
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 1
    assert "not running" in result.output


def test_status_reports_a_crashed_process_as_failure(fake_system):
    state, _ = fake_system
    state["supervisor"] = True
    state["rows"] = [("gateway", "RUNNING", ""), ("referral", "BACKOFF", "exited too quickly")]
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 1
    assert "BACKOFF" in result.output


def test_down_stops_what_runs(fake_system):
    state, _calls = fake_system
    state["supervisor"] = True
    assert "stopped" in runner.invoke(app, ["down"]).output
    assert "nothing was running" in runner.invoke(app, ["down"]).output


def test_contracts_check_passes_on_the_checked_in_snapshots():
    result = runner.invoke(app, ["contracts", "check"])
    assert result.exit_code == 0, result.output


def test_all_running_needs_every_process_running():
    assert local.all_running([("a", "RUNNING", ""), ("b", "RUNNING", "")])
    assert not local.all_running([("a", "RUNNING", ""), ("b", "STARTING", "")])
    assert not local.all_running([])
