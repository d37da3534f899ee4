"""Starting the real processes (the durable local store, services, gateway) for
end-to-end tests, benchmarks and the fault suite."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tgd_servicekit.local_store import store_argv, store_uri, wait_for_store

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ProcessGroup:
    """Processes started for one test; each one's output goes to ``<log_dir>/<name>.log``."""

    def __init__(self, log_dir: Path, env: dict[str, str]):
        self.log_dir = log_dir
        log_dir.mkdir(parents=True, exist_ok=True)
        self.env = {**os.environ, **env}
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.commands: dict[str, tuple[list[str], dict[str, str] | None]] = {}  # to restart them

    def start(self, name: str, argv: list[str], extra_env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        self.commands[name] = (argv, extra_env)
        log = open(self.log_dir / f"{name}.log", "ab")
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env={**self.env, **(extra_env or {})})
        self.procs[name] = proc
        return proc

    def start_store(self, name: str = "store", sync_on_commit: bool = True, timeout: float = 60) -> str:
        """Start a durable local store in ``<log_dir>/<name>`` on a free port, wait until it
        answers, and give its URI to every process started afterwards (``MONGODB_URI``).
        ``restart(name)`` starts it again on the same directory and port."""
        port = free_port()
        proc = self.start(name, store_argv(self.log_dir / name, port, sync_on_commit=sync_on_commit, bin_dir=BIN))
        uri = store_uri(port)
        wait_for_store(uri, timeout, exited=lambda: proc.poll() is not None)
        self.env["MONGODB_URI"] = uri
        return uri

    def start_service(self, service: str, extra_env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        """A service; with no ``MONGODB_URI`` yet, a local store of this group's own first."""
        if not self.env.get("MONGODB_URI") and not (extra_env or {}).get("MONGODB_URI"):
            self.start_store()
        return self.start(service, [str(BIN / "tgd-service"), service], extra_env)

    def start_gateway(self, port: int, extra_env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        env = {
            "TGD_GATEWAY_PORT": str(port),
            "TGD_GATEWAY_HOST": "127.0.0.1",
            "TGD_GATEWAY_DATA_DIR": str(self.log_dir / "gateway-data"),  # its clients.json and audit.jsonl
            **(extra_env or {}),
        }
        return self.start("gateway", [str(BIN / "python"), "-m", "gateway"], env)

    def restart(self, name: str) -> subprocess.Popen[bytes]:
        """Start ``name`` again with the command and environment it was first started with."""
        argv, extra_env = self.commands[name]
        return self.start(name, argv, extra_env)

    def log(self, name: str) -> str:
        path = self.log_dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self, name: str, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)

    def stop_all(self) -> None:
        """In the reverse order of their start: the store, started first, stops last."""
        for name in reversed(list(self.procs)):
            self.stop(name)


def wait_until(predicate: Callable[[], object], timeout: float, what: str, interval: float = 0.2) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except Exception:
            value = None
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")
