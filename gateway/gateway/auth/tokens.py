"""Short-lived signed access tokens (JWT, HS256): issued by the token endpoint,
verified on every request. Claims: ``iss``, ``aud``, ``sub`` (client id), ``iat``,
``nbf``, ``exp``, ``jti``, ``scope`` (the role), ``jur`` (jurisdiction codes),
``unit`` (a force's unit, optional).

Whatever its claims say, a token is refused more than ``max_lifetime_s`` after its
``iat`` (and one whose ``iat`` is in the future): a token minted with a far ``exp``
(a leaked signing key, a bug) does not live on. Revocation (a disabled or rotated
client) is checked per request by the access guard (:mod:`gateway.auth.revocation`).

:class:`TokenVerifier` remembers the tokens it verified (bounded, keyed by the token's
exact text) until they expire: a partner's next request with the same token skips the
signature and claims decoding. Only that is cached: the lifetime checks are re-made on
each use, and revocation is the guard's, per request."""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass

import jwt

from gateway.auth.roles import Principal, Role

ALGORITHM = "HS256"
LEEWAY_S = 5


@dataclass(frozen=True)
class TokenConfig:
    secret: str
    issuer: str
    audience: str
    ttl_s: int
    max_lifetime_s: int = 3600


class InvalidToken(Exception):
    """Tampered, expired, not yet valid, for another audience or issuer, or malformed."""


def issue_token(config: TokenConfig, principal: Principal, now: float | None = None) -> str:
    now = time.time() if now is None else now
    claims = {
        "iss": config.issuer,
        "aud": config.audience,
        "sub": principal.client_id,
        "iat": int(now),
        "nbf": int(now),
        "exp": int(now) + config.ttl_s,
        "jti": uuid.uuid4().hex,
        "scope": principal.role.value,
        "jur": sorted(principal.jurisdictions),
    }
    if principal.unit:
        claims["unit"] = principal.unit
    return jwt.encode(claims, config.secret, algorithm=ALGORITHM)


def verify_token(config: TokenConfig, token: str) -> Principal:
    return verify_token_issued(config, token)[0]


def verify_token_issued(config: TokenConfig, token: str, now: float | None = None) -> tuple[Principal, int]:
    """The principal and the token's ``iat`` (for the revocation check)."""
    principal, issued, _ = _verify(config, token, now)
    return principal, issued


def _verify(config: TokenConfig, token: str, now: float | None = None) -> tuple[Principal, int, int]:
    now = time.time() if now is None else now
    try:
        claims = jwt.decode(
            token,
            config.secret,
            algorithms=[ALGORITHM],
            audience=config.audience,
            issuer=config.issuer,
            options={"require": ["exp", "iat", "nbf", "sub", "aud", "iss", "scope", "jur"]},
            leeway=LEEWAY_S,
        )
        issued, expires = claims["iat"], claims["exp"]
        if not isinstance(issued, int) or not isinstance(expires, int) or issued > now + LEEWAY_S:
            raise InvalidToken("malformed or future iat")
        if expires - issued > config.max_lifetime_s or now - issued > config.max_lifetime_s + LEEWAY_S:
            raise InvalidToken("lifetime over the maximum")
        jurisdictions = claims["jur"]
        if not isinstance(jurisdictions, list) or not all(isinstance(j, str) for j in jurisdictions):
            raise InvalidToken("malformed jur claim")
        unit = claims.get("unit")
        principal = Principal(
            client_id=str(claims["sub"]),
            role=Role(claims["scope"]),
            jurisdictions=frozenset(jurisdictions),
            unit=unit if isinstance(unit, str) else None,
        )
        return principal, issued, expires
    except (jwt.PyJWTError, ValueError, KeyError) as exc:
        raise InvalidToken(type(exc).__name__) from None


class TokenVerifier:
    """:func:`verify_token_issued` with a cache of the tokens already verified, each kept
    until it would be refused for its age (``exp`` or the maximum lifetime, leeway
    included), at most ``max_entries`` (least recently used first out). Refused tokens
    are not kept (a flood of forged tokens cannot evict the good ones)."""

    def __init__(self, config: TokenConfig, max_entries: int = 10_000):
        self.config = config
        self.max_entries = max_entries
        self._verified: OrderedDict[str, tuple[Principal, int, int]] = OrderedDict()

    def verify(self, token: str, now: float | None = None) -> tuple[Principal, int]:
        now = time.time() if now is None else now
        found = self._verified.get(token)
        if found is not None:
            principal, issued, expires = found
            if self._young_enough(issued, expires, now):
                self._verified.move_to_end(token)
                return principal, issued
            del self._verified[token]
            raise InvalidToken("expired")
        principal, issued, expires = _verify(self.config, token, now)
        self._verified[token] = (principal, issued, expires)
        if len(self._verified) > self.max_entries:
            self._verified.popitem(last=False)
        return principal, issued

    def _young_enough(self, issued: int, expires: int, now: float) -> bool:
        """The age checks of :func:`_verify`, exactly: PyJWT refuses ``exp <= now - leeway``,
        then the maximum lifetime ``now - iat > max + leeway``."""
        return expires > now - LEEWAY_S and now - issued <= self.config.max_lifetime_s + LEEWAY_S
