"""What the operator's pages share: their own templates (a wall screen, dark, with a
small script: console.js), the operator of the request, and the CSRF check of the
script's JSON posts (``X-CSRF-Token``: the session's secret, held in a meta tag)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from tgd_console.operator import labels, view
from tgd_console.session import Person, same_secret
from tgd_console.web import BadForm, signed_in

HERE = Path(__file__).parent
PREFIX = "/regulation"
ROLE = "teleassistance"
# the pages load their own script and style, nothing else, from nowhere else
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
templates.globals.update(labels=labels, label=labels.label, french_question=labels.french_question, prefix=PREFIX)
templates.filters.update(paris=view.paris_time, clock=view.paris_clock, french_date=view.french_date)
templates.globals["journal_detail"] = labels.journal_detail


def page(name: str, status: int = 200, headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
    body = templates.get_template(name).render(**context)
    return HTMLResponse(body, status_code=status, headers={"content-security-policy": CSP, **(headers or {})})


async def operator(request: Request) -> Person:
    """The signed-in operator; a POST must carry the session's CSRF secret in ``X-CSRF-Token``
    (a cross-site page can neither read it nor, with SameSite=Strict, send the cookie)."""
    person = await signed_in(request, ROLE)
    if request.method not in ("GET", "HEAD") and not same_secret(request.headers.get("x-csrf-token"), person.csrf):
        raise BadForm()
    return person


def me(person: Person) -> dict[str, str]:
    return {"login": person.login, "name": person.name, "csrf": person.csrf}
