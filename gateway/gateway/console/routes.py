"""The operator console (console de régulation): server-rendered pages and fragments
under ``/console``, refreshed by a small script (console.js, no build step).

Each route has its line in the access table (gateway/auth/access.py, CONSOLE_ACCESS);
the pages read and act through the ``/v1/alerts`` API in process (:mod:`.api`), with
the operator's identity. Bodies of the actions are JSON (like the API's), sent by the
script with the session's CSRF token; the login form is the only form post."""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel, ConfigDict, Field

from gateway.console import labels, view
from gateway.console.api import ApiRefused, call_api
from gateway.console.operators import OperatorStore
from gateway.console.session import PREFIX, SessionConfig, console_state, cookie_value, issue_session, session_cookie

HERE = Path(__file__).parent
STATIC = {"console.css": "text/css; charset=utf-8", "console.js": "text/javascript; charset=utf-8"}
LOGIN_COOKIE = "tgd_console_login"  # the login form's CSRF secret (double submit), before any session
# the console's pages load their own script and style, nothing else, from nowhere else
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

router = APIRouter(prefix=PREFIX, include_in_schema=False)
templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
templates.globals.update(labels=labels, label=labels.label, french_question=labels.french_question)
templates.filters.update(paris=view.paris_time, clock=view.paris_clock, french_date=view.french_date)
templates.globals["journal_detail"] = labels.journal_detail
SCRIPT_KEPT_S = 60.0
AlertId = Annotated[str, PathParam(pattern=r"^[0-9a-f]{32}$")]


class Note(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str | None = Field(default=None, max_length=2000)

    def cleaned(self) -> str | None:
        return (self.note or "").strip() or None


class Answer(Note):
    question_id: str = Field(pattern=r"^[a-z0-9-]{1,40}$")
    answer: str = Field(pattern=r"^[a-z0-9-]{1,40}$")


def page(name: str, status: int = 200, headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
    body = templates.get_template(name).render(**context)
    return HTMLResponse(body, status_code=status, headers={"content-security-policy": CSP, **(headers or {})})


def session_config(request: Request) -> SessionConfig:
    return request.app.state.console_session


def operators(request: Request) -> OperatorStore:
    return request.app.state.operators


# -- login ------------------------------------------------------------------------
@router.get("/login")
async def login_form(request: Request) -> HTMLResponse:
    return login_page(request)


def login_page(request: Request, error: str | None = None, status: int = 200) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    cookie = f"{LOGIN_COOKIE}={token}; Path={PREFIX}/login; Max-Age=900; HttpOnly; SameSite=Strict"
    if session_config(request).secure:
        cookie += "; Secure"
    return page("login.html", status, {"set-cookie": cookie}, login_csrf=token, error=error)


@router.post("/login")
async def login(request: Request) -> Response:
    raw = await request.body()
    try:
        fields = parse_qs(raw.decode("utf-8"), keep_blank_values=True, max_num_fields=4)
    except (UnicodeDecodeError, ValueError):
        fields = {}
    one = lambda name: (fields.get(name) or [""])[0][:200]  # noqa: E731
    expected = cookie_value(request.scope, LOGIN_COOKIE)
    if not expected or not secrets.compare_digest(one("csrf").encode(), expected.encode()):
        return login_page(request, "Formulaire expiré : recommencez.", 400)
    operator = operators(request).authenticate(one("login").strip(), one("password"))
    if operator is None:
        return login_page(request, "Identifiant ou mot de passe incorrect.", 401)
    config = session_config(request)
    response = Response(status_code=303, headers={"location": PREFIX})
    response.headers.append("set-cookie", session_cookie(config, issue_session(config, operator.client_id)))
    response.headers.append("set-cookie", f"{LOGIN_COOKIE}=; Path={PREFIX}/login; Max-Age=0; HttpOnly; SameSite=Strict")
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    response = Response(status_code=204)
    response.headers.append("set-cookie", session_cookie(session_config(request), None))
    return response


@router.get("/static/{name}")
async def static(name: str) -> Response:
    if name not in STATIC:
        return Response(status_code=404)
    return Response((HERE / "static" / name).read_bytes(), media_type=STATIC[name])


# -- the screen -------------------------------------------------------------------
async def open_alerts(request: Request) -> list[dict[str, Any]]:
    return view.order_open_alerts((await call_api(request, "GET", "/v1/alerts"))["items"])


@router.get("")
async def console_page(request: Request) -> HTMLResponse:
    me = console_state(request.state)
    try:
        alerts, error = await open_alerts(request), None
    except ApiRefused as exc:
        alerts, error = [], labels.label(labels.ERRORS, exc.code)
    return page("console.html", me=me, alerts=alerts, error=error, page_name="alerts")


@router.get("/alerts")
async def alert_list(request: Request) -> HTMLResponse:
    try:
        return page("_alerts.html", alerts=await open_alerts(request), error=None)
    except ApiRefused as exc:
        return page("_alerts.html", exc.status, alerts=[], error=labels.label(labels.ERRORS, exc.code))


async def qualification_script(request: Request) -> list[dict[str, Any]]:
    """The script's questions (``GET /v1/alerts/script``), kept a minute: the live journal,
    polled every 1.5 s, names the questions by their text."""
    kept = getattr(request.app.state, "console_script", None)
    if kept and kept[0] > time.monotonic():
        return kept[1]
    questions = (await call_api(request, "GET", "/v1/alerts/script"))["questions"]
    request.app.state.console_script = (time.monotonic() + SCRIPT_KEPT_S, questions)
    return questions


async def dossier(request: Request, alert_id: str, **extra: Any) -> HTMLResponse:
    try:
        alert = await call_api(request, "GET", f"/v1/alerts/{alert_id}")
        script = await qualification_script(request)
    except ApiRefused as exc:
        return page("_message.html", exc.status, error=labels.label(labels.ERRORS, exc.code))
    return page("_dossier.html", **dossier_context(request, alert, script), script=script, **extra)


def dossier_context(request: Request, alert: dict[str, Any], script: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "questions": {q["id"]: q["text"] for q in script},
        "me": console_state(request.state),
        "alert": alert,
        "position": view.latest_position(alert),
        "answers": view.given_answers(alert),
        "marks": view.marks(alert),
        "steps": view.escalation_steps(alert),
        "routed_to": view.routed_to(alert),
        "actions": view.actions_for(alert["state"]),
    }


@router.get("/alerts/{alert_id}")
async def alert_dossier(request: Request, alert_id: AlertId) -> HTMLResponse:
    return await dossier(request, alert_id)


@router.get("/alerts/{alert_id}/live")
async def alert_live(request: Request, alert_id: AlertId) -> HTMLResponse:
    """The part of the dossier that changes by itself: state, deliveries and their
    acknowledgements, journal (polled while the dossier is open)."""
    try:
        alert = await call_api(request, "GET", f"/v1/alerts/{alert_id}")
    except ApiRefused as exc:
        return page("_message.html", exc.status, error=labels.label(labels.ERRORS, exc.code))
    try:
        script = await qualification_script(request)
    except ApiRefused:
        script = []  # the journal names the questions by their ids then
    return page("_live.html", **dossier_context(request, alert, script))


async def act(request: Request, alert_id: str, path: str, body: dict[str, Any]) -> HTMLResponse:
    body = {"operator": console_state(request.state)["login"], **{k: v for k, v in body.items() if v is not None}}
    try:
        answer = await call_api(request, "POST", f"/v1/alerts/{alert_id}/{path}", json=body)
    except ApiRefused as exc:
        return await dossier(request, alert_id, error=labels.label(labels.ERRORS, exc.code))
    return await dossier(request, alert_id, suggested=answer.get("suggested_outcome"), done=path)


@router.post("/alerts/{alert_id}/take")
async def take(request: Request, alert_id: AlertId, body: Note) -> HTMLResponse:
    return await act(request, alert_id, "take", {})


@router.post("/alerts/{alert_id}/answers")
async def answer(request: Request, alert_id: AlertId, body: Answer) -> HTMLResponse:
    wire = {"question_id": body.question_id, "answer": body.answer, "note": body.cleaned()}
    return await act(request, alert_id, "answers", wire)


@router.post("/alerts/{alert_id}/dispatch")
async def dispatch(request: Request, alert_id: AlertId, body: Note) -> HTMLResponse:
    return await act(request, alert_id, "dispatch", {"note": body.cleaned()})


@router.post("/alerts/{alert_id}/redirect")
async def redirect(request: Request, alert_id: AlertId, body: Note) -> HTMLResponse:
    return await act(request, alert_id, "redirect", {"note": body.cleaned()})


@router.post("/alerts/{alert_id}/close")
async def close(request: Request, alert_id: AlertId, body: Note) -> HTMLResponse:
    return await act(request, alert_id, "close", {"note": body.cleaned()})
