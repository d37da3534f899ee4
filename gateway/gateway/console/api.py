"""The console reads and acts through the gateway's own API, in process: each console
request calls the ``/v1/alerts`` (and ``/v1/observatory``) routes with the operator's bearer token (set by
:class:`gateway.console.session.ConsoleSessionMiddleware`), so the access table, the
territory checks, the rate limit and the audit log (under the operator's login) apply
exactly as to any partner's call. Nothing is read from the services directly."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import Request

INTERNAL_BASE = "http://gateway.internal"


class ApiRefused(Exception):
    """The API answered an error: its status and ``{"error": code}``."""

    def __init__(self, status: int, code: str):
        super().__init__(f"{status} {code}")
        self.status = status
        self.code = code


async def fetch(request: Request, method: str, path: str, json: Any = None, params: Any = None) -> httpx.Response:
    """The API's answer as is (status, headers, bytes): for what is not JSON (a plot, a CSV)."""
    headers = {"authorization": request.headers.get("authorization", "")}
    request_id = getattr(request.state, "request_id", None)
    if request_id:
        headers["x-request-id"] = request_id
    transport = httpx.ASGITransport(app=request.app, client=("127.0.0.1", 0))
    async with httpx.AsyncClient(transport=transport, base_url=INTERNAL_BASE, timeout=30) as client:
        return await client.request(method, path, json=json, params=params, headers=headers)


async def call_api(request: Request, method: str, path: str, json: Any = None, params: Any = None) -> Any:
    response = await fetch(request, method, path, json=json, params=params)
    try:
        data = response.json()
    except ValueError:
        data = None
    if not 200 <= response.status_code < 300:
        code = data.get("error", "internal_error") if isinstance(data, dict) else "internal_error"
        raise ApiRefused(response.status_code, code)
    return data
