"""The default handler's JSON-lines file, read back and rewritten atomically.

A purge must leave no copy of what it removed: the new content is written to a
temporary file in the same directory, flushed to disk, then renamed over the old one
(``os.replace``: a reader sees the old file or the new one, never half of each) and the
directory entry is flushed too. The old file's blocks are freed by the file system;
on a journaling or copy-on-write file system or an SSD they may linger until reused:
keep the file on an encrypted volume (docs/partner-consumer.md).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def read_records(path: Path) -> list[dict[str, Any]]:
    """Every complete record of the file; a torn last line (a crash mid-write) is
    skipped: that message was not acknowledged, it comes back."""
    if not path.exists():
        return []
    found = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and isinstance(record.get("event"), dict):
            found.append(record)
    return found


def record_id(record: dict[str, Any]) -> tuple[str, str] | None:
    event = record.get("event") or {}
    if "source" not in event or "id" not in event:
        return None
    return str(event["source"]), str(event["id"])


def rewrite(path: Path, records: list[dict[str, Any]]) -> None:
    """Replace the file's content by ``records``, atomically (same permissions)."""
    directory = path.parent
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o600
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".purge", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(directory_fd)
    finally:
        os.close(directory_fd)
