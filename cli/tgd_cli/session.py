"""Talking to a gateway as a partner from the command line: the gateway's URL, and
tokens either from given client credentials or from demo clients registered in the
local gateway's client store (``TGD_GATEWAY_DATA_DIR``, the store ``tgd clients`` edits)."""

from __future__ import annotations

import os
from pathlib import Path

import httpx

from tgd_cli.seed import RegisteredPartners, SeedError


def data_dir(given: Path | None) -> Path:
    if given is not None:
        return given
    from gateway.settings import Settings

    return Settings().data_dir


def client(gateway: str) -> httpx.Client:
    return httpx.Client(base_url=gateway.rstrip("/"), timeout=30)


def headers_for(
    http: httpx.Client, role: str, scope: str, store_dir: Path | None, client_id: str | None, client_secret: str | None
) -> dict[str, str]:
    """A bearer header: the given client's, else a local demo client's of ``role`` over ``scope``."""
    client_id = client_id or os.environ.get("TGD_CLIENT_ID")
    client_secret = client_secret or os.environ.get("TGD_CLIENT_SECRET")
    if client_id and client_secret:
        form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret}
        response = http.post("/v1/oauth/token", data=form)
        if response.status_code != 200:
            raise SeedError(f"the gateway refused the client credentials: {response.text[:200]}")
        return {"Authorization": f"Bearer {response.json()['access_token']}"}
    return RegisteredPartners(http, data_dir(store_dir) / "clients.json").headers(role, scope)
