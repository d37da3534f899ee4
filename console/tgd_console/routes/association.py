"""The association's screens (association référente), for its courts: referrals
received, requisitions to answer with their due dates, the report form (the risk
grid's items listed from the instrument), measures ending, test calls due or overdue."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tgd_console import forms, labels, view
from tgd_console.gateway import ApiRefused
from tgd_console.routes.shared import dossier_context, measures_of, reminders_of
from tgd_console.web import api, court, form_of, now, page, signed_in

router = APIRouter(prefix="/association")
ROLE = "association"
Id = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]


@router.get("")
async def home(request: Request) -> HTMLResponse:
    person = await signed_in(request, ROLE)
    j = court(request, person)
    try:
        referrals = (await api(request, "GET", "/v1/referrals", params={"jurisdiction": j, "limit": 200}))["items"]
        measures = await measures_of(request, j)
        error = None
    except ApiRefused as exc:
        referrals, measures, error = [], {}, labels.error(exc.code)
    moment = now()
    requisitions = []
    for referral_id, m in measures.items():
        if m["status"] == "evaluation_requested":
            record = await api(request, "GET", f"/v1/referrals/{referral_id}/measure/record")
            due = record["report_due_on"]
            requisitions.append({"referral_id": referral_id, "due_on": due, "late": view.overdue(due, moment)})
    requisitions.sort(key=lambda r: str(r["due_on"] or "9999"))
    active = [m for m in measures.values() if m["status"] == "active"]
    ending = sorted((m for m in active if view.ending_soon(m["ends_at"], moment)), key=lambda m: str(m["ends_at"]))
    test_calls = await test_calls_of(request, active, moment)
    contacts_due = await contacts_due_of(request, active, moment)
    return page(
        "association_home.html", person=person, court=j, rows=view.inbox(referrals, measures), error=error,
        requisitions=requisitions, ending=ending, test_calls=test_calls, contacts_due=contacts_due, section="home",
        **await reminders_of(request, j),
    )  # fmt: skip


async def test_calls_of(request: Request, active: list[dict[str, Any]], moment: Any) -> list[dict[str, Any]]:
    """Appels test à échéance ou en retard: the device side of the court's measures, in one call."""
    if not active:
        return []
    court = active[0]["jurisdiction"]
    try:
        found = await api(request, "GET", "/v1/device-assignments", params={"jurisdiction": court})
    except ApiRefused:
        return []
    referral_of = {m["attribution_id"]: m["referral_id"] for m in active}
    rows = []
    for assignment in found["items"]:
        flag = view.test_call_flag(assignment.get("next_test_call_due"), moment)
        if flag and assignment["attribution_id"] in referral_of:
            referral_id = referral_of[assignment["attribution_id"]]
            rows.append({"referral_id": referral_id, "due": assignment["next_test_call_due"], "flag": flag})
    return sorted(rows, key=lambda r: str(r["due"]))


async def contacts_due_of(request: Request, active: list[dict[str, Any]], moment: Any) -> list[dict[str, Any]]:
    """Bénéficiaires à appeler: no contact yet, or the next one due today or before (one call)."""
    if not active:
        return []
    params = {"jurisdiction": active[0]["jurisdiction"], "referral_id": [m["referral_id"] for m in active][:200]}
    try:
        found = await api(request, "GET", "/v1/follow-ups", params=params)
    except ApiRefused:
        return []
    today = view.today_in_paris(moment).isoformat()
    rows = [
        {"referral_id": f["referral_id"], "due": f["next_contact_due"], "last": f["last_contact_on"]}
        for f in found["items"]
        if f["next_contact_due"] is None or str(f["next_contact_due"]) <= today
    ]
    return sorted(rows, key=lambda r: str(r["due"] or ""))


@router.get("/referrals/{referral_id}")
async def dossier(request: Request, referral_id: Id) -> HTMLResponse:
    person = await signed_in(request, ROLE)
    context = await dossier_context(request, referral_id)
    return page("association_dossier.html", person=person, section="home", **grid(request, context))


def grid(request: Request, context: dict[str, Any]) -> dict[str, Any]:
    """The instrument chosen for the report form (``?grille=id:version``, else the first)."""
    instruments = context.get("instruments") or []
    wanted = request.query_params.get("grille", "")
    chosen = next((i for i in instruments if f"{i['instrument_id']}:{i['instrument_version']}" == wanted), None)
    return {**context, "grid": chosen or (instruments[0] if instruments else None)}


@router.post("/referrals/{referral_id}/report")
async def file_report(request: Request, referral_id: Id) -> Response:
    """Le rapport d'évaluation: the form's answers, one per item of the chosen grid."""
    person = await signed_in(request, ROLE)
    fields = await form_of(request)
    try:
        instruments = (await api(request, "GET", "/v1/instruments"))["instruments"]
        instrument_id, _, version = forms.get(fields, "instrument").partition(":")
        items = [i["item_id"] for i in view.instrument_of(instruments, instrument_id, version)["items"]]
        await api(request, "POST", f"/v1/referrals/{referral_id}/evaluation-report", json=forms.report(fields, items))
    except ApiRefused as exc:
        context = {**await dossier_context(request, referral_id), "error": labels.error(exc.code)}
        return page("association_dossier.html", max(exc.status, 400), person=person, section="home",
                    **grid(request, context))  # fmt: skip
    return RedirectResponse(f"/association/referrals/{referral_id}?fait=report", status_code=303)


#: the association's records on a referral: API route, form -> body, the note shown after
RECORDS: dict[str, tuple[str, Callable[[forms.Fields], dict[str, Any]], str]] = {
    "contacts": ("/v1/referrals/{id}/contacts", forms.contact, "contact"),  # contact de suivi
    "orientations": ("/v1/referrals/{id}/orientations", forms.orientation, "orientation"),
    "contact-details": ("/v1/referrals/{id}/contact-details", forms.contact_details, "coordonnees"),
}


@router.post("/referrals/{referral_id}/hand-over")
async def record_hand_over(request: Request, referral_id: Id) -> Response:
    """La remise du téléphone: when, where, who was present (roles, never names)."""
    person = await signed_in(request, ROLE)
    fields = await form_of(request)
    try:
        attribution_id = forms.get(fields, "attribution_id", 32)
        if len(attribution_id) != 32 or not attribution_id.isalnum():
            raise ApiRefused(400, "invalid_request")
        await api(request, "POST", f"/v1/attributions/{attribution_id}/hand-over", json=forms.hand_over(fields))
    except ApiRefused as exc:
        context = {**await dossier_context(request, referral_id), "error": labels.error(exc.code)}
        return page("association_dossier.html", max(exc.status, 400), person=person, section="home",
                    **grid(request, context))  # fmt: skip
    return RedirectResponse(f"/association/referrals/{referral_id}?fait=hand-over", status_code=303)


@router.post("/referrals/{referral_id}/{record}")
async def record(request: Request, referral_id: Id, record: str) -> Response:
    """Un contact de suivi (date, nature: the next one is then due one interval later), an
    orientation of the referral (nature, date), or the safe contact and the referrer's."""
    person = await signed_in(request, ROLE)
    if record not in RECORDS:
        return Response(status_code=404)
    fields = await form_of(request)
    route, body, done = RECORDS[record]
    try:
        await api(request, "POST", route.format(id=referral_id), json=body(fields))
    except ApiRefused as exc:
        context = {**await dossier_context(request, referral_id), "error": labels.error(exc.code)}
        return page("association_dossier.html", max(exc.status, 400), person=person, section="home",
                    **grid(request, context))  # fmt: skip
    return RedirectResponse(f"/association/referrals/{referral_id}?fait={done}", status_code=303)
