"""Refresh tokens of a person's session (the console's login): a JWT (HS256, the
gateway's secret) for the ``<audience>-refresh`` audience, so that it is never accepted
as an access token nor an access token as a refresh token. It names the person and the
time of the login, and expires at the session's maximum after it (12 h, a shift);
each use re-reads the account (disabled: refused). It names a server-side session
(``sid``, kept in the console sessions' store): the console's logout revokes it
(``POST /v1/oauth/revoke``), so a copy of it is worth nothing afterwards."""

from __future__ import annotations

import secrets
import time
from typing import Any

import jwt

from gateway.auth.clients import Client
from gateway.auth.tokens import ALGORITHM, TokenConfig

SUFFIX = "-refresh"


def issue_refresh(config: TokenConfig, login: str, max_s: int, store: Any, now: float | None = None) -> str:
    now = int(time.time() if now is None else now)
    sid = secrets.token_urlsafe(24)
    store.open(sid, login, now + max_s)
    claims = {"iss": config.issuer, "aud": config.audience + SUFFIX, "sub": login, "iat": now, "exp": now + max_s}
    return jwt.encode({**claims, "sid": sid}, config.secret, algorithm=ALGORITHM)


def person_for_refresh(config: TokenConfig, people: Any, token: str, store: Any) -> Client | None:
    """The active account the refresh token names while its session is open, or None
    (expired, forged, revoked, disabled)."""
    claims = refresh_claims(config, token)
    if claims is None or not store.is_open(str(claims["sid"]), str(claims["sub"])):
        return None
    return people.active(str(claims["sub"]))


def revoke(config: TokenConfig, token: str, store: Any) -> None:
    """End the session a refresh token names (RFC 7009: an unknown token is not an error)."""
    claims = refresh_claims(config, token)
    if claims is not None:
        store.close(str(claims["sid"]))


def refresh_claims(config: TokenConfig, token: str) -> dict[str, Any] | None:
    try:
        claims = jwt.decode(
            token,
            config.secret,
            algorithms=[ALGORITHM],
            audience=config.audience + SUFFIX,
            issuer=config.issuer,
            options={"require": ["exp", "iat", "sub", "aud", "iss", "sid"]},
            leeway=5,
        )
    except (jwt.PyJWTError, ValueError, TypeError):
        return None
    return claims
