"""Server-side registry of people's sessions, for the gateway (the console's sessions
with it, ``console-sessions.json``) and for the console (its own cookies'
``sessions.json``): a session cookie names a session id, and a session lives only while
its id is here. Logout removes it; it also ends at its maximum lifetime.

One JSON file (:class:`tgd_servicekit.shared_json_file.SharedJsonFile`) shared by the
processes of a host, holding the SHA-256 of each id, the login and the end, never the id
itself nor a token. A corrupt file counts as no session (everyone logs in again)."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tgd_servicekit.shared_json_file import SharedJsonFile

Sessions = dict[str, dict[str, Any]]


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def _decode(text: str) -> Sessions:
    try:
        sessions = json.loads(text)
    except ValueError:
        return {}
    return sessions if isinstance(sessions, dict) else {}


class SessionRegistry:
    def __init__(self, path: Path):
        self.path = path
        self._file = SharedJsonFile(path, _decode, json.dumps, dict)

    @contextmanager
    def _live(self) -> Iterator[Sessions]:
        """The sessions still within their lifetime, to change (the others are dropped)."""
        with self._file.editing() as sessions:
            now = time.time()
            for expired in [k for k, v in sessions.items() if v.get("until", 0) <= now]:
                del sessions[expired]
            yield sessions

    def open(self, session_id: str, login: str, until: float) -> None:
        with self._live() as sessions:
            sessions[_digest(session_id)] = {"login": login, "until": until}

    def is_open(self, session_id: str, login: str) -> bool:
        found = self._file.read().get(_digest(session_id)) if session_id else None
        return bool(found) and found.get("login") == login and found.get("until", 0) > time.time()

    def close(self, session_id: str) -> None:
        with self._live() as sessions:
            sessions.pop(_digest(session_id), None)
