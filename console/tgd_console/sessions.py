"""Server-side registry of the console's sessions: the sealed cookie names a session id
(``sid``), and a session lives only while its id is here. Logout removes it (and revokes
the person's refresh token at the gateway, ``POST /v1/oauth/revoke``), so a copy of the
cookie is worth nothing afterwards; it also ends at its maximum lifetime.

One JSON file (``sessions.json`` in ``TGD_CONSOLE_DATA_DIR``), shared by the console's
processes on a host, holding the SHA-256 of each id, the login and the end, never the id
nor a token. Replicas on several hosts share it only through a shared volume; without one,
a logout on one replica is known to the others through the gateway (the refresh token is
revoked: the copy dies at its access token's end, ``TGD_GATEWAY_TOKEN_TTL_S``)."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class SessionRegistry:
    def __init__(self, path: Path):
        self.path = path
        self._cache: tuple[int, dict[str, Any]] | None = None

    def _load(self) -> dict[str, Any]:
        try:
            mtime = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            return {}
        if self._cache is None or self._cache[0] != mtime:
            try:
                sessions = json.loads(self.path.read_text())
            except ValueError:
                sessions = {}
            self._cache = (mtime, sessions if isinstance(sessions, dict) else {})
        return self._cache[1]

    @contextmanager
    def _editing(self) -> Iterator[dict[str, Any]]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self._cache = None
            now = time.time()
            sessions = {k: v for k, v in self._load().items() if v.get("until", 0) > now}
            yield sessions
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".sessions-")
            with os.fdopen(fd, "w") as out:
                json.dump(sessions, out)
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
            self._cache = None

    def open(self, session_id: str, login: str, until: float) -> None:
        with self._editing() as sessions:
            sessions[_digest(session_id)] = {"login": login, "until": until}

    def is_open(self, session_id: str, login: str) -> bool:
        found = self._load().get(_digest(session_id)) if session_id else None
        return bool(found) and found.get("login") == login and found.get("until", 0) > time.time()

    def close(self, session_id: str) -> None:
        with self._editing() as sessions:
            sessions.pop(_digest(session_id), None)
