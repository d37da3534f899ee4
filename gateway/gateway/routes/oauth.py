"""``POST /v1/oauth/token``: OAuth2 client credentials (RFC 6749 §4.4). A registered
partner system exchanges its client id and secret (form fields or HTTP Basic) for a
short-lived bearer token carrying its role and jurisdictions.

A person (an operator, a magistrate or clerk, an association worker: ``tgd operators``)
logs in through the console (``console/``), which exchanges her login and password for
HER token (``grant_type=password``, §4.3) and renews it with the refresh token it got
(``grant_type=refresh_token``) until the session's maximum; the account is checked on
each renewal, so a disabled person is out within one access token's lifetime. The
console holds no token of its own: every call it makes is the person's
(:mod:`gateway.auth.person_tokens`)."""

from __future__ import annotations

import asyncio
import base64
import binascii
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qs, unquote

from fastapi import APIRouter, Request
from pydantic import BaseModel

from gateway.auth.person_tokens import issue_refresh, person_for_refresh, revoke
from gateway.auth.tokens import issue_token
from gateway.errors import error_responses
from tgd_contracts.errors import ErrorCode, TgdError

router = APIRouter(prefix="/v1/oauth", tags=["authentication"])
FIELD_MAX = 200
FORM_SCHEMA = {
    "type": "object",
    "properties": {
        "grant_type": {"type": "string", "enum": ["client_credentials", "password", "refresh_token"]},
        "client_id": {"type": "string", "minLength": 1, "maxLength": 64},
        "client_secret": {"type": "string", "minLength": 1, "maxLength": FIELD_MAX},
        "username": {"type": "string", "minLength": 1, "maxLength": 64},
        "password": {"type": "string", "minLength": 1, "maxLength": FIELD_MAX},
        "refresh_token": {"type": "string", "minLength": 1, "maxLength": FIELD_MAX * 5},
        "scope": {"type": "string", "maxLength": FIELD_MAX},
    },
    "required": ["grant_type"],
    "additionalProperties": False,
}


@dataclass(frozen=True)
class PersonSessions:
    """People's sessions: their refresh tokens name one kept in ``store`` (ended at logout),
    and last at most ``max_s`` after the login."""

    store: Any  # gateway.auth.session_store.SessionStore
    max_s: int


class Revoked(BaseModel):
    """The answer to a revocation (the same whether the token was known or not)."""

    status: Literal["revoked"]


class Token(BaseModel):
    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    scope: str
    refresh_token: str | None = None
    name: str | None = None  # a person's name, for her screens (person grants only)


def form_fields(raw: bytes) -> dict[str, str]:
    try:
        parsed = parse_qs(raw.decode("ascii"), keep_blank_values=True, strict_parsing=bool(raw), max_num_fields=8)
    except (UnicodeDecodeError, ValueError):
        raise TgdError("The form is not valid URL-encoded ASCII.", code=ErrorCode.INVALID_REQUEST) from None
    if any(len(v) != 1 or len(v[0]) > FIELD_MAX * (5 if k == "refresh_token" else 1) for k, v in parsed.items()) or set(
        parsed
    ) - set(FORM_SCHEMA["properties"]):
        raise TgdError("Unknown, repeated or oversized form fields.", code=ErrorCode.INVALID_REQUEST)
    return {k: v[0] for k, v in parsed.items()}


def basic_credentials(value: str | None) -> tuple[str, str] | None:
    if not value or not value.lower().startswith("basic "):
        return None
    try:
        client_id, sep, secret = base64.b64decode(value[6:].strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (unquote(client_id), unquote(secret)) if sep else None


@router.post(
    "/token",
    response_model=Token,
    summary="Obtain an access token (OAuth2 client credentials)",
    description="Form fields `grant_type=client_credentials`, `client_id`, `client_secret` (or HTTP Basic). "
    "The token is a signed JWT for the `Authorization: Bearer` header; it expires after `expires_in` seconds.",
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": FORM_SCHEMA}}}
    },
    responses=error_responses(
        ErrorCode.INVALID_REQUEST,
        ErrorCode.UNSUPPORTED_GRANT_TYPE,
        ErrorCode.INVALID_CLIENT,
        ErrorCode.PAYLOAD_TOO_LARGE,
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    ),
)
async def token(request: Request) -> Token:
    if (request.headers.get("content-type") or "").split(";")[0].strip().lower() != (
        "application/x-www-form-urlencoded"
    ):
        raise TgdError(code=ErrorCode.UNSUPPORTED_MEDIA_TYPE)
    form = form_fields(await request.body())
    if "grant_type" not in form:
        raise TgdError("grant_type is required.", code=ErrorCode.INVALID_REQUEST)
    if form["grant_type"] in ("password", "refresh_token"):
        return await person_token(request, form)
    if form["grant_type"] != "client_credentials":
        raise TgdError(code=ErrorCode.UNSUPPORTED_GRANT_TYPE)
    credentials = basic_credentials(request.headers.get("authorization"))
    if credentials is None:
        credentials = (form.get("client_id", ""), form.get("client_secret", ""))
    client_id, secret = credentials
    # argon2 verification costs ~20-50 ms of CPU: in a worker thread (argon2 releases the GIL),
    # never on the event loop that carries every other partner's requests
    clients = request.app.state.clients
    client = await asyncio.to_thread(clients.authenticate, client_id, secret) if client_id and secret else None
    if client is None:
        raise TgdError(code=ErrorCode.INVALID_CLIENT)
    config = request.app.state.tokens
    return Token(
        access_token=issue_token(config, client.principal()),
        token_type="Bearer",  # noqa: S106
        expires_in=config.ttl_s,
        scope=client.role.value,
    )


async def person_token(request: Request, form: dict[str, str]) -> Token:
    """A person's token (password, or the renewal of a session with its refresh token)."""
    people = request.app.state.operators
    config = request.app.state.tokens
    max_s = request.app.state.person_sessions.max_s
    sessions = request.app.state.person_sessions.store  # people's sessions: revocable
    if form["grant_type"] == "password":
        login, password = form.get("username", "")[:64], form.get("password", "")
        throttle, address = request.app.state.login_throttle, request.client.host if request.client else "-"
        if throttle.retry_after(login, address) > 0:  # the console has its own per browser address too
            raise TgdError("Too many failed logins: retry later.", code=ErrorCode.RATE_LIMITED)
        person = await asyncio.to_thread(people.authenticate, login, password) if login and password else None
        if person is None:
            throttle.failed(login, address)
        else:
            throttle.succeeded(login, address)
        refresh = issue_refresh(config, person.client_id, max_s, sessions) if person else None
    else:
        person = person_for_refresh(config, people, form.get("refresh_token", ""), sessions)
        refresh = form.get("refresh_token")
    if person is None:
        raise TgdError(code=ErrorCode.INVALID_CLIENT)
    return Token(
        access_token=issue_token(config, person.principal()),
        token_type="Bearer",  # noqa: S106
        expires_in=config.ttl_s,
        scope=person.role.value,
        refresh_token=refresh,
        name=person.name,
    )


@router.post(
    "/revoke",
    summary="Revoke a person's refresh token: the console's logout (RFC 7009)",
    description="Form field `token` (the refresh token). Its session ends at once; an unknown or expired token "
    "is not an error (200 either way).",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {"token": {"type": "string", "minLength": 1, "maxLength": FIELD_MAX * 5}},
                        "required": ["token"],
                        "additionalProperties": False,
                    }
                }
            },
        }
    },
    responses=error_responses(ErrorCode.INVALID_REQUEST, ErrorCode.UNSUPPORTED_MEDIA_TYPE),
)
async def revoke_token(request: Request) -> Revoked:
    if (request.headers.get("content-type") or "").split(";")[0].strip().lower() != (
        "application/x-www-form-urlencoded"
    ):
        raise TgdError(code=ErrorCode.UNSUPPORTED_MEDIA_TYPE)
    raw = await request.body()
    try:
        parsed = parse_qs(raw.decode("ascii"), max_num_fields=2)
    except (UnicodeDecodeError, ValueError):
        raise TgdError("The form is not valid URL-encoded ASCII.", code=ErrorCode.INVALID_REQUEST) from None
    token = (parsed.get("token") or [""])[0]
    if not token or len(token) > FIELD_MAX * 5:
        raise TgdError("token is required.", code=ErrorCode.INVALID_REQUEST)
    revoke(request.app.state.tokens, token, request.app.state.person_sessions.store)
    return Revoked(status="revoked")
