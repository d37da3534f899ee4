"""The access log (journal des accès): every read or change of personal data, who,
what, when, which object and why, in an append-only file where each entry carries
the hash of the previous one, so that a modified, inserted or removed entry breaks
the chain (:func:`verify_chain`). Entries hold ids and codes, never personal data.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

GENESIS = "0" * 64
TAIL_BYTES = 8192  # an entry is well under 1 KiB (ids, codes and a reason of at most 200 characters)
FIELDS = ("seq", "at", "client_id", "role", "action", "object_id", "jurisdiction", "status", "reason", "request_id")


def entry_hash(entry: dict[str, Any]) -> str:
    body = {k: entry.get(k) for k in (*FIELDS, "prev")}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def verify_chain(entries: Iterable[dict[str, Any]]) -> int | None:
    """The ``seq`` of the first entry that breaks the chain, or None when it is intact."""
    prev, expected_seq = GENESIS, 0
    for entry in entries:
        if entry.get("prev") != prev or entry.get("seq") != expected_seq or entry_hash(entry) != entry.get("hash"):
            return expected_seq
        prev, expected_seq = entry["hash"], expected_seq + 1
    return None


class AuditLog:
    """One JSON line per entry in ``path``. Each append takes an exclusive lock on the
    file and reads the chain's head from its last line, so several gateway processes
    (or workers) on one host extend one chain."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()

    def entries(self) -> Iterator[dict[str, Any]]:
        if not self.path.exists():
            return
        with open(self.path) as lines:
            for line in lines:
                if line.strip():
                    yield json.loads(line)

    @staticmethod
    def _head(log: BinaryIO) -> tuple[int, str]:
        size = log.seek(0, os.SEEK_END)
        if size == 0:
            return 0, GENESIS
        log.seek(max(0, size - TAIL_BYTES))
        last = json.loads(log.read().rstrip(b"\n").rsplit(b"\n", 1)[-1])
        return last["seq"] + 1, last["hash"]

    def record(self, **fields: Any) -> dict[str, Any]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, open(self.path, "a+b") as log:
            fcntl.flock(log, fcntl.LOCK_EX)
            seq, prev = self._head(log)
            entry = {k: fields.get(k) for k in FIELDS}
            entry.update(seq=seq, at=datetime.now(UTC).isoformat(timespec="microseconds"), prev=prev)
            entry["hash"] = entry_hash(entry)
            log.write(json.dumps(entry, separators=(",", ":")).encode() + b"\n")
            log.flush()
            return entry

    def verify(self) -> int | None:
        return verify_chain(self.entries())

    def query(
        self,
        jurisdictions: frozenset[str] | None,
        object_id: str | None = None,
        client_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[list[dict[str, Any]], int]:
        """Entries newest first; ``jurisdictions=None`` means every jurisdiction."""
        found = [
            e
            for e in self.entries()
            if (jurisdictions is None or e.get("jurisdiction") in jurisdictions)
            and (object_id is None or e.get("object_id") == object_id)
            and (client_id is None or e.get("client_id") == client_id)
        ]
        found.reverse()
        return found[offset : offset + limit], len(found)
