"""Login and logout, for every person (parquet, association, the platform's operators).
The login form posts the person's login and password; the console exchanges them at the
gateway for HER token (``grant_type=password``) and keeps it in the sealed session
cookie, naming a session opened in the server-side registry. The form has its own
double-submit CSRF secret; attempts are throttled per (login, browser address) and per
address (:mod:`tgd_servicekit.login_throttle`): 429 with Retry-After while locked. Logout ends the
session here and revokes the refresh token at the gateway (``/v1/oauth/revoke``)."""

from __future__ import annotations

import logging
import secrets
import time
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tgd_console import labels
from tgd_console.gateway import ApiRefused
from tgd_console.session import COOKIE, Person, same_secret
from tgd_console.web import MAX_FORM_BYTES, gateway, page, sealer

router = APIRouter()
log = logging.getLogger(__name__)
LOGIN_COOKIE = "tgd_people_login"
HOME = {"prosecutor": "/parquet", "association": "/association", "teleassistance": "/regulation"}


@router.get("/")
async def home(request: Request) -> Response:
    person = sealer(request).open(request.cookies.get(COOKIE))
    live = person is not None and request.app.state.sessions.is_open(person.sid, person.login)
    return RedirectResponse(HOME.get(person.role, "/login") if live else "/login", status_code=303)


@router.get("/login")
async def login_form(request: Request) -> HTMLResponse:
    return login_page(request)


def login_page(
    request: Request, error: str | None = None, status: int = 200, headers: dict[str, str] | None = None
) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    cookie = f"{LOGIN_COOKIE}={token}; Path=/login; Max-Age=900; HttpOnly; SameSite=Strict"
    if request.app.state.settings.secure:
        cookie += "; Secure"
    return page("login.html", status, {"set-cookie": cookie, **(headers or {})}, login_csrf=token, error=error,
                person=None)  # fmt: skip


@router.post("/login")
async def login(request: Request) -> Response:
    raw = await request.body()
    try:
        fields = parse_qs(raw[:MAX_FORM_BYTES].decode("utf-8"), keep_blank_values=True, max_num_fields=4)
    except (UnicodeDecodeError, ValueError):
        fields = {}
    one = lambda name: (fields.get(name) or [""])[0][:200]  # noqa: E731
    if not same_secret(one("csrf"), request.cookies.get(LOGIN_COOKIE) or ""):
        return login_page(request, labels.error("csrf"), 400)
    login, address = one("login").strip()[:64], request.client.host if request.client else "-"
    throttle = request.app.state.login_throttle
    wait = throttle.retry_after(login, address)
    if wait > 0:
        return login_page(request, labels.locked(wait), 429, {"retry-after": str(int(wait) + 1)})
    try:
        grant = await gateway(request).log_in(login, one("password"))
    except ApiRefused as exc:
        code = "invalid_client" if exc.status in (400, 401) else exc.code
        status = {"invalid_client": 401, "rate_limited": 429}.get(code, 503)
        if status == 401:
            throttle.failed(login, address)
        return login_page(request, labels.error(code), status)
    throttle.succeeded(login, address)
    person = Person.from_grant(grant)
    if person.role not in HOME:  # a partner system's account has no screen
        return page("message.html", 403, person=None, message=labels.error("forbidden"))
    settings = request.app.state.settings
    request.app.state.sessions.open(person.sid, person.login, time.time() + settings.session_max_s)
    log.info("console login: role %s", person.role)  # no login, no name: the gateway's audit has them
    response = RedirectResponse(HOME[person.role], status_code=303)
    response.headers.append("set-cookie", sealer(request).cookie(person))
    response.headers.append("set-cookie", f"{LOGIN_COOKIE}=; Path=/login; Max-Age=0; HttpOnly; SameSite=Strict")
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    person = sealer(request).open(request.cookies.get(COOKIE))
    fields = parse_qs((await request.body())[:4096].decode("utf-8", "replace"))
    if person is not None and not same_secret((fields.get("csrf") or [""])[0], person.csrf):
        return page("message.html", 400, person=person, message=labels.error("csrf"))
    if person is not None:
        request.app.state.sessions.close(person.sid)  # a copy of the cookie is worth nothing now
        if person.refresh_token:
            await gateway(request).revoke(person.refresh_token)
    response = RedirectResponse("/login", status_code=303)
    response.headers.append("set-cookie", sealer(request).cookie(None))
    return response


@router.get("/static/console.css")
async def style() -> Response:
    from tgd_console.web import HERE

    return Response((HERE / "static" / "console.css").read_bytes(), media_type="text/css; charset=utf-8")
