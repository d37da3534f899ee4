"""Gateway settings, from ``TGD_GATEWAY_*`` environment variables (and ``AMQP_URI``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TGD_GATEWAY_", extra="ignore")

    # Loopback only until partner authentication exists: nobody else can reach it.
    host: str = "127.0.0.1"
    port: int = 8080
    amqp_uri: str = Field(default="pyamqp://guest:guest@127.0.0.1:5672/", validation_alias="AMQP_URI")
    rpc_timeout_s: float = 10.0
    max_body_bytes: int = 64 * 1024
