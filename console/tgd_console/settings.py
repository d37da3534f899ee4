"""Console settings, from ``TGD_CONSOLE_*`` environment variables (and ``TGD_GATEWAY_URL``,
``TGD_ENV``). ``production`` refuses the development cookie key and a plain-HTTP gateway
outside loopback."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from tgd_servicekit.web_settings import WebSettings

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "var" / "console"
# Known to everyone who reads this file: it only ever seals development sessions.
DEV_SESSION_KEY = "tgd-console-development-only-session-key-not-for-production"


class Settings(WebSettings):
    model_config = SettingsConfigDict(env_prefix="TGD_CONSOLE_")

    port: int = 8090
    gateway_url: str = Field(default="http://127.0.0.1:8080", validation_alias="TGD_GATEWAY_URL")
    gateway_timeout_s: float = Field(default=10.0, gt=0)
    # where the sessions' registry lives (tgd_servicekit.session_registry): shared by the console's processes
    data_dir: Path = DEFAULT_DATA_DIR
    # seals the session cookie (the person's tokens never reach the page's script)
    session_key: str = DEV_SESSION_KEY
    # a session lasts at most this long without a request (the gateway's refresh token bounds it too)
    session_idle_s: int = Field(default=1800, ge=60, le=43200)
    # and at most this long after the login (one shift; the gateway's refresh token bounds it too)
    session_max_s: int = Field(default=43200, ge=300, le=86400)
    # login form: failures before a (login, browser address) pair is locked, failures of one
    # address (all logins) before it is locked, and the lock's length
    login_failures_per_pair: int = Field(default=5, ge=1)
    login_failures_per_address: int = Field(default=20, ge=1)
    login_lockout_s: int = Field(default=900, ge=1, le=86400)

    @property
    def secure(self) -> bool:
        return self.env == "production"

    @model_validator(mode="after")
    def _no_development_key_in_production(self) -> Settings:
        if self.env == "production" and (self.session_key == DEV_SESSION_KEY or len(self.session_key) < 32):
            raise ValueError("TGD_ENV=production needs TGD_CONSOLE_SESSION_KEY (32 characters or more)")
        return self
