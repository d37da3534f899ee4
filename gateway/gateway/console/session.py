"""The operator's console session: a signed cookie, turned into the API's bearer token
before the access guard, so that the console goes through the same access table.

- ``tgd_console`` cookie: a JWT (HS256, the gateway's signing secret) for the
  ``tgd-console`` audience (an API token is not a session, nor a session an API token),
  with the operator's login, a CSRF secret, and the time of the login. HttpOnly,
  SameSite=Strict, Path=/console, Secure in production. Sliding: renewed when half of
  its idle lifetime is spent; never beyond ``console_max_session_s`` after the login.
- CSRF: every POST carrying the session cookie must carry the session's CSRF secret
  in ``X-CSRF-Token`` (the page holds it in a meta tag); a cross-site page can neither
  read it nor, with SameSite=Strict, send the cookie at all.
- the cookie names a server-side session (``sid``, kept in
  :class:`gateway.auth.session_store.SessionStore`): logout ends it for good, and so do
  a password rotation (``rotated_at`` after the login) and a disabled account.
- the account is checked on every request: a disabled operator is out at once.
- ``POST /console/login`` is throttled per (login, address) and per address
  (:class:`gateway.auth.throttle.LoginThrottle`): 429 with Retry-After when locked.
- a request that already carries ``Authorization`` is left alone (a browser never adds
  it by itself, so no CSRF risk): the guard authenticates it as for any API call.
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie
from typing import Any

import jwt
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.auth.revocation import epoch_of
from gateway.auth.roles import Principal
from gateway.auth.session_store import SessionStore
from gateway.auth.throttle import LoginThrottle, throttled_login
from gateway.auth.tokens import ALGORITHM, TokenConfig, issue_token
from gateway.console.operators import OperatorStore
from gateway.middleware import header, send_error
from tgd_contracts.errors import ErrorCode

PREFIX = "/console"
COOKIE = "tgd_console"
AUDIENCE_SUFFIX = "-console"
# the routes that work without a session (the guard's PUBLIC lines)
LOGIN_PATH, LOGOUT_PATH = "/console/login", "/console/logout"
OPEN_PATHS = frozenset({LOGIN_PATH})
STATIC_PREFIX = "/console/static/"


@dataclass(frozen=True)
class SessionConfig:
    tokens: TokenConfig  # the API's: same secret and issuer, the audience gets a suffix
    idle_s: int
    max_s: int
    secure: bool
    store: SessionStore | None = None  # None only in unit tests of the cookie itself

    @property
    def audience(self) -> str:
        return self.tokens.audience + AUDIENCE_SUFFIX


@dataclass(frozen=True)
class Session:
    login: str
    csrf: str
    auth_time: int
    expires: int
    sid: str = ""


def issue_session(config: SessionConfig, login: str, now: float | None = None, auth_time: int | None = None,
                  csrf: str | None = None, sid: str | None = None) -> str:  # fmt: skip
    """A session cookie's value; without ``sid`` a new session is opened in the store."""
    now = int(time.time() if now is None else now)
    auth_time = now if auth_time is None else auth_time
    if sid is None:
        sid = secrets.token_urlsafe(24)
        if config.store is not None:
            config.store.open(sid, login, auth_time + config.max_s)
    claims = {
        "iss": config.tokens.issuer,
        "aud": config.audience,
        "sub": login,
        "iat": now,
        "nbf": now,
        "exp": min(now + config.idle_s, auth_time + config.max_s),
        "auth_time": auth_time,
        "csrf": csrf or secrets.token_urlsafe(24),
        "sid": sid,
    }
    return jwt.encode(claims, config.tokens.secret, algorithm=ALGORITHM)


def read_session(config: SessionConfig, token: str) -> Session | None:
    try:
        claims = jwt.decode(
            token,
            config.tokens.secret,
            algorithms=[ALGORITHM],
            audience=config.audience,
            issuer=config.tokens.issuer,
            options={"require": ["exp", "iat", "sub", "aud", "iss", "auth_time", "csrf", "sid"]},
            leeway=5,
        )
        return Session(
            str(claims["sub"]), str(claims["csrf"]), int(claims["auth_time"]), int(claims["exp"]), str(claims["sid"])
        )
    except (jwt.PyJWTError, ValueError, TypeError):
        return None


def session_cookie(config: SessionConfig, token: str | None) -> str:
    """The Set-Cookie value (``None``: delete it)."""
    value, age = (token, config.idle_s) if token else ("", 0)
    secure = "; Secure" if config.secure else ""
    return f"{COOKIE}={value}; Path={PREFIX}; Max-Age={age}; HttpOnly; SameSite=Strict{secure}"


def cookie_value(scope: Scope, name: str) -> str | None:
    raw = header(scope, b"cookie")
    if not raw:
        return None
    try:
        jar = SimpleCookie(raw)
    except CookieError:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


def same_secret(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


class ConsoleSessionMiddleware:
    """Runs before the access guard, only under ``/console``."""

    def __init__(
        self, app: ASGIApp, config: SessionConfig, operators: OperatorStore, throttle: LoginThrottle | None = None
    ):
        self.app = app
        self.config = config
        self.operators = operators
        self.throttle = throttle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path == PREFIX or path.startswith(PREFIX + "/")):
            await self.app(scope, receive, send)
            return
        if path == LOGIN_PATH and scope["method"] == "POST" and self.throttle is not None:
            await throttled_login(self.app, self.throttle, scope, receive, send)
            return
        if path in OPEN_PATHS or path.startswith(STATIC_PREFIX) or header(scope, b"authorization"):
            await self.app(scope, receive, send)
            return
        request_id = scope.get("state", {}).get("request_id")
        token = cookie_value(scope, COOKIE)
        session = read_session(self.config, token) if token else None
        operator = self.operators.active(session.login) if session else None
        if session is not None and operator is not None and not self._live(session, operator):
            operator = None
        if session is None or operator is None:
            if scope["method"] == "GET" and "text/html" in (header(scope, b"accept") or ""):
                await redirect(send, f"{PREFIX}/login", clear=self.config if token else None)
                return
            await self.app(scope, receive, send)  # no credentials: the guard answers 401
            return
        if scope["method"] not in ("GET", "HEAD") and not same_secret(header(scope, b"x-csrf-token"), session.csrf):
            await send_error(send, ErrorCode.FORBIDDEN, request_id)
            return
        if path == LOGOUT_PATH and self.config.store is not None:
            self.config.store.close(session.sid)  # the route clears the cookie; the session is over anyway
        principal = operator.principal()
        bearer = issue_token(
            self.config.tokens, Principal(principal.client_id, principal.role, principal.jurisdictions)
        )
        scope["headers"] = [*scope["headers"], (b"authorization", f"Bearer {bearer}".encode())]
        state = scope.setdefault("state", {})
        state["console"] = {"login": operator.client_id, "name": operator.name, "csrf": session.csrf}
        renewed = self._renewed(session)
        if renewed is None:
            await self.app(scope, receive, send)
            return

        async def send_renewed(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"set-cookie", renewed.encode())]
            await send(message)

        await self.app(scope, receive, send_renewed)

    def _renewed(self, session: Session) -> str | None:
        """A fresh cookie when half of the idle lifetime is spent (same CSRF secret, same login time)."""
        now = time.time()
        if session.expires - now > self.config.idle_s / 2:
            return None
        if session.auth_time + self.config.max_s <= now + 1:
            return None
        token = issue_session(
            self.config, session.login, now=now, auth_time=session.auth_time, csrf=session.csrf, sid=session.sid
        )
        return session_cookie(self.config, token)

    def _live(self, session: Session, operator: Any) -> bool:
        """The session is still open server-side and began after the last password rotation."""
        rotated = epoch_of(operator.rotated_at)
        if rotated is not None and session.auth_time < int(rotated):
            return False
        return self.config.store is None or self.config.store.is_open(session.sid, session.login)


async def redirect(send: Send, location: str, clear: SessionConfig | None = None, cookie: str | None = None) -> None:
    headers: list[tuple[bytes, bytes]] = [(b"location", location.encode()), (b"content-length", b"0")]
    if clear is not None:
        headers.append((b"set-cookie", session_cookie(clear, None).encode()))
    if cookie is not None:
        headers.append((b"set-cookie", cookie.encode()))
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


def console_state(scope_state: Any) -> dict[str, str]:
    """The operator of this request (set by the middleware), or a principal's login when
    the request came with a bearer token (an API-style client)."""
    console = getattr(scope_state, "console", None)
    if console:
        return console
    principal = getattr(scope_state, "principal", None)
    return {"login": principal.client_id, "name": principal.client_id, "csrf": ""}
