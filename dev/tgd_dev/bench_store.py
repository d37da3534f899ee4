"""``tgd-dev bench store``: is an acknowledged write to the local store still there after
``kill -9`` of the store, and how many durable writes per second does it take?

Each round starts a store in a fresh directory, writes documents one after the other
from one client (each ``insert_one`` returns once the store acknowledged it), kills the
store with SIGKILL once ``--writes`` were acknowledged (the writer is still writing: the
kill lands mid-burst), starts it again on the same files and counts the acknowledged
documents that are gone. Rounds run with ``--sync-on-commit`` (the default of every
store the project starts) and without. The write rate is measured on its own, with
``--sync-on-commit``: ``--rate-writes`` sequential inserts, ``--rate-runs`` times.
"""

from __future__ import annotations

import json
import signal
import statistics
import tempfile
import threading
import time
from pathlib import Path

import pymongo
import typer
from pymongo.errors import PyMongoError

from tgd_servicekit.local_store import wait_for_store
from tgd_servicekit.testing.processes import ProcessGroup

STORE = "store"


def _client(uri: str) -> pymongo.MongoClient:
    return pymongo.MongoClient(uri, serverSelectionTimeoutMS=2000, socketTimeoutMS=5000, retryWrites=False)


def _write_until_failure(uri: str, acked: list[int], stop: threading.Event) -> None:
    client = _client(uri)
    collection = client.tgd_bench.writes
    try:
        index = 0
        while not stop.is_set():
            collection.insert_one({"_id": index, "body": "x" * 200})
            acked.append(index)  # only once the store acknowledged it
            index += 1
    except PyMongoError:
        pass  # the store was killed
    finally:
        client.close()


def kill_round(workdir: Path, writes: int, sync_on_commit: bool) -> dict:
    """One round: acknowledged writes, kill -9 mid-burst, restart, count what is gone."""
    group = ProcessGroup(workdir, env={})
    try:
        uri = group.start_store(STORE, sync_on_commit=sync_on_commit)
        acked: list[int] = []
        stop = threading.Event()
        writer = threading.Thread(target=_write_until_failure, args=(uri, acked, stop), daemon=True)
        writer.start()
        while len(acked) < writes and writer.is_alive():
            time.sleep(0.001)
        group.stop(STORE, sig=signal.SIGKILL, timeout=5)
        stop.set()
        writer.join(10)
        confirmed = set(acked)
        group.restart(STORE)
        wait_for_store(uri, 60)
        client = _client(uri)
        try:
            found = {d["_id"] for d in client.tgd_bench.writes.find({}, {"_id": 1})}
        finally:
            client.close()
        return {"sync_on_commit": sync_on_commit, "acknowledged": len(confirmed), "lost": len(confirmed - found)}
    finally:
        group.stop_all()


def write_rate(workdir: Path, writes: int) -> float:
    """Sequential acknowledged inserts per second from one client, fsync per commit."""
    group = ProcessGroup(workdir, env={})
    try:
        client = _client(group.start_store(STORE))
        collection = client.tgd_bench.rate
        collection.insert_one({"_id": -1})  # the collection exists: not timed
        started = time.perf_counter()
        for index in range(writes):
            collection.insert_one({"_id": index, "body": "x" * 200})
        elapsed = time.perf_counter() - started
        client.close()
        return writes / elapsed
    finally:
        group.stop_all()


def loadavg() -> str:
    return Path("/proc/loadavg").read_text().strip()


def run(rounds: int, writes: int, rate_runs: int, rate_writes: int) -> dict:
    result: dict = {"loadavg_before": loadavg(), "rounds": []}
    for sync in (True, False):
        for _ in range(rounds):
            with tempfile.TemporaryDirectory(prefix="tgd-bench-store-") as tmp:
                result["rounds"].append(kill_round(Path(tmp), writes, sync))
    for sync in (True, False):
        mine = [r for r in result["rounds"] if r["sync_on_commit"] is sync]
        key = "with_sync_on_commit" if sync else "without_sync_on_commit"
        result[key] = {"acknowledged": sum(r["acknowledged"] for r in mine), "lost": sum(r["lost"] for r in mine)}
    rates = []
    for _ in range(rate_runs):
        with tempfile.TemporaryDirectory(prefix="tgd-bench-store-") as tmp:
            rates.append(round(write_rate(Path(tmp), rate_writes), 1))
    result["durable_writes_per_s"] = {"runs": rates, "median": statistics.median(rates) if rates else None}
    result["loadavg_after"] = loadavg()
    return result


def register(app: typer.Typer) -> None:
    @app.command("store")
    def store(
        rounds: int = typer.Option(10, "--rounds", min=1, help="kill -9 rounds, with and without --sync-on-commit."),
        writes: int = typer.Option(300, "--writes", min=1, help="Acknowledged writes before each kill."),
        rate_runs: int = typer.Option(3, "--rate-runs", min=0, help="Runs of the durable write-rate measure."),
        rate_writes: int = typer.Option(1000, "--rate-writes", min=1, help="Inserts per write-rate run."),
    ) -> None:
        """kill -9 the local store mid-burst of acknowledged writes (with and without
        --sync-on-commit) and count the writes lost; measure its durable write rate."""
        typer.echo(json.dumps(run(rounds, writes, rate_runs, rate_writes)))
