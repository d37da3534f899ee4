"""Refresh tokens of a person's session (the console's login): a JWT (HS256, the
gateway's secret) for the ``<audience>-refresh`` audience, so that it is never accepted
as an access token nor an access token as a refresh token. It names the person and the
time of the login, and expires at the session's maximum after it (12 h, a shift);
each use re-reads the account (disabled: refused)."""

from __future__ import annotations

import time
from typing import Any

import jwt

from gateway.auth.clients import Client
from gateway.auth.tokens import ALGORITHM, TokenConfig

SUFFIX = "-refresh"


def issue_refresh(config: TokenConfig, login: str, max_s: int, now: float | None = None) -> str:
    now = int(time.time() if now is None else now)
    claims = {"iss": config.issuer, "aud": config.audience + SUFFIX, "sub": login, "iat": now, "exp": now + max_s}
    return jwt.encode(claims, config.secret, algorithm=ALGORITHM)


def person_for_refresh(config: TokenConfig, people: Any, token: str) -> Client | None:
    """The active account the refresh token names, or None (expired, forged, disabled)."""
    try:
        claims = jwt.decode(
            token,
            config.secret,
            algorithms=[ALGORITHM],
            audience=config.audience + SUFFIX,
            issuer=config.issuer,
            options={"require": ["exp", "iat", "sub", "aud", "iss"]},
            leeway=5,
        )
    except (jwt.PyJWTError, ValueError, TypeError):
        return None
    return people.active(str(claims["sub"]))
