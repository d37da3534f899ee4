"""The parquet's screens (procureur, magistrat de permanence, greffe), for one court:
the referral inbox (urgent ones on top; the on-call view), each referral's dossier
(requisition and its due date, the association's reports in full with the risk grid's
items, consent, decision, renewal, withdrawal with the steering committee's opinion),
the measures in progress (her lost or broken phone replaced), the alerts of the court
and its stock of devices (transfer within the department, retirement)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tgd_console import forms, labels, view
from tgd_console.gateway import ApiRefused
from tgd_console.routes.shared import dossier_context, measures_of, reminders_of
from tgd_console.web import api, court, form_of, now, page, signed_in

router = APIRouter(prefix="/parquet")
ROLE = "prosecutor"
Id = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]


@router.get("")
async def inbox(request: Request) -> HTMLResponse:
    """Signalements: urgent ones on top; ``?permanence=1``: the on-call magistrate's view
    (urgent referrals only)."""
    person = await signed_in(request, ROLE)
    j = court(request, person)
    on_call = request.query_params.get("permanence") == "1"
    params: dict[str, Any] = {"jurisdiction": j, "limit": 200, **({"urgent": "true"} if on_call else {})}
    try:
        referrals = (await api(request, "GET", "/v1/referrals", params=params))["items"]
        measures = await measures_of(request, j)
        error = None
    except ApiRefused as exc:
        referrals, measures, error = [], {}, labels.error(exc.code)
    due = await due_dates(request, measures)
    rows = view.inbox(referrals, measures)
    return page(
        "parquet_inbox.html", person=person, court=j, rows=rows, due=due, on_call=on_call, error=error,
        overdue=lambda d: view.overdue(d, now()), section="inbox", **await reminders_of(request, j),
    )  # fmt: skip


async def due_dates(request: Request, measures: dict[str, Any]) -> dict[str, Any]:
    """The report due date of each requisition still waiting for its report."""
    due: dict[str, Any] = {}
    for referral_id, m in measures.items():
        if m["status"] == "evaluation_requested":
            try:
                due[referral_id] = (await api(request, "GET", f"/v1/referrals/{referral_id}/measure/record"))[
                    "report_due_on"
                ]
            except ApiRefused:
                due[referral_id] = None
    return due


@router.get("/referrals/{referral_id}")
async def dossier(request: Request, referral_id: Id) -> HTMLResponse:
    person = await signed_in(request, ROLE)
    context = await dossier_context(request, referral_id)
    return page("parquet_dossier.html", person=person, section="inbox", **context)


STEPS: dict[str, tuple[str, Callable[[forms.Fields], dict[str, Any]]]] = {
    "requisition": ("/v1/referrals/{id}/requisition", forms.requisition),
    "consent": ("/v1/referrals/{id}/consent", forms.consent),
    "decision": ("/v1/referrals/{id}/decision", forms.decision),
    "orientations": ("/v1/referrals/{id}/orientations", forms.orientation),
}
ATTRIBUTION_STEPS: dict[str, tuple[str, Callable[[forms.Fields], dict[str, Any]]]] = {
    "renewal": ("/v1/attributions/{id}/renewal", forms.renewal),
    "withdrawal": ("/v1/attributions/{id}/withdrawal", forms.withdrawal),
    "device-replacement": ("/v1/attributions/{id}/device-replacement", forms.replacement),
}
STOCK_ACTIONS: dict[str, tuple[str, Callable[[forms.Fields], dict[str, Any]]]] = {
    "transfer": ("/v1/devices/{id}/transfer", forms.transfer),
    "retirement": ("/v1/devices/{id}/retirement", forms.retirement),
}


@router.post("/referrals/{referral_id}/{step}")
async def act(request: Request, referral_id: Id, step: str) -> Response:
    """One step of the measure (réquisition, consentement, décision, renouvellement,
    retrait) or an orientation of the referral: the form becomes the API's body; a refusal
    is shown on the dossier."""
    person = await signed_in(request, ROLE)
    fields = await form_of(request)
    try:
        if step in STEPS:
            route, body = STEPS[step]
            await api(request, "POST", route.format(id=referral_id), json=body(fields))
        elif step in ATTRIBUTION_STEPS:
            route, body = ATTRIBUTION_STEPS[step]
            attribution_id = forms.get(fields, "attribution_id", 32)
            if len(attribution_id) != 32 or not attribution_id.isalnum():
                raise ApiRefused(400, "invalid_request")
            await api(request, "POST", route.format(id=attribution_id), json=body(fields))
        else:
            return Response(status_code=404)
    except ApiRefused as exc:
        context = {**await dossier_context(request, referral_id), "error": labels.error(exc.code)}
        return page("parquet_dossier.html", max(exc.status, 400), person=person, section="inbox", **context)
    return RedirectResponse(f"/parquet/referrals/{referral_id}?fait={step}", status_code=303)


async def court_items(request: Request, route: str) -> tuple[Any, str, list[dict[str, Any]], str | None]:
    """The signed-in member of the parquet, her court, and the court's items at ``route``
    (none, with the refusal in French, when the API refuses)."""
    person = await signed_in(request, ROLE)
    j = court(request, person)
    try:
        return person, j, (await api(request, "GET", route, params={"jurisdiction": j}))["items"], None
    except ApiRefused as exc:
        return person, j, [], labels.error(exc.code)


@router.get("/measures")
async def measures(request: Request) -> HTMLResponse:
    """Mesures en cours: end dates, renewals (and their cap), those ending soon flagged."""
    person, j, items, error = await court_items(request, "/v1/measures")
    active = [m for m in items if m["status"] == "active"]
    active.sort(key=lambda m: str(m["ends_at"]))
    closed = [m for m in items if m["status"] in ("withdrawn", "expired", "refused")]
    return page(
        "parquet_measures.html", person=person, court=j, active=active, closed=closed, error=error,
        ending=lambda m: view.ending_soon(m["ends_at"], now()), section="measures",
    )  # fmt: skip


@router.get("/stock")
async def stock(request: Request) -> HTMLResponse:
    """Le parc de terminaux du ressort: transfer one in stock to another court of the
    department, retire one (mise au rebut, retour fournisseur)."""
    person = await signed_in(request, ROLE)
    return await stock_page(request, person, court(request, person))


async def stock_page(request: Request, person: Any, j: str, status: int = 200, error: str | None = None) -> Any:
    try:
        found = await api(request, "GET", "/v1/devices", params={"jurisdiction": j})
    except ApiRefused as exc:
        found, error = {"items": [], "in_stock": 0}, error or labels.error(exc.code)
    return page(
        "parquet_stock.html", status, person=person, court=j, stock=found, error=error, section="stock",
        courts=view.department_courts(j), done=request.query_params.get("fait"),
    )  # fmt: skip


@router.post("/stock/{device_id}/{action}")
async def handle_device(request: Request, device_id: Id, action: str) -> Response:
    """Transfert or retrait du parc of one terminal; a refusal is shown on the stock page."""
    person = await signed_in(request, ROLE)
    if action not in STOCK_ACTIONS:
        return Response(status_code=404)
    route, body = STOCK_ACTIONS[action]
    try:
        await api(request, "POST", route.format(id=device_id), json=body(await form_of(request)))
    except ApiRefused as exc:
        return await stock_page(request, person, court(request, person), max(exc.status, 400), labels.error(exc.code))
    return RedirectResponse(f"/parquet/stock?fait={action}", status_code=303)


@router.get("/alerts")
async def alerts(request: Request) -> HTMLResponse:
    """Les alertes du ressort et leur issue."""
    person, j, items, error = await court_items(request, "/v1/alert-history")
    return page("parquet_alerts.html", person=person, court=j, items=items, error=error, section="alerts")
