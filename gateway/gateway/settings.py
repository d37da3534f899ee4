"""Gateway settings, from ``TGD_GATEWAY_*`` environment variables (and ``AMQP_URI``,
``TGD_ENV``).

``TGD_ENV=development`` (the local default, used by ``tgd up`` and the tests) accepts
the well-known development signing secret; ``production`` refuses to start with it,
with a short one, or with CORS open to any origin.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Known to everyone who reads this file: it only ever signs development tokens.
DEV_JWT_SECRET = "tgd-development-only-signing-secret-not-for-production"  # noqa: S105
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "var" / "gateway"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TGD_GATEWAY_", extra="ignore", populate_by_name=True)

    env: Literal["development", "production"] = Field(default="development", validation_alias="TGD_ENV")
    # Loopback by default; a deployment binds where its reverse proxy (TLS) reaches it.
    host: str = "127.0.0.1"
    port: int = 8080
    amqp_uri: str = Field(default="pyamqp://guest:guest@127.0.0.1:5672/", validation_alias="AMQP_URI")
    rpc_timeout_s: float = 10.0
    max_body_bytes: int = 64 * 1024

    # Partner authentication (OAuth2 client credentials, short-lived HS256 JWTs)
    jwt_secret: str = DEV_JWT_SECRET
    jwt_issuer: str = "tgd-gateway"
    jwt_audience: str = "tgd-api"
    token_ttl_s: int = Field(default=600, ge=30, le=3600)
    # Where the registered clients (clients.json) and the audit log (audit.jsonl) live
    data_dir: Path = DEFAULT_DATA_DIR

    # Per-client token bucket: sustained requests per second and burst
    rate_per_s: float = Field(default=20.0, gt=0)
    rate_burst: int = Field(default=40, ge=1)
    # Operator console (gateway/console): idle lifetime of a session (renewed while the
    # console is open) and the longest session after a login (one shift)
    console_session_idle_s: int = Field(default=1800, ge=60, le=43200)
    console_session_max_s: int = Field(default=43200, ge=300, le=86400)
    # Browser origins allowed by CORS: none by default (partners are systems, not browsers)
    cors_origins: list[str] = []

    @model_validator(mode="after")
    def _no_development_secret_in_production(self) -> Settings:
        if self.env == "production":
            if self.jwt_secret == DEV_JWT_SECRET or len(self.jwt_secret) < 32:
                raise ValueError(
                    "TGD_ENV=production refuses the development signing secret or one shorter than 32 characters: "
                    "set TGD_GATEWAY_JWT_SECRET"
                )
            if "*" in self.cors_origins:
                raise ValueError("TGD_ENV=production refuses CORS for any origin")
        return self
