"""``token_for(role, jurisdiction)``: a bearer token as the token endpoint would issue
it, signed with the development secret (what ``tgd up`` and the e2e gateways use)."""

from __future__ import annotations

from gateway.auth.roles import Principal, Role
from gateway.auth.tokens import TokenConfig, issue_token
from gateway.settings import Settings

DEV = Settings(_env_file=None)
#: Tokens minted for tests, benchmarks and the fault suite live for a whole run: a module-level
#: token outlived the gateway's 10 minutes when a slow suite reached its tests late.
TEST_TOKEN_TTL_S = 6 * 3600


def dev_token_config(**overrides: object) -> TokenConfig:
    values = {
        "secret": DEV.jwt_secret,
        "issuer": DEV.jwt_issuer,
        "audience": DEV.jwt_audience,
        "ttl_s": DEV.token_ttl_s,
        **overrides,
    }
    return TokenConfig(**values)  # type: ignore[arg-type]


def token_for(
    role: Role | str,
    jurisdiction: str | list[str] | None = None,
    *,
    unit: str | None = None,
    client_id: str | None = None,
    config: TokenConfig | None = None,
    now: float | None = None,
) -> str:
    """A token for ``role`` over one jurisdiction (or a list; ``"*"`` or None: national)."""
    codes = [jurisdiction] if isinstance(jurisdiction, str) else list(jurisdiction or ["*"])
    principal = Principal(client_id or f"test-{Role(role).value}", Role(role), frozenset(codes), unit)
    return issue_token(config or dev_token_config(ttl_s=TEST_TOKEN_TTL_S), principal, now=now)


def auth_headers(role: Role | str, jurisdiction: str | list[str] | None = None, **kwargs: object) -> dict[str, str]:
    """``{"Authorization": "Bearer <token_for(...)>"}``."""
    return {"Authorization": f"Bearer {token_for(role, jurisdiction, **kwargs)}"}  # type: ignore[arg-type]
