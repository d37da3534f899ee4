"""Talking to a gateway as a partner from the command line: the gateway's URL, and
tokens either from given client credentials or from demo clients registered in the
local gateway's client store (``TGD_GATEWAY_DATA_DIR``, the store ``tgd clients`` edits)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx

#: The names of the local demo clients ("Démo fictive — <role> <scope>").
CLIENT_PREFIX = "Démo fictive"


class GatewayError(RuntimeError):
    """The gateway refused a command's call (no token, an unexpected status)."""


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
            raise GatewayError(f"the gateway refused the client credentials: {response.text[:200]}")
        return {"Authorization": f"Bearer {response.json()['access_token']}"}
    return RegisteredPartners(http, data_dir(store_dir) / "clients.json").headers(role, scope)


class RegisteredPartners:
    """Tokens of registered clients: found by name in the gateway's client store (or
    registered), their secret rotated, exchanged at ``POST /v1/oauth/token``."""

    def __init__(self, http: httpx.Client, clients_file: Path):
        from gateway.auth.clients import ClientStore

        self.http = http
        self.store = ClientStore(clients_file)
        self.tokens: dict[tuple[str, str, str | None], dict[str, str]] = {}

    def headers(self, role: str, scope: str, unit: str | None = None) -> dict[str, str]:
        """``scope``: a jurisdiction code, a department (forces) or ``*`` (national)."""
        key = (role, scope, unit)
        if key not in self.tokens:
            self.tokens[key] = {"Authorization": f"Bearer {self._token(role, scope, unit)}"}
        return self.tokens[key]

    def _token(self, role: str, scope: str, unit: str | None) -> str:
        from gateway.auth.roles import Role

        name = f"{CLIENT_PREFIX} — {role} {scope}" + (f" {unit}" if unit else "")
        found = next((c for c in self.store.load().values() if c.name == name), None)
        if found is None:
            department = scope.isdigit()
            client, secret = self.store.register(
                name, Role(role), [] if department else [scope], [scope] if department else [], unit
            )
            client_id = client.client_id
        else:
            client_id, secret = found.client_id, self.store.rotate(found.client_id)
        form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
        response = self.http.post("/v1/oauth/token", data=form)
        if response.status_code != 200:
            raise GatewayError(f"no token for {name}: {response.text}")
        return response.json()["access_token"]


def raise_alert(
    http: httpx.Client, headers: dict[str, str], device_id: str, press_id: str, position: dict | None = None
) -> dict[str, Any]:
    """``POST /v1/device-alerts``: a press of the alert key, with a position (the device platform's call)."""
    from datetime import UTC, datetime

    now = datetime.now(UTC).isoformat()
    body: dict[str, Any] = {"device_id": device_id, "press_id": press_id, "triggered_at": now}
    body["position"] = {"lat": 46.5657, "lon": 3.3327, "accuracy_m": 20.0, **(position or {}), "fixed_at": now}
    response = http.post("/v1/device-alerts", json=body, headers=headers)
    if response.status_code not in (200, 201, 202):
        raise GatewayError(f"POST /v1/device-alerts: {response.status_code} {response.text[:300]}")
    return response.json()
