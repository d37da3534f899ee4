"""Which database ``tgd up`` gives the services, and waiting on processes.

By default the durable local store (:mod:`tgd_servicekit.local_store`) in ``var/store``,
supervised as the program ``store``; when the user sets ``MONGODB_URI``, that MongoDB
(and the store is not started). What was chosen is remembered in ``var/run/database.json``
for ``tgd status`` (never the URI of another database: it may hold a password).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tgd_servicekit.local_store import DEFAULT_PORT, store_answers, store_uri, wait_for_store

STORE_PROGRAM = "store"


@dataclass(frozen=True)
class Database:
    local: bool
    uri: str
    path: Path | None = None
    port: int | None = None

    @property
    def env(self) -> dict[str, str]:
        """What the supervised processes get (the user's MONGODB_URI is already theirs)."""
        return {"MONGODB_URI": self.uri, "TGD_STORE_PORT": str(self.port)} if self.local else {}


def choose(environ: dict[str, str], root: Path) -> Database:
    uri = environ.get("MONGODB_URI", "").strip()
    if uri:
        return Database(local=False, uri=uri)
    port = int(environ.get("TGD_STORE_PORT") or DEFAULT_PORT)
    return Database(local=True, uri=store_uri(port), path=root / "var" / "store", port=port)


def remember(database: Database, run_dir: Path) -> None:
    record = {"local": database.local, "port": database.port, "path": str(database.path) if database.path else None}
    (run_dir / "database.json").write_text(json.dumps(record))


def remembered(run_dir: Path) -> dict:
    try:
        return json.loads((run_dir / "database.json").read_text())
    except (OSError, ValueError):
        return {"local": True, "port": DEFAULT_PORT, "path": None}


def describe(run_dir: Path) -> tuple[bool, str]:
    """(healthy, one line for ``tgd status``)."""
    record = remembered(run_dir)
    if not record.get("local"):
        return True, "database: the MongoDB of MONGODB_URI (not supervised by tgd up)"
    uri = store_uri(int(record.get("port") or DEFAULT_PORT))
    answering = store_answers(uri)
    where = f"local store {record.get('path') or 'var/store'} on {uri}"
    size = directory_size(Path(record["path"])) if record.get("path") else None
    state = "answering, fsync per commit" if answering else "NOT ANSWERING (see var/log/store.log)"
    return answering, f"database: {where}: {state}" + (f", {size / 1e6:.1f} MB on disk" if size is not None else "")


def directory_size(path: Path) -> int | None:
    if not path.is_dir():
        return None
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def wait_until_answering(database: Database, timeout_s: float, failed: Callable[[], bool]) -> float:
    try:
        return wait_for_store(database.uri, timeout_s, exited=failed)
    except (RuntimeError, TimeoutError) as exc:
        raise RuntimeError(f"{exc}; see var/log/store.log") from None


def alive(pid: int) -> bool:
    """The process exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def wait_for_exit(pids: dict[str, int], timeout_s: float, clock: Callable[[], float] | None = None) -> dict[str, int]:
    """Poll until every process has exited; returns those still running at the timeout."""
    now = clock or time.monotonic
    deadline = now() + timeout_s
    while True:
        still = {name: pid for name, pid in pids.items() if alive(pid)}
        if not still or now() >= deadline:
            return still
        time.sleep(0.2)
