"""Operator accounts of the teleassistance platform (opérateurs, opératrices), for the
console: one person, one account, so that every action and every read of a dossier
is recorded in the audit log under that person's login.

Stored like the partner clients (:mod:`gateway.auth.clients`): one JSON file
(``operators.json`` in ``TGD_GATEWAY_DATA_DIR``) edited by ``tgd operators`` while the
gateway runs, argon2 hashes only. An operator is a national ``teleassistance``
principal: the platform is one national service. The login is chosen by the
administrator (``c.exemple``); the password is generated (5 groups of 5 characters,
~125 bits), shown once, and can be rotated.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime
from pathlib import Path

from gateway.auth.clients import HASHER, Client, ClientStore
from gateway.auth.roles import NATIONAL, Role
from tgd_contracts.jurisdictions import is_known_jurisdiction

LOGIN_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
# people who log in to a screen: the platform's operators (national), and the parquet's and
# the association's staff (magistrats, greffe, intervenants), each for their own courts
PERSON_ROLES = frozenset({Role.TELEASSISTANCE, Role.PROSECUTOR, Role.ASSOCIATION})
ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: read from a screen, typed by hand


def new_password() -> str:
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(5)) for _ in range(5))


def check_scope(role: Role, jurisdictions: list[str]) -> list[str]:
    if role not in PERSON_ROLES:
        raise ValueError(f"a person's account is one of {sorted(PERSON_ROLES)}, not {role}")
    if role == Role.TELEASSISTANCE:
        if jurisdictions:
            raise ValueError("the platform's operators are national: no jurisdiction")
        return [NATIONAL]
    unknown = [j for j in jurisdictions if not is_known_jurisdiction(j)]
    if not jurisdictions or unknown:
        raise ValueError(f"give the person's courts (--jurisdiction, known codes); unknown: {unknown}")
    return sorted(set(jurisdictions))


class OperatorStore(ClientStore):
    """``operators.json``: the platform's operators (role ``teleassistance``, national)."""

    @classmethod
    def in_dir(cls, data_dir: Path) -> OperatorStore:
        return cls(data_dir / "operators.json")

    def register_operator(
        self, login: str, name: str, role: Role = Role.TELEASSISTANCE, jurisdictions: list[str] | None = None
    ) -> tuple[Client, str]:
        """Create the account; returns it and its password (shown once, never stored).
        An operator is national; a magistrate, clerk or association worker names its courts."""
        if not LOGIN_RE.match(login):
            raise ValueError("a login is 3 to 40 of a-z 0-9 . _ - (starting with a letter or digit)")
        role = Role(role)  # a bad role is a ValueError, like a bad login
        scope = check_scope(role, jurisdictions or [])
        password = new_password()
        operator = Client(login, name, role, scope, HASHER.hash(password))
        with self._editing() as operators:
            if login in operators:
                raise ValueError(f"the login {login} is taken")
            operators[login] = operator
        return operator, password

    def rotate(self, client_id: str) -> str:
        password = new_password()
        self._set_password(client_id, password)
        return password

    def _set_password(self, login: str, password: str) -> None:
        with self._editing() as operators:
            operator = operators[login]
            operator.secret_hash = HASHER.hash(password)
            operator.rotated_at = datetime.now(UTC).isoformat()

    def active(self, login: str) -> Client | None:
        """The operator, if the account exists and is not disabled (checked on every request)."""
        operator = self.load().get(login)
        return operator if operator is not None and not operator.disabled else None
