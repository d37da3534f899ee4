"""Health endpoints of a service process (tgd_servicekit.health), over real loopback HTTP."""

import subprocess
import sys

import httpx
import pytest

from tgd_servicekit.health import BrokerCheck, HealthState, probe, serve_health
from tgd_servicekit.testing.processes import BIN, free_port


class Flags:
    def __init__(self):
        self.started, self.alive, self.broker = True, True, True


@pytest.fixture
def served():
    flags = Flags()
    state = HealthState(started=lambda: flags.started, alive=lambda: flags.alive, broker=lambda: flags.broker)
    server = serve_health(state, "127.0.0.1", 0)
    yield flags, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_ready_and_live_when_started_alive_and_the_broker_answers(served):
    _, base = served
    for path in ("/health", "/health/ready"):
        response = httpx.get(base + path)
        assert (response.status_code, response.json()) == (200, {"status": "ok", "broker": "reachable"})
    assert httpx.get(base + "/health/live").json() == {"status": "ok"}


def test_not_ready_but_still_live_while_the_broker_is_unreachable(served):
    flags, base = served
    flags.broker = False
    response = httpx.get(base + "/health/ready")
    assert (response.status_code, response.json()) == (503, {"status": "degraded", "broker": "unreachable"})
    assert httpx.get(base + "/health/live").status_code == 200  # a broker outage must not restart the pod


def test_not_ready_until_the_service_has_started(served):
    flags, base = served
    flags.started = False
    response = httpx.get(base + "/health/ready")
    assert (response.status_code, response.json()) == (503, {"status": "degraded", "broker": "reachable"})


def test_neither_live_nor_ready_once_the_service_died(served):
    flags, base = served
    flags.alive = False
    assert httpx.get(base + "/health/live").status_code == 503
    assert httpx.get(base + "/health/ready").status_code == 503


def test_unknown_paths_are_not_found(served):
    _, base = served
    assert httpx.get(base + "/metrics").status_code == 404


def test_the_probe_command_exits_zero_only_when_ready(served):
    flags, base = served
    command = [sys.executable, "-m", "tgd_servicekit.health", base + "/health/ready"]
    assert subprocess.run(command, timeout=30).returncode == 0
    flags.broker = False
    assert subprocess.run(command, timeout=30).returncode == 1
    assert probe(f"http://127.0.0.1:{free_port()}/health/ready") is False  # nothing listening


def test_the_broker_check_is_false_on_a_closed_port_and_caches_its_answer(monkeypatch):
    check = BrokerCheck(f"pyamqp://guest:guest@127.0.0.1:{free_port()}//", timeout_s=1, cache_s=60)
    assert check() is False
    calls = []
    monkeypatch.setattr(check, "_probe", lambda: calls.append(1) or True)
    assert check() is False
    assert calls == []
    check._last = None
    assert check() is True
    assert calls == [1]


def test_the_broker_check_is_true_on_the_real_broker(vhost_uri):
    assert BrokerCheck(vhost_uri)() is True


def test_tgd_service_needs_a_service_name():
    result = subprocess.run(
        [str(BIN / "tgd-service")], capture_output=True, text=True, timeout=60, env={"PATH": str(BIN)}
    )
    assert result.returncode == 2
    assert "TGD_SERVICE" in result.stderr
