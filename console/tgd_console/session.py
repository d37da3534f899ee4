"""The person's session: a sealed cookie (Fernet: AES-128-CBC + HMAC-SHA256, with its
time) holding her access and refresh tokens, her role and courts, a CSRF secret and the
id of her session in the server-side registry (:mod:`tgd_servicekit.session_registry`: logout ends
it for good).
The page's script never sees the tokens (HttpOnly), another site cannot send the cookie
(SameSite=Strict), and every form carries the CSRF secret. Sliding: resealed on each
request, dead after ``session_idle_s`` without one; the access token is renewed with
the refresh token shortly before it expires (the gateway re-checks the account)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import asdict, dataclass, replace

from cryptography.fernet import Fernet, InvalidToken

from tgd_console.gateway import Grant

COOKIE = "tgd_people"
RENEW_BEFORE_S = 60
# what the session keeps of the gateway's grant as it is (a grant's fields of the same name)
FROM_GRANT = ("login", "name", "role", "jurisdictions", "access_token", "refresh_token")


@dataclass(frozen=True)
class Person:
    login: str
    name: str
    role: str
    jurisdictions: tuple[str, ...]
    access_token: str
    access_expires: int
    refresh_token: str | None
    csrf: str
    sid: str = ""
    auth_time: int = 0

    @classmethod
    def from_grant(
        cls, grant: Grant, csrf: str | None = None, now: float | None = None, sid: str | None = None
    ) -> Person:
        now = time.time() if now is None else now
        return cls(
            **{name: getattr(grant, name) for name in FROM_GRANT},
            access_expires=int(now) + grant.expires_in,
            csrf=csrf or secrets.token_urlsafe(24),
            sid=sid or secrets.token_urlsafe(24),
            auth_time=int(now),
        )

    def renewed(self, grant: Grant, now: float | None = None) -> Person:
        fresh = Person.from_grant(grant, self.csrf, now, self.sid)
        return replace(fresh, refresh_token=grant.refresh_token, auth_time=self.auth_time)

    def needs_renewal(self, now: float | None = None) -> bool:
        return self.access_expires - (time.time() if now is None else now) < RENEW_BEFORE_S


class Sealer:
    def __init__(self, key: str, idle_s: int, secure: bool):
        derived = hashlib.sha256(("tgd-console-session:" + key).encode()).digest()
        self.fernet = Fernet(base64.urlsafe_b64encode(derived))
        self.idle_s = idle_s
        self.secure = secure

    def seal(self, person: Person) -> str:
        return self.fernet.encrypt(json.dumps(asdict(person)).encode()).decode()

    def open(self, value: str | None) -> Person | None:
        if not value:
            return None
        try:
            data = json.loads(self.fernet.decrypt(value.encode(), ttl=self.idle_s))
            return Person(**{**data, "jurisdictions": tuple(data["jurisdictions"])})
        except (InvalidToken, ValueError, TypeError, KeyError):
            return None

    def cookie(self, person: Person | None) -> str:
        """The Set-Cookie value (``None``: delete it)."""
        value, age = (self.seal(person), self.idle_s) if person else ("", 0)
        secure = "; Secure" if self.secure else ""
        return f"{COOKIE}={value}; Path=/; Max-Age={age}; HttpOnly; SameSite=Strict{secure}"


def same_secret(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())
