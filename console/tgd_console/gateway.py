"""The gateway's API over HTTP, always with the person's own bearer token: the console
holds no token of its own. The login exchanges the person's login and password for her
token (``grant_type=password``) and renews it with the refresh token
(``grant_type=refresh_token``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import jwt
from opentelemetry import propagate


class ApiRefused(Exception):
    """The API answered an error: its status and code (``{"error": code}``)."""

    def __init__(self, status: int, code: str):
        super().__init__(f"{status} {code}")
        self.status = status
        self.code = code


@dataclass(frozen=True)
class Grant:
    access_token: str
    refresh_token: str | None
    expires_in: int
    role: str
    jurisdictions: tuple[str, ...]
    login: str
    name: str


async def carry_trace_context(request: httpx.Request) -> None:
    """Put the current span's W3C trace context on a call to the gateway, so that a
    person's action on a screen and the gateway's work are one trace."""
    propagate.inject(request.headers)


def read_claims(token: str) -> dict[str, Any]:
    """The token's claims, to know whose it is and which courts to ask about. Not a
    security check: the gateway verifies the token on every call."""
    return jwt.decode(token, options={"verify_signature": False})


class Gateway:
    def __init__(self, client: httpx.AsyncClient):
        self.client = client

    async def _grant(self, form: dict[str, str]) -> Grant:
        try:
            response = await self.client.post("/v1/oauth/token", data=form)
        except httpx.HTTPError:
            raise ApiRefused(503, "service_unavailable") from None
        if response.status_code != 200:
            raise ApiRefused(response.status_code, error_code(response))
        body = response.json()
        claims = read_claims(body["access_token"])
        return Grant(
            access_token=body["access_token"],
            refresh_token=body.get("refresh_token") or form.get("refresh_token"),
            expires_in=int(body["expires_in"]),
            role=str(claims.get("scope")),
            jurisdictions=tuple(claims.get("jur") or ()),
            login=str(claims.get("sub")),
            name=str(body.get("name") or claims.get("sub")),
        )

    async def log_in(self, login: str, password: str) -> Grant:
        return await self._grant({"grant_type": "password", "username": login, "password": password})

    async def refresh(self, refresh_token: str) -> Grant:
        return await self._grant({"grant_type": "refresh_token", "refresh_token": refresh_token})

    async def revoke(self, refresh_token: str) -> None:
        """End the person's session at the gateway (the logout): her refresh token stops working."""
        try:
            await self.client.post("/v1/oauth/revoke", data={"token": refresh_token})
        except httpx.HTTPError:
            return  # the cookie is cleared anyway; the session ends at its maximum

    async def raw(self, token: str, path: str, params: Any = None) -> httpx.Response:
        """The API's answer as is (a plot, a CSV): status, headers and bytes."""
        try:
            return await self.client.get(path, params=params, headers={"authorization": f"Bearer {token}"})
        except httpx.HTTPError:
            raise ApiRefused(503, "service_unavailable") from None

    async def call(
        self, token: str, method: str, path: str, json: Any = None, params: Any = None, key: str | None = None
    ) -> Any:
        headers = {"authorization": f"Bearer {token}"}
        if key:
            headers["idempotency-key"] = key
        try:
            response = await self.client.request(method, path, json=json, params=params, headers=headers)
        except httpx.HTTPError:
            raise ApiRefused(503, "service_unavailable") from None
        if not 200 <= response.status_code < 300:
            raise ApiRefused(response.status_code, error_code(response))
        return response.json()


def error_code(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return "internal_error"
    return str(data.get("error", "internal_error")) if isinstance(data, dict) else "internal_error"
