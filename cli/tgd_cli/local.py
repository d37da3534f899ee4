"""Running the whole system on one machine: RabbitMQ, then supervisord with the
process definitions of ``deploy/local/supervisord.conf``: the durable local store first
(unless ``MONGODB_URI`` names another database), then the services and the gateway."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import httpx

from tgd_cli import local_database
from tgd_cli.local_database import Database

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


def console_url(environ: dict[str, str] | os._Environ[str] = os.environ) -> str:
    """Where the people's console (operators, parquet, association) answers (``TGD_CONSOLE_HOST/PORT``)."""
    host = environ.get("TGD_CONSOLE_HOST", "127.0.0.1")
    return f"http://{'127.0.0.1' if host == '0.0.0.0' else host}:{environ.get('TGD_CONSOLE_PORT', '8090')}"  # noqa: S104


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


def prepare_rpc_queues(amqp_uri: str) -> None:
    """The services' RPC request queues as this version declares them (classic, with a
    TTL), replacing those of an earlier version (quorum) before any service starts (each
    replacement is logged)."""
    from tgd_servicekit.rpc_queues import prepare_rpc_queues as prepare

    prepare(amqp_uri)


def supervisorctl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VENV_BIN / "supervisorctl"), "-c", str(SUPERVISOR_CONF), *args], capture_output=True, text=True
    )


def supervisor_running() -> bool:
    return supervisorctl("pid").returncode == 0


TRACES_DIR = ROOT / "var" / "traces"
RUN_DIR = ROOT / "var" / "run"


def supervisor_env(environ: dict[str, str], database: Database | None = None) -> dict[str, str]:
    """The processes' environment: the database's ``MONGODB_URI``; spans exported as
        OTLP-JSON lines to var/traces/<process>.jsonl (what ``tgd alert follow`` reads), unless
        ``OTEL_TRACES_EXPORTER`` is already chosen (``none`` turns tracing off). The console
        (``tgd-console``) reaches the gateway where the commands do (``TGD_GATEWAY_HOST/PORT``),
    and the gateway's old ``/console`` address redirects to the console (``TGD_CONSOLE_PORT``)."""
    env = {**environ, **(database.env if database else {})}
    gateway = gateway_url(environ)
    env.setdefault("TGD_GATEWAY_URL", gateway)
    env.setdefault("TGD_GATEWAY_CONSOLE_URL", console_url(environ))  # the gateway's /console redirects there
    if "OTEL_TRACES_EXPORTER" not in env:
        env["OTEL_TRACES_EXPORTER"] = "otlp_json_file"
        env.setdefault("TGD_TRACES_FILE", str(TRACES_DIR / "{service}.jsonl"))
    return env


def start_supervisor(database: Database, store_timeout_s: float = 90) -> None:
    """Start supervisord, the local store (and wait until it answers), then the rest."""
    for sub in ("log", "run"):
        (ROOT / "var" / sub).mkdir(parents=True, exist_ok=True)
    TRACES_DIR.mkdir(parents=True, exist_ok=True)
    if not supervisor_running():
        env = supervisor_env(dict(os.environ), database)
        subprocess.run([str(VENV_BIN / "supervisord"), "-c", str(SUPERVISOR_CONF)], check=True, env=env)
    local_database.remember(database, RUN_DIR)
    if database.local:  # supervisorctl waits until it has run 8 s (startsecs) or failed
        started = supervisorctl("start", local_database.STORE_PROGRAM)
        if "ERROR" in started.stdout + started.stderr:
            raise RuntimeError(
                f"the local store did not start ({started.stdout.strip()}); see var/log/store.log "
                f"(is port {database.port} taken? TGD_STORE_PORT chooses another)"
            )
        local_database.wait_until_answering(database, store_timeout_s, lambda: _store_failed(process_status()))
    supervisorctl("start", *PROGRAMS)


PROGRAMS = ("referral", "evaluation", "device", "notify", "alert", "gateway")  # after the store


def _store_failed(rows: list[tuple[str, str, str]]) -> bool:
    failed = ("BACKOFF", "FATAL", "EXITED")
    return any(name == local_database.STORE_PROGRAM and state in failed for name, state, _ in rows)


def stop_supervisor(timeout_s: float = 120) -> bool:
    """Stop every process and supervisord itself, and wait until each one has exited
    (the store, stopped last, closes its files); TimeoutError names those still running."""
    if not supervisor_running():
        return False
    pids = supervised_pids()
    supervisorctl("shutdown")
    still = local_database.wait_for_exit(pids, timeout_s)
    if still:
        names = ", ".join(f"{name} (pid {pid})" for name, pid in still.items())
        raise TimeoutError(f"still running {timeout_s:.0f} s after the shutdown: {names}; see var/log/")
    return True


def supervised_pids() -> dict[str, int]:
    """The pid of supervisord and of each running process it supervises."""
    pids: dict[str, int] = {}
    own = supervisorctl("pid").stdout.strip()
    if own.isdigit():
        pids["supervisord"] = int(own)
    for name, state, detail in process_status():
        if state == "RUNNING" and detail.startswith("pid "):
            pids[name] = int(detail.split()[1].rstrip(","))
    return pids


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
    """Every process runs (the store only when the system uses it)."""
    uses_store = local_database.remembered(RUN_DIR).get("local", True)
    expected = [row for row in rows if row[0] != local_database.STORE_PROGRAM or uses_store]
    return bool(expected) and all(state == "RUNNING" for _, state, _ in expected)


def wait_until_ready(timeout_s: float = 60) -> dict | None:
    """Wait until every process is RUNNING and the gateway reports healthy."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        health = gateway_health()
        if health and health.get("status") == "ok" and all_running(process_status()):
            return health
        time.sleep(0.5)
    return None
