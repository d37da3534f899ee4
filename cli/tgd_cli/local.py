"""Running the whole system on one machine: RabbitMQ, then supervisord with the
process definitions of ``deploy/local/supervisord.conf``."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import httpx

ROOT = Path(os.environ.get("TGD_HOME", Path(__file__).resolve().parents[2]))
SUPERVISOR_CONF = ROOT / "deploy" / "local" / "supervisord.conf"
VENV_BIN = ROOT / ".venv" / "bin"


def gateway_url(environ: dict[str, str] | os._Environ[str] = os.environ) -> str:
    """Where the commands reach the gateway: ``TGD_GATEWAY_URL`` when set (a remote gateway,
    TLS in front), else the address the local gateway binds, ``TGD_GATEWAY_HOST`` /
    ``TGD_GATEWAY_PORT`` (a wildcard bind is reached on loopback)."""
    if environ.get("TGD_GATEWAY_URL"):
        return environ["TGD_GATEWAY_URL"].rstrip("/")
    host = environ.get("TGD_GATEWAY_HOST") or "127.0.0.1"
    host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104 (a bind address, read)
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{environ.get('TGD_GATEWAY_PORT') or 8080}"


GATEWAY_URL = gateway_url()


def rabbitmq_running() -> bool:
    return subprocess.run(["rabbitmqctl", "-q", "status"], capture_output=True).returncode == 0


def ensure_rabbitmq(timeout_s: float = 60) -> None:
    """Start RabbitMQ when it is not running (it must be installed: scripts/setup.sh does)."""
    if shutil.which("rabbitmq-server") is None:
        raise RuntimeError("rabbitmq-server is not installed: run scripts/setup.sh first")
    if rabbitmq_running():
        return
    subprocess.run(["rabbitmq-server", "-detached"], check=True)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if rabbitmq_running():
            return
        time.sleep(1)
    raise RuntimeError(f"RabbitMQ did not start within {timeout_s:.0f} s")


def supervisorctl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VENV_BIN / "supervisorctl"), "-c", str(SUPERVISOR_CONF), *args], capture_output=True, text=True
    )


def supervisor_running() -> bool:
    return supervisorctl("pid").returncode == 0


TRACES_DIR = ROOT / "var" / "traces"


def supervisor_env(environ: dict[str, str]) -> dict[str, str]:
    """The processes' environment: spans exported as OTLP-JSON lines to var/traces/<process>.jsonl
    (what ``tgd alert follow`` reads), unless ``OTEL_TRACES_EXPORTER`` is already chosen
    (``none`` turns tracing off)."""
    env = dict(environ)
    if "OTEL_TRACES_EXPORTER" not in env:
        env["OTEL_TRACES_EXPORTER"] = "otlp_json_file"
        env.setdefault("TGD_TRACES_FILE", str(TRACES_DIR / "{service}.jsonl"))
    return env


def start_supervisor() -> None:
    (ROOT / "var" / "log").mkdir(parents=True, exist_ok=True)
    (ROOT / "var" / "run").mkdir(parents=True, exist_ok=True)
    TRACES_DIR.mkdir(parents=True, exist_ok=True)
    if supervisor_running():
        supervisorctl("start", "all")
        return
    subprocess.run(
        [str(VENV_BIN / "supervisord"), "-c", str(SUPERVISOR_CONF)], check=True, env=supervisor_env(dict(os.environ))
    )


def stop_supervisor() -> bool:
    if not supervisor_running():
        return False
    supervisorctl("shutdown")
    return True


def process_status() -> list[tuple[str, str, str]]:
    """(name, state, description) of each supervised process."""
    result = supervisorctl("status")
    rows = []
    for line in result.stdout.splitlines():
        parts = line.split(None, 2)
        if len(parts) >= 2:
            rows.append((parts[0], parts[1], parts[2] if len(parts) > 2 else ""))
    return rows


def gateway_health(timeout_s: float = 2.0) -> dict | None:
    try:
        return httpx.get(f"{GATEWAY_URL}/health", timeout=timeout_s).json()
    except (httpx.HTTPError, ValueError):
        return None


def all_running(rows: list[tuple[str, str, str]]) -> bool:
    return bool(rows) and all(state == "RUNNING" for _, state, _ in rows)


def wait_until_ready(timeout_s: float = 60) -> dict | None:
    """Wait until every process is RUNNING and the gateway reports healthy."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        health = gateway_health()
        if health and health.get("status") == "ok" and all_running(process_status()):
            return health
        time.sleep(0.5)
    return None
