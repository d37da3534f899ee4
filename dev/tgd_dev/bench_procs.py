"""What ``tgd-dev bench alert-path`` reads from the machine: each process's CPU seconds
(``/proc/<pid>/stat``, with its live children: uvicorn workers), ``/proc/loadavg``,
the shared broker's ``beam.smp``, CPU pinning (taskset) and CPU quotas (a cgroup v1
``cpu`` quota, when the machine lets us create one), and a local OTLP/HTTP sink that
stands in for the collector of a deployment (the exporter does its real work: protobuf
and an HTTP POST per batch; the sink drops the spans)."""

from __future__ import annotations

import os
import resource
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
CGROUP_CPU = Path("/sys/fs/cgroup/cpu")


def loadavg() -> str:
    return Path("/proc/loadavg").read_text().strip()


def cpu_seconds(pid: int) -> float:
    """utime + stime of ``pid`` and of its live descendants (0 if it is gone)."""
    total = 0.0
    for one in [pid, *descendants(pid)]:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        total += (int(fields[11]) + int(fields[12])) / TICK
    return total


def descendants(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except (FileNotFoundError, ProcessLookupError):
        return []
    found = [int(c) for c in children]
    for child in list(found):
        found += descendants(child)
    return found


def own_cpu_seconds() -> float:
    """The bench process itself (load generator, raw publisher, OTLP sink, watchers)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def broker_pids() -> list[int]:
    """beam.smp processes (the machine's RabbitMQ; shared with everyone using it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "beam.smp":
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


class CpuMeter:
    """CPU seconds of named pids between ``snapshot`` calls."""

    def __init__(self, pids: dict[str, int]):
        self.pids = pids

    def snapshot(self) -> dict[str, float]:
        values = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        values["bench (load generator)"] = own_cpu_seconds()
        values["broker (beam.smp, SHARED)"] = sum(cpu_seconds(p) for p in broker_pids())
        return values

    @staticmethod
    def delta(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
        return {name: round(after[name] - before.get(name, 0.0), 3) for name in after}


def pin(pid: int, cpus: str) -> None:
    """taskset: keep ``pid`` (and its threads) on ``cpus`` (e.g. ``"1"`` or ``"0,1"``)."""
    subprocess.run(["taskset", "-a", "-p", "-c", cpus, str(pid)], check=True, capture_output=True)


class CpuQuota:
    """A cgroup v1 ``cpu`` group per process with a quota of ``share`` of one core."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.made: list[Path] = []

    @staticmethod
    def available() -> bool:
        return CGROUP_CPU.is_dir() and os.access(CGROUP_CPU, os.W_OK)

    def limit(self, name: str, pid: int, share: float) -> None:
        group = CGROUP_CPU / f"{self.prefix}-{name}"
        group.mkdir(exist_ok=True)
        self.made.append(group)
        (group / "cpu.cfs_period_us").write_text("100000")
        (group / "cpu.cfs_quota_us").write_text(str(int(share * 100000)))
        for one in [pid, *descendants(pid)]:
            (group / "cgroup.procs").write_text(str(one))

    def remove(self) -> None:
        for group in self.made:
            try:
                for pid in (group / "cgroup.procs").read_text().split():
                    (CGROUP_CPU / "cgroup.procs").write_text(pid)
                group.rmdir()
            except OSError:
                pass


class OtlpSink:
    """Accepts OTLP/HTTP exports (``POST /v1/traces``) on 127.0.0.1 and drops them."""

    def __init__(self) -> None:
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                sink.requests += 1
                sink.bytes += length
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                return

        self.requests = 0
        self.bytes = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, name="otlp-sink", daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
