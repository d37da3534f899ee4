"""A private RabbitMQ node for the fault suite: its own node name, port, data
directory, Erlang cookie and (no) plugins, so that it can be stopped and restarted
during a run without touching the machine's shared broker on 5672.

It runs as the invoking user (``/usr/lib/rabbitmq/bin``: the ``/usr/sbin`` wrappers
switch to the ``rabbitmq`` user and drop the environment that makes the node private).
Everything it writes stays in its directory: data, logs, generated configuration, and
the crash dumps Erlang writes in the current directory (``MnesiaCore.*``,
``erl_crash.dump``), since it runs there.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import time
from pathlib import Path

from tgd_servicekit.testing.processes import free_port

RABBIT_BIN = Path(os.environ.get("TGD_RABBITMQ_BIN", "/usr/lib/rabbitmq/bin"))


class PrivateBroker:
    def __init__(self, workdir: Path):
        self.dir = workdir / "rabbitmq"
        self.port = free_port()
        self.node = f"tgdfaults{self.port}@localhost"
        self.pid_file = self.dir / "pid"

    @property
    def uri(self) -> str:
        return f"pyamqp://guest:guest@127.0.0.1:{self.port}//"

    @property
    def url(self) -> str:  # pika
        return f"amqp://guest:guest@127.0.0.1:{self.port}/%2F"

    def _env(self) -> dict[str, str]:
        return {
            **os.environ,
            "HOME": str(self.dir / "home"),  # its own Erlang cookie
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(free_port()),
            "RABBITMQ_MNESIA_BASE": str(self.dir / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.dir / "log"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.dir / "enabled_plugins"),
            "RABBITMQ_CONFIG_FILE": str(self.dir / "rabbitmq"),
            "RABBITMQ_PID_FILE": str(self.pid_file),
            "RABBITMQ_GENERATED_CONFIG_DIR": str(self.dir / "config"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(self.dir / "advanced.config"),
            "ERL_CRASH_DUMP": str(self.dir / "erl_crash.dump"),
        }

    def _prepare(self) -> None:
        home = self.dir / "home"
        home.mkdir(parents=True, exist_ok=True)
        cookie = home / ".erlang.cookie"
        if not cookie.exists():
            cookie.write_text(secrets.token_hex(16).upper())
            cookie.chmod(0o400)
        (self.dir / "enabled_plugins").write_text("[].\n")
        (self.dir / "rabbitmq.conf").write_text(f"listeners.tcp.default = 127.0.0.1:{self.port}\n")

    def _ctl(self, *args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
        argv = [str(RABBIT_BIN / "rabbitmqctl"), "-n", self.node, *args]
        return subprocess.run(argv, env=self._env(), cwd=self.dir, capture_output=True, text=True, timeout=timeout)

    def start(self) -> float:
        """Start the node and wait until it accepts connections; returns the seconds it took."""
        if not (RABBIT_BIN / "rabbitmq-server").exists():
            raise RuntimeError(f"RabbitMQ is not installed ({RABBIT_BIN}); run scripts/setup.sh")
        self._prepare()
        started = time.monotonic()
        subprocess.run([str(RABBIT_BIN / "rabbitmq-server"), "-detached"], env=self._env(), cwd=self.dir, check=True)
        done = self._ctl("wait", "--timeout", "90", str(self.pid_file), timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"the private RabbitMQ node did not start: {done.stderr.strip()[-400:]}")
        return time.monotonic() - started

    def stop(self) -> None:
        if self.pid_file.exists():
            self._ctl("stop", str(self.pid_file), timeout=60)

    def restart(self, down_s: float = 2.0) -> float:
        """Stop the node (every connection drops), stay down ``down_s``, start it again
        on the same data directory (durable queues and persistent messages survive)."""
        self.stop()
        time.sleep(down_s)
        return self.start()

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
