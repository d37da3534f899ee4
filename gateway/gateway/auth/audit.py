"""The access log (journal des accès): every read or change of personal data, who,
what, when, which object and why, in an append-only file where each entry carries
the hash of the previous one and a MAC under the gateway's audit key, and whose head
is anchored in another file (see :mod:`gateway.auth.audit_chain`). Entries hold ids
and codes, never personal data.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
import weakref
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from gateway.auth.audit_chain import (
    FIELDS,
    GENESIS,
    Finding,
    check_log,
    entry_hash,
    entry_mac,
    make_head,
    verify_chain,
)

__all__ = ["FIELDS", "AuditLog", "committed_lines", "read_head", "verify_chain"]

HEAD_BYTES = 256  # the anchored head, padded: always rewritten whole
TAIL_BYTES = 8192  # an entry is well under 1 KiB (ids, codes and a reason of at most 200 characters)
# Known to every reader of the code: only for development logs (production refuses it, see settings)
DEVELOPMENT_KEY = b"tgd-development-only-audit-key-not-for-production"


class AuditLog:
    """One JSON line per entry in ``path``. Each append (of one entry or of a batch: the
    gateway's :class:`gateway.auth.audit_writer.AuditWriter` commits in groups) takes an
    exclusive lock on the file and reads the chain's head from its last line, so several
    gateway processes (or workers) on one host extend one chain; the batch's lines go in
    one ``write``, then the head of the batch is written, MACed, to ``anchor``.

    A crash in the middle of an append leaves the log verifiable: the anchored head is
    behind the log (allowed), or a last line is cut short (no newline: never an entry,
    :func:`committed_lines` skips it); the next append cuts that torn tail off first."""

    def __init__(self, path: Path, key: bytes = DEVELOPMENT_KEY, anchor: Path | None = None):
        self.path = path
        self.key = key
        self.anchor = anchor or path.with_suffix(".head.json")
        self._anchor_fd: int | None = None
        self._lock = threading.Lock()

    def entries(self) -> Iterator[dict[str, Any]]:
        if not self.path.exists():
            return
        with open(self.path) as lines:
            for line in committed_lines(lines):
                yield json.loads(line)

    @staticmethod
    def _head(log: BinaryIO) -> tuple[int, str]:
        size = log.seek(0, os.SEEK_END)
        if size == 0:
            return 0, GENESIS
        log.seek(max(0, size - TAIL_BYTES))
        tail = log.read()
        if not tail.endswith(b"\n"):  # torn by a crash mid-append: never an entry, never anchored
            if b"\n" not in tail and len(tail) < size:
                raise ValueError("the access log ends with an unreadable line: see `tgd audit verify`")
            cut = size - len(tail) + tail.rfind(b"\n") + 1
            log.truncate(cut)
            log.seek(0, os.SEEK_END)
            if cut == 0:
                return 0, GENESIS
            log.seek(max(0, cut - TAIL_BYTES))
            tail = log.read()
        last = json.loads(tail.rstrip(b"\n").rsplit(b"\n", 1)[-1])
        return last["seq"] + 1, last["hash"]

    def record(self, **fields: Any) -> dict[str, Any]:
        return self.append([fields])[0]

    def append(self, batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Append the entries of ``batch`` (fields as :data:`FIELDS`) in one write; their chain entries."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, open(self.path, "a+b") as log:
            fcntl.flock(log, fcntl.LOCK_EX)
            seq, prev = self._head(log)
            entries, lines = [], []
            for fields in batch:
                entry = {k: fields.get(k) for k in FIELDS}
                entry.update(seq=seq, at=datetime.now(UTC).isoformat(timespec="microseconds"), prev=prev)
                entry["hash"] = entry_hash(entry)
                entry["mac"] = entry_mac(self.key, entry["hash"])
                entries.append(entry)
                lines.append(json.dumps(entry, separators=(",", ":")).encode() + b"\n")
                seq, prev = seq + 1, entry["hash"]
            log.write(b"".join(lines))
            log.flush()  # no fsync per batch: it would weigh on the alert path (the head is what proves length)
            self._write_head(make_head(self.key, entries[-1]))  # still under the lock: heads never go back
            return entries

    def _write_head(self, head: dict[str, Any]) -> None:
        """One fixed-size write at offset 0 (a single sector: it lands whole or not at all);
        the file stays open, so an entry costs one more system call, not a file creation."""
        if self._anchor_fd is None:
            self.anchor.parent.mkdir(parents=True, exist_ok=True)
            self._anchor_fd = os.open(self.anchor, os.O_RDWR | os.O_CREAT, 0o600)
            weakref.finalize(self, os.close, self._anchor_fd)
        body = json.dumps(head, separators=(",", ":")).encode()
        os.pwrite(self._anchor_fd, body.ljust(HEAD_BYTES, b" "), 0)

    def check(self) -> Finding:
        return check_log(self.entries(), self.key, read_head(self.anchor))

    def verify(self) -> int | None:
        return self.check().first_broken_seq

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


def committed_lines(lines: Iterable[str]) -> Iterator[str]:
    """The non-blank lines of a log but a last one without its newline (an append cut short
    by a crash: not an entry; a log cut short of an anchored entry is caught by the head)."""
    for line in lines:
        if line.endswith("\n"):
            if line.strip():
                yield line
        elif line.strip():
            return


def read_head(anchor: Path) -> dict[str, Any] | None:
    try:
        head = json.loads(anchor.read_text())
    except (FileNotFoundError, ValueError):
        return None
    return head if isinstance(head, dict) else None
