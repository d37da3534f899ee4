"""Choosing the database of `tgd up` and waiting on processes (no store started here)."""

import subprocess
import sys

from tgd_cli import local_database
from tgd_servicekit.local_store import DEFAULT_PORT, store_argv


def test_the_default_is_the_local_store_in_var_store(tmp_path):
    database = local_database.choose({}, tmp_path)
    assert database.local
    assert database.path == tmp_path / "var" / "store"
    assert database.env["MONGODB_URI"] == f"mongodb://127.0.0.1:{DEFAULT_PORT}/?directConnection=true"


def test_the_store_port_can_be_chosen(tmp_path):
    database = local_database.choose({"TGD_STORE_PORT": "28001"}, tmp_path)
    assert database.env == {
        "MONGODB_URI": "mongodb://127.0.0.1:28001/?directConnection=true",
        "TGD_STORE_PORT": "28001",
    }


def test_the_store_syncs_every_commit_by_default(tmp_path):
    argv = store_argv(tmp_path / "s", 28002)
    assert "--sync-on-commit" in argv
    assert argv[argv.index("--storage-path") + 1] == str(tmp_path / "s")
    assert argv[argv.index("--host") + 1] == "127.0.0.1"
    assert "--sync-on-commit" not in store_argv(tmp_path / "s", 28002, sync_on_commit=False)


def test_wait_for_exit_returns_once_processes_have_exited():
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    assert local_database.wait_for_exit({"quick": proc.pid}, timeout_s=5) == {}


def test_wait_for_exit_names_what_still_runs_at_the_timeout():
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert local_database.wait_for_exit({"slow": proc.pid}, timeout_s=0.3) == {"slow": proc.pid}
    finally:
        proc.kill()
        proc.wait()
