"""The operator console (console de régulation): server-rendered pages and fragments
under ``/regulation``, refreshed by a small script (console.js, no build step).

The pages read and act through the gateway's ``/v1/alerts`` API with the operator's own
token (:func:`tgd_console.web.api`), so the gateway's access table, territory checks, rate
limit and audit log (under the operator's login) apply as to any partner's call. Bodies
of the actions are JSON (like the API's), sent by the script with the session's CSRF
secret; logging in and out is the other screens' (``/login``, ``/logout``)."""

from __future__ import annotations

import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from tgd_console import reminders
from tgd_console.gateway import ApiRefused
from tgd_console.operator import labels, view
from tgd_console.operator.web import HERE, PREFIX, me, operator, page
from tgd_console.web import api
from tgd_contracts.jurisdictions import JURISDICTIONS

STATIC = {"console.css": "text/css; charset=utf-8", "console.js": "text/javascript; charset=utf-8"}
# every page needs a signed-in operator (and a POST its CSRF secret), checked before the body is read
router = APIRouter(prefix=PREFIX, include_in_schema=False, dependencies=[Depends(operator)])
assets = APIRouter(prefix=PREFIX, include_in_schema=False)
SCRIPT_KEPT_S = 60.0
AlertId = Annotated[str, PathParam(pattern=r"^[0-9a-f]{32}$")]


class Note(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str | None = Field(default=None, max_length=2000)

    def cleaned(self) -> str | None:
        return (self.note or "").strip() or None


class ClosingQualification(Note):
    """Appel test or appui accidentel: the alert is closed with it."""

    outcome: Literal["test_call", "accidental"]


class Answer(Note):
    question_id: str = Field(pattern=r"^[a-z0-9-]{1,40}$")
    answer: str = Field(pattern=r"^[a-z0-9-]{1,40}$")


@assets.get("/static/{name}")
async def static(name: str) -> Response:
    if name not in STATIC:
        return Response(status_code=404)
    return Response((HERE / "static" / name).read_bytes(), media_type=STATIC[name])


# -- the screen -------------------------------------------------------------------
async def open_alerts(request: Request) -> list[dict[str, Any]]:
    return view.order_open_alerts((await api(request, "GET", "/v1/alerts"))["items"])


@router.get("")
async def console_page(request: Request) -> HTMLResponse:
    person = request.state.person
    try:
        alerts, error = await open_alerts(request), None
    except ApiRefused as exc:
        alerts, error = [], labels.label(labels.ERRORS, exc.code)
    return page("console.html", me=me(person), alerts=alerts, error=error, page_name="alerts")


@router.get("/reminders")
async def reminder_panel(request: Request) -> HTMLResponse:
    """Rappels de la plateforme: the reminders addressed to it (out of stock) in every court
    (the platform is national), loaded by the script after the alerts (never delaying them)."""
    pending, failed = await reminders.pending(request, JURISDICTIONS)
    error = labels.REMINDERS_UNAVAILABLE if failed else None
    return page("_reminders.html", me=me(request.state.person), reminders=pending, reminders_error=error)


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
    questions = (await api(request, "GET", "/v1/alerts/script"))["questions"]
    request.app.state.console_script = (time.monotonic() + SCRIPT_KEPT_S, questions)
    return questions


async def dossier(request: Request, alert_id: str, **extra: Any) -> HTMLResponse:
    try:
        alert = await api(request, "GET", f"/v1/alerts/{alert_id}")
        script = await qualification_script(request)
    except ApiRefused as exc:
        return page("_message.html", exc.status, error=labels.label(labels.ERRORS, exc.code))
    return page("_dossier.html", **dossier_context(request, alert, script), script=script, **extra)


def dossier_context(request: Request, alert: dict[str, Any], script: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "questions": {q["id"]: q["text"] for q in script},
        "me": me(request.state.person),
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
        alert = await api(request, "GET", f"/v1/alerts/{alert_id}")
    except ApiRefused as exc:
        return page("_message.html", exc.status, error=labels.label(labels.ERRORS, exc.code))
    try:
        script = await qualification_script(request)
    except ApiRefused:
        script = []  # the journal names the questions by their ids then
    return page("_live.html", **dossier_context(request, alert, script))


async def act(request: Request, alert_id: str, path: str, body: dict[str, Any]) -> HTMLResponse:
    """The API names the operator from the caller's token (her own), not from the body."""
    body = {k: v for k, v in body.items() if v is not None}
    try:
        answer = await api(request, "POST", f"/v1/alerts/{alert_id}/{path}", json=body)
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


@router.post("/alerts/{alert_id}/qualification")
async def qualification(request: Request, alert_id: AlertId, body: ClosingQualification) -> HTMLResponse:
    return await act(request, alert_id, "qualification", {"outcome": body.outcome, "note": body.cleaned()})
