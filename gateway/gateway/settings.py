"""Gateway settings, from ``TGD_GATEWAY_*`` environment variables (and ``AMQP_URI``,
``TGD_ENV``).

``TGD_ENV=development`` (the local default, used by ``tgd up`` and the tests) accepts
the well-known development signing secret and audit key; ``production`` (what every
image and deployment sets) refuses to start with either, with a short one, or with
CORS open to any origin.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from tgd_servicekit.web_settings import WebSettings

# Known to everyone who reads this file: it only ever signs development tokens.
DEV_JWT_SECRET = "tgd-development-only-signing-secret-not-for-production"  # noqa: S105
DEV_AUDIT_KEY = "tgd-development-only-audit-key-not-for-production"
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "var" / "gateway"


class Settings(WebSettings):
    """``env`` and ``host`` (loopback by default): :class:`tgd_servicekit.web_settings.WebSettings`."""

    model_config = SettingsConfigDict(env_prefix="TGD_GATEWAY_")

    port: int = 8080
    amqp_uri: str = Field(default="pyamqp://guest:guest@127.0.0.1:5672/", validation_alias="AMQP_URI")
    rpc_timeout_s: float = 10.0
    max_body_bytes: int = 64 * 1024

    # Partner authentication (OAuth2 client credentials, short-lived HS256 JWTs)
    jwt_secret: str = DEV_JWT_SECRET
    jwt_issuer: str = "tgd-gateway"
    jwt_audience: str = "tgd-api"
    token_ttl_s: int = Field(default=600, ge=30, le=3600)
    # The longest a token is accepted after its issue, whatever its claims say: by default
    # one hour in production; a day in development (whose public secret protects nothing,
    # and whose test tokens live for a whole test run)
    token_max_lifetime_s: int | None = Field(default=None, ge=30, le=86400)
    # Where the registered clients (clients.json) and the audit log (audit.jsonl) live
    data_dir: Path = DEFAULT_DATA_DIR

    # The access log's entries and its anchored head are MACed with this key (HMAC-SHA256);
    # the head is written to ``audit_anchor`` (default: audit.head.json beside the log; a
    # deployment puts it on another volume)
    audit_key: str = DEV_AUDIT_KEY
    audit_anchor: Path | None = None
    # A request's headers, then its body, must arrive within these delays (gateway/serving.py:
    # a connection with incomplete headers is closed; a late body gets 408)
    header_timeout_s: float = Field(default=10.0, gt=0, le=120)
    body_timeout_s: float = Field(default=10.0, gt=0, le=120)
    # Reverse proxies (comma-separated addresses) whose X-Forwarded-For names the caller
    forwarded_allow_ips: str | None = None
    # Server-sent-event streams open at once: per client, and for the whole process
    streams_per_client: int = Field(default=2, ge=1, le=100)
    streams_total: int = Field(default=100, ge=1, le=10000)
    # A person's login (password grant): failures before a (login, address) pair is locked, failures of one
    # address (all logins) before it is locked, and the lock's length
    login_failures_per_pair: int = Field(default=5, ge=1)
    login_failures_per_address: int = Field(default=20, ge=1)
    login_lockout_s: int = Field(default=900, ge=1, le=86400)

    # Per-client token bucket: sustained requests per second and burst
    rate_per_s: float = Field(default=20.0, gt=0)
    rate_burst: int = Field(default=40, ge=1)
    # A person's session (console/): the longest after her login (one shift), the lifetime
    # of her refresh token
    console_session_max_s: int = Field(default=43200, ge=300, le=86400)
    # Where the people's console (console/) is: GET /console redirects there for a while
    console_url: str = "http://127.0.0.1:8090"
    # Browser origins allowed by CORS: none by default (partners are systems, not browsers)
    cors_origins: list[str] = Field(default_factory=list)

    @property
    def token_max_lifetime(self) -> int:
        default = 3600 if self.env == "production" else 86400
        return max(self.token_ttl_s, self.token_max_lifetime_s or default)

    @model_validator(mode="after")
    def _no_development_secret_in_production(self) -> Settings:
        if self.env == "production":
            if (self.token_max_lifetime_s or 0) > 3600:
                raise ValueError("TGD_ENV=production caps TGD_GATEWAY_TOKEN_MAX_LIFETIME_S at 3600")
            if self.jwt_secret == DEV_JWT_SECRET or len(self.jwt_secret) < 32:
                raise ValueError(
                    "TGD_ENV=production refuses the development signing secret or one shorter than 32 characters: "
                    "set TGD_GATEWAY_JWT_SECRET"
                )
            if self.audit_key == DEV_AUDIT_KEY or len(self.audit_key) < 32:
                raise ValueError(
                    "TGD_ENV=production refuses the development audit key or one shorter than 32 characters: "
                    "set TGD_GATEWAY_AUDIT_KEY"
                )
            if "*" in self.cors_origins:
                raise ValueError("TGD_ENV=production refuses CORS for any origin")
        return self
