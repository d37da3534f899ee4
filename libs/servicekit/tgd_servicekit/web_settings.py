"""What the settings of the platform's two web processes (the gateway and the console)
share: ``TGD_ENV`` (``production`` in every image, where development keys are refused),
a loopback address unless told otherwise (a deployment binds where its reverse proxy
reaches it), and unknown environment variables ignored. Each subclass names its own
``env_prefix`` (``TGD_GATEWAY_``, ``TGD_CONSOLE_``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class WebSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    env: Literal["development", "production"] = Field(default="development", validation_alias="TGD_ENV")
    host: str = "127.0.0.1"
