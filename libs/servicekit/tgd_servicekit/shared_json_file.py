"""One JSON document in one file, shared by the processes of a host: the gateway's
registries (partner clients, operator accounts, console sessions) and the console's
sessions. Readers get the last complete write, decoded once and cached until the file
changes (``st_mtime_ns``); a writer edits under an exclusive lock (``<name>.lock``) a
fresh copy read under that lock, then replaces the file at once (``os.replace``, mode
0600): a reader sees the old document or the new one, never half of each, and two
writers never lose each other's change. A command-line tool may edit the file while
the services run."""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")


class SharedJsonFile(Generic[T]):
    """``decode`` turns the file's text into the document (``empty()`` when there is no
    file yet); ``encode`` turns the document back into text."""

    def __init__(self, path: Path, decode: Callable[[str], T], encode: Callable[[T], str], empty: Callable[[], T]):
        self.path = path
        self._decode = decode
        self._encode = encode
        self._empty = empty
        self._cache: tuple[int, T] | None = None

    def read(self) -> T:
        """The document as last written (shared between calls: do not change it)."""
        try:
            mtime = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            return self._empty()
        if self._cache is None or self._cache[0] != mtime:
            self._cache = (mtime, self._decode(self.path.read_text()))
        return self._cache[1]

    @contextmanager
    def editing(self) -> Iterator[T]:
        """A fresh copy of the document to change; written back when the block ends
        without an exception (nothing is written otherwise)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self._cache = None
            document = self._decode(self.path.read_text()) if self.path.exists() else self._empty()
            yield document
            fd, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.stem}-")
            with os.fdopen(fd, "w") as out:
                out.write(self._encode(document))
            os.chmod(temporary, 0o600)
            os.replace(temporary, self.path)
            self._cache = None
