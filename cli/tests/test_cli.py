"""The tgd command line, with the local-system functions replaced (no processes started)."""

import pytest
from typer.testing import CliRunner

from tgd_cli import local, local_database
from tgd_cli.main import app

runner = CliRunner()
HEALTHY = {"status": "ok", "broker": "reachable"}


@pytest.fixture
def fake_system(monkeypatch):
    state = {"supervisor": False, "rows": [("gateway", "RUNNING", "pid 1"), ("referral", "RUNNING", "pid 2")]}
    calls = []
    monkeypatch.setattr(local, "ensure_rabbitmq", lambda: calls.append("rabbitmq"))
    monkeypatch.setattr(local, "prepare_rpc_queues", lambda uri: calls.append("rpc-queues"))
    monkeypatch.setattr(
        local, "start_supervisor", lambda database: calls.append(("start", database)) or state.update(supervisor=True)
    )
    monkeypatch.setattr(local_database, "describe", lambda run_dir: (True, "database: local store (fake)"))
    monkeypatch.delenv("MONGODB_URI", raising=False)

    def stop(timeout_s=120):
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
    assert calls[:2] == ["rabbitmq", "rpc-queues"]  # the RPC queues as this version declares them, first
    assert calls[2][0] == "start"
    assert calls[2][1].local
    assert "referral" in result.output
    assert "local store" in result.output
    assert "RUNNING" in result.output
    assert "tgd down" in result.output


def test_up_fails_visibly_when_the_system_does_not_become_healthy(fake_system, monkeypatch):
    monkeypatch.setattr(local, "wait_until_ready", lambda: None)
    result = runner.invoke(app, ["up", "--detach"])
    assert result.exit_code == 1
    assert "did not become healthy" in result.output


def test_up_stops_with_the_reason_when_the_rpc_queues_cannot_be_replaced(fake_system, monkeypatch):
    from tgd_servicekit.rpc_queues import RpcQueueMismatch

    def refuse(uri):
        raise RpcQueueMismatch("rpc-alert was declared by an earlier version and 1 consumer(s) still read it")

    monkeypatch.setattr(local, "prepare_rpc_queues", refuse)
    result = runner.invoke(app, ["up", "--detach"])
    assert result.exit_code == 1
    assert "earlier version" in result.output
    assert not any(isinstance(c, tuple) for c in fake_system[1])  # nothing started


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
    assert "every process has exited" in runner.invoke(app, ["down"]).output
    assert "nothing was running" in runner.invoke(app, ["down"]).output


def test_up_with_a_mongodb_uri_does_not_use_the_local_store(fake_system, monkeypatch):
    _state, calls = fake_system
    monkeypatch.setenv("MONGODB_URI", "mongodb://db.example.invalid:27017/?replicaSet=rs0")
    assert runner.invoke(app, ["up", "--detach"]).exit_code == 0
    database = calls[2][1]
    assert not database.local
    assert database.env == {}


def test_up_fails_clearly_when_the_store_does_not_answer(fake_system, monkeypatch):
    def no_store(database):
        raise RuntimeError(
            "the local store (mongodb://127.0.0.1:27117/) exited before answering; see var/log/store.log"
        )

    monkeypatch.setattr(local, "start_supervisor", no_store)
    result = runner.invoke(app, ["up", "--detach"])
    assert result.exit_code == 1
    assert "store.log" in result.output


def test_down_reports_processes_that_do_not_exit(fake_system, monkeypatch):
    state, _ = fake_system
    state["supervisor"] = True

    def stuck(timeout_s):
        raise TimeoutError(f"still running {timeout_s:.0f} s after the shutdown: store (pid 42)")

    monkeypatch.setattr(local, "stop_supervisor", stuck)
    result = runner.invoke(app, ["down", "--timeout", "3"])
    assert result.exit_code == 1
    assert "store (pid 42)" in result.output


def test_status_fails_when_the_store_does_not_answer(fake_system, monkeypatch):
    state, _ = fake_system
    state["supervisor"] = True
    monkeypatch.setattr(local_database, "describe", lambda run_dir: (False, "database: local store: NOT ANSWERING"))
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 1
    assert "NOT ANSWERING" in result.output


def test_contracts_check_passes_on_the_checked_in_snapshots():
    result = runner.invoke(app, ["contracts", "check"])
    assert result.exit_code == 0, result.output


def test_all_running_needs_every_process_running():
    assert local.all_running([("a", "RUNNING", ""), ("b", "RUNNING", "")])
    assert not local.all_running([("a", "RUNNING", ""), ("b", "STARTING", "")])
    assert not local.all_running([])


def test_the_store_counts_in_all_running_only_when_the_system_uses_it(tmp_path, monkeypatch):
    monkeypatch.setattr(local, "RUN_DIR", tmp_path)
    rows = [("store", "STOPPED", ""), ("alert", "RUNNING", "")]
    local_database.remember(local_database.choose({}, tmp_path), tmp_path)
    assert not local.all_running(rows)
    local_database.remember(local_database.choose({"MONGODB_URI": "mongodb://db.invalid/"}, tmp_path), tmp_path)
    assert local.all_running(rows)
    assert "mongodb://db.invalid" not in (tmp_path / "database.json").read_text()  # it may hold a password


def test_the_supervised_processes_get_the_local_store_uri(tmp_path):
    env = local.supervisor_env({"PATH": "/bin"}, local_database.choose({"TGD_STORE_PORT": "28003"}, tmp_path))
    assert env["MONGODB_URI"] == "mongodb://127.0.0.1:28003/?directConnection=true"
    assert env["TGD_STORE_PORT"] == "28003"  # what tgd-store listens on


def test_a_store_that_exited_once_is_a_failed_start():
    assert local._store_failed([("store", "BACKOFF", "Exited too quickly")])
    assert local._store_failed([("store", "FATAL", "")])
    assert not local._store_failed([("store", "STARTING", ""), ("alert", "FATAL", "")])
