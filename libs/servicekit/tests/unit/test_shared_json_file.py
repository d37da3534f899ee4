"""The shared JSON file behind the gateway's registries and the sessions: a reader sees
the last complete write, an edit that fails writes nothing, two writers lose nothing."""

from __future__ import annotations

import json
import stat
import threading

import pytest

from tgd_servicekit.shared_json_file import SharedJsonFile


def counters(path):
    return SharedJsonFile(path, json.loads, json.dumps, dict)


def test_no_file_reads_as_the_empty_document_and_an_edit_creates_it_private(tmp_path):
    path = tmp_path / "registry" / "counters.json"
    file = counters(path)
    assert file.read() == {}
    with file.editing() as document:
        document["a"] = 1
    assert json.loads(path.read_text()) == {"a": 1}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []  # no temporary left


def test_a_reader_sees_another_writers_change(tmp_path):
    reader, writer = counters(tmp_path / "c.json"), counters(tmp_path / "c.json")
    with writer.editing() as document:
        document["a"] = 1
    assert reader.read() == {"a": 1}
    with writer.editing() as document:
        document["a"] = 2
    assert reader.read() == {"a": 2}


def test_an_edit_that_fails_writes_nothing(tmp_path):
    file = counters(tmp_path / "c.json")
    with file.editing() as document:
        document["a"] = 1

    def refused_change() -> None:
        with file.editing() as document:
            document["a"] = 99
            raise KeyError("refused")

    with pytest.raises(KeyError):
        refused_change()
    assert file.read() == {"a": 1}
    assert counters(tmp_path / "c.json").read() == {"a": 1}


def test_concurrent_writers_lose_no_change(tmp_path):
    def add(name: str) -> None:
        for i in range(20):
            with counters(tmp_path / "c.json").editing() as document:  # each its own lock file handle
                document[f"{name}-{i}"] = i

    threads = [threading.Thread(target=add, args=(name,)) for name in ("x", "y", "z")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(counters(tmp_path / "c.json").read()) == 60
