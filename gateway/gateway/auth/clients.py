"""Registered partner clients (OAuth2 client credentials), stored in one JSON file.

Why a file and not a database: the gateway owns no database, the registry is small
(one entry per partner system) and changes rarely, the ``tgd clients`` CLI must edit
it on the machine while the gateway runs, and it must survive restarts (an in-memory
mongomock store would lose every partner's credentials). In a cluster the same file
is a mounted Secret; the gateway re-reads it when it changes. Secrets are never
stored: only their argon2 hash (pwdlib); a secret is shown once, at registration or
rotation.
"""

from __future__ import annotations

import json
import secrets
import uuid
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from gateway.auth.roles import NATIONAL, Principal, Role, jurisdictions_of_departments
from tgd_contracts.jurisdictions import JURISDICTIONS
from tgd_servicekit.shared_json_file import SharedJsonFile

# argon2id at OWASP's minimum (19 MiB, 2 passes, 1 lane): the secrets are 256 random bits, so the hash
# guards against a leaked file, not against guessing; pwdlib's default (64 MiB x 3 x 4) costs ~0.5 s per
# token request on 2 cores, which would make the token endpoint itself a denial-of-service lever.
HASHER = PasswordHash((Argon2Hasher(time_cost=2, memory_cost=19456, parallelism=1),))
# verified when the client id is unknown, so that timing does not reveal which ids exist
_DUMMY_HASH = HASHER.hash(secrets.token_urlsafe(16))
NATIONAL_ROLES = frozenset({Role.ADMIN, Role.TELEASSISTANCE, Role.OBSERVATORY})


@dataclass
class Client:
    client_id: str
    name: str
    role: Role
    jurisdictions: list[str]
    secret_hash: str
    unit: str | None = None
    disabled: bool = False
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())
    rotated_at: str | None = None

    def principal(self) -> Principal:
        return Principal(self.client_id, self.role, frozenset(self.jurisdictions), self.unit)


def scope_for(role: Role, jurisdictions: list[str], departments: list[str]) -> list[str]:
    """The jurisdiction codes a client covers (departments expand to their jurisdictions)."""
    codes = set(jurisdictions) | set(jurisdictions_of_departments(frozenset(departments)))
    if NATIONAL in codes:
        if role not in NATIONAL_ROLES:
            raise ValueError(f"a {role} client cannot be national ('*'): name its jurisdictions")
        return [NATIONAL]
    unknown = sorted(c for c in codes if c not in JURISDICTIONS)
    if unknown or any(d not in {j.department for j in JURISDICTIONS.values()} for d in departments):
        raise ValueError(f"unknown jurisdiction or department: {unknown or departments}")
    if not codes:
        raise ValueError("a client needs at least one jurisdiction or department")
    return sorted(codes)


def _decode(text: str) -> dict[str, Client]:
    return {c["client_id"]: Client(**{**c, "role": Role(c["role"])}) for c in json.loads(text)["clients"]}


def _encode(clients: dict[str, Client]) -> str:
    return json.dumps({"clients": [{**asdict(c), "role": c.role.value} for c in clients.values()]}, indent=1)


class ClientStore:
    def __init__(self, path: Path):
        self.path = path
        self._file = SharedJsonFile(path, _decode, _encode, dict)

    def load(self) -> dict[str, Client]:
        return self._file.read()

    def authenticate(self, client_id: str, secret: str) -> Client | None:
        client = self.load().get(client_id)
        if client is None:
            HASHER.verify(secret, _DUMMY_HASH)
            return None
        if not HASHER.verify(secret, client.secret_hash) or client.disabled:
            return None
        return client

    def _editing(self) -> AbstractContextManager[dict[str, Client]]:
        return self._file.editing()

    def register(
        self, name: str, role: Role, jurisdictions: list[str], departments: list[str], unit: str | None = None
    ) -> tuple[Client, str]:
        """Register a client; returns it and its secret (shown once, never stored)."""
        scope = scope_for(Role(role), jurisdictions, departments)
        secret = secrets.token_urlsafe(32)
        client = Client(
            f"{Role(role).value}-{uuid.uuid4().hex[:12]}", name, Role(role), scope, HASHER.hash(secret), unit
        )
        with self._editing() as clients:
            clients[client.client_id] = client
        return client, secret

    def rotate(self, client_id: str) -> str:
        secret = secrets.token_urlsafe(32)
        with self._editing() as clients:
            client = clients[client_id]
            client.secret_hash = HASHER.hash(secret)
            client.rotated_at = datetime.now(UTC).isoformat()
        return secret

    def set_disabled(self, client_id: str, disabled: bool) -> None:
        with self._editing() as clients:
            clients[client_id].disabled = disabled
