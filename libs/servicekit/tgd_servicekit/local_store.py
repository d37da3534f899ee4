"""The durable local store: a MongoDB-wire server on disk for one machine without MongoDB.

It is SecantusDB (PyPI ``SecantusDB``, WiredTiger inside), run as a process of its own
(``secantusd-py``) and reached like any MongoDB through ``MONGODB_URI``, the same pymongo
and mongoengine path as production. It is GPL-2.0-only: the project never imports it,
it only starts its server program and talks to it over a socket.

Every commit is made durable before the write is acknowledged (``--sync-on-commit``:
an fsync of the write-ahead log per commit). Without it, ``kill -9`` of the store loses
acknowledged writes (see ``tgd-dev bench store`` and docs/reliability.md).

``tgd-store --storage-path DIR [--port P]`` runs it in the foreground (what
``deploy/local/supervisord.conf`` supervises): this module only builds the command line
and replaces itself with the server.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

SERVER = "secantusd-py"
DEFAULT_PORT = 27117  # not 27017: a real MongoDB on the machine keeps its port
HOST = "127.0.0.1"
CACHE_SIZE = "256M"  # its default, 1G, grew to 530 MB resident in a fault run: far more than the data


def server_path(bin_dir: Path | None = None) -> str:
    """The server program installed beside this Python (the project's .venv)."""
    return str((bin_dir or Path(sys.executable).parent) / SERVER)


def store_argv(storage: Path, port: int, *, sync_on_commit: bool = True, bin_dir: Path | None = None) -> list[str]:
    argv = [server_path(bin_dir), "--storage-path", str(storage), "--host", HOST, "--port", str(port), "--standalone"]
    argv += ["--log-level", "WARNING", "--cache-size", CACHE_SIZE]
    return [*argv, "--sync-on-commit"] if sync_on_commit else argv


def store_uri(port: int) -> str:
    return f"mongodb://{HOST}:{port}/?directConnection=true"


def store_answers(uri: str, timeout_s: float = 1.0) -> bool:
    """True when the server at ``uri`` answers a ``ping``."""
    import pymongo
    from pymongo.errors import PyMongoError

    client = pymongo.MongoClient(uri, serverSelectionTimeoutMS=int(timeout_s * 1000), connectTimeoutMS=1000)
    try:
        client.admin.command("ping")
        return True
    except PyMongoError:
        return False
    finally:
        client.close()


def wait_for_store(uri: str, timeout_s: float, exited: object = None) -> float:
    """Wait until the store answers; ``exited`` (a callable) tells when its process died,
    which fails at once instead of at the timeout. Returns the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if callable(exited) and exited():
            raise RuntimeError(f"the local store ({uri}) exited before answering")
        if store_answers(uri, timeout_s=0.5):
            return time.monotonic() - started
        time.sleep(0.2)
    raise TimeoutError(f"the local store ({uri}) did not answer within {timeout_s:.0f} s")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="tgd-store", description=__doc__)
    parser.add_argument("--storage-path", required=True, type=Path, help="the store's directory (created if missing)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("TGD_STORE_PORT", DEFAULT_PORT)))
    args = parser.parse_args(argv)
    args.storage_path.mkdir(parents=True, exist_ok=True)
    command = store_argv(args.storage_path.resolve(), args.port)
    os.chdir(args.storage_path)  # anything it writes beside its files stays in its own directory
    os.execv(command[0], command)  # noqa: S606 (no shell: the argv above) -- the supervisor's signals go straight to the server


if __name__ == "__main__":
    main()
