"""Acknowledging a reminder (rappel pris en compte) from any person's screen: the
parquet's, the association's or the platform operator's. The gateway names who may
(only the audience it was addressed to); the console sends the person's login as the
staff reference, and for the author's release the day the association told her."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tgd_console import labels
from tgd_console.gateway import ApiRefused
from tgd_console.session import Person
from tgd_console.web import api, form_of, one, page, signed_in

router = APIRouter()
Id = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]
BACK = {"prosecutor": "/parquet", "association": "/association", "teleassistance": "/regulation"}


def back_to(role: str, asked: str) -> str:
    """Back to the page the form was on, only within the person's own screens."""
    home = BACK.get(role, "/")
    return asked if asked.startswith(home) and "//" not in asked and "\\" not in asked else home


@router.post("/reminders/{reminder_id}/acknowledgement")
async def acknowledge(request: Request, reminder_id: Id) -> Response:
    person = await signed_in(request, None)
    fields = await form_of(request)
    body = {"acknowledged_by": person.login}
    informed = one(fields, "beneficiary_informed_on", 10)
    if informed:
        body["beneficiary_informed_on"] = informed
    try:
        await api(request, "POST", f"/v1/reminders/{reminder_id}/acknowledgement", json=body)
    except ApiRefused as exc:
        return error_page(person, exc)
    target = back_to(person.role, one(fields, "back", 300))
    return RedirectResponse(target + ("&" if "?" in target else "?") + "fait=rappel", status_code=303)


def error_page(person: Person, exc: ApiRefused) -> HTMLResponse:
    return page("message.html", max(exc.status, 400), person=person, message=labels.error(exc.code))
