"""What every screen shares: the templates, the signed-in person (her token renewed when
due), calls to the API with her token, form parsing and the CSRF check."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from tgd_console import labels, view
from tgd_console.gateway import ApiRefused, Gateway
from tgd_console.session import COOKIE, Person, Sealer, same_secret

HERE = Path(__file__).parent
# the pages load their own style sheet, nothing else, from nowhere else; no script at all
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
MAX_FORM_BYTES = 64 * 1024

templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
templates.globals.update(labels=labels, label=labels.label)
templates.filters.update(paris=view.paris, french_date=view.french_date)


class LoginRequired(Exception):
    """No valid session: back to the login form."""


class WrongRole(Exception):
    """Signed in, but this screen is another partner's."""


class BadForm(Exception):
    """The form's CSRF secret is missing or wrong."""


def page(name: str, status: int = 200, headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
    body = templates.get_template(name).render(**context)
    return HTMLResponse(body, status_code=status, headers={"content-security-policy": CSP, **(headers or {})})


def gateway(request: Request) -> Gateway:
    return request.app.state.gateway


def sealer(request: Request) -> Sealer:
    return request.app.state.sealer


async def signed_in(request: Request, role: str | None) -> Person:
    """The person of this request, her access token renewed when it is about to expire;
    ``role``: the screen's (None: any person's)."""
    person = sealer(request).open(request.cookies.get(COOKIE))
    if person is None or not request.app.state.sessions.is_open(person.sid, person.login):
        raise LoginRequired()  # no cookie, a forged or stale one, or a session ended (logout)
    if person.needs_renewal():
        if not person.refresh_token:
            raise LoginRequired()
        try:
            person = person.renewed(await gateway(request).refresh(person.refresh_token))
        except ApiRefused:
            raise LoginRequired() from None
    request.state.person = person  # resealed on the response (sliding session)
    if role is not None and person.role != role:
        raise WrongRole()
    return person


async def api(request: Request, method: str, path: str, json: Any = None, params: Any = None) -> Any:
    """The API's answer with the person's token; 401 (her account disabled, her password
    rotated, her token revoked) ends her session here too: back to the login."""
    person: Person = request.state.person
    key = secrets.token_hex(16) if method == "POST" else None
    try:
        return await gateway(request).call(person.access_token, method, path, json=json, params=params, key=key)
    except ApiRefused as exc:
        if exc.status == 401:
            request.app.state.sessions.close(person.sid)
            raise LoginRequired() from None
        raise


async def form_of(request: Request) -> dict[str, list[str]]:
    """A posted form (``application/x-www-form-urlencoded``), CSRF checked."""
    raw = await request.body()
    if len(raw) > MAX_FORM_BYTES:
        raise BadForm()
    try:
        fields = parse_qs(raw.decode("utf-8"), keep_blank_values=True, max_num_fields=300)
    except (UnicodeDecodeError, ValueError):
        raise BadForm() from None
    if not same_secret((fields.get("csrf") or [""])[0], request.state.person.csrf):
        raise BadForm()
    return fields


def one(fields: dict[str, list[str]], name: str, limit: int = 5000) -> str:
    return (fields.get(name) or [""])[0].strip()[:limit]


def court(request: Request, person: Person) -> str:
    """The court shown: ``?j=`` when it is one of the person's, else her first."""
    wanted = request.query_params.get("j")
    return wanted if wanted in person.jurisdictions else person.jurisdictions[0]


def now() -> datetime:
    return datetime.now(UTC)
