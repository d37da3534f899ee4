"""The observatory's statistics in the console (« Statistiques de l'observatoire »):
a page with the four plots and the main figures of a jurisdiction and period, the
plots (SVG) and the CSV.

Like the rest of the console, everything is read from the gateway's API with the
operator's own token: ``/v1/observatory/statistics``, ``/statistics.csv`` and
``/plots/{name}.svg`` (drawn by the gateway, which publishes them to the observatory's
partners and ``tgd stats --plot`` too), whose access line lets the teleassistance role
read these anonymised aggregates. So the page can show nothing the API does not publish:
a small count arrives suppressed and is shown « < 5 »."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from tgd_console.gateway import ApiRefused
from tgd_console.operator import labels
from tgd_console.operator.web import PREFIX, me, operator, page
from tgd_console.web import api, gateway
from tgd_contracts.jurisdictions import JURISDICTIONS

router = APIRouter(prefix=PREFIX, include_in_schema=False, dependencies=[Depends(operator)])


class PlotName(StrEnum):
    """The gateway's plots (``GET /v1/observatory/plots/{name}.svg``)."""

    ACTIVITY = "activity"
    WITHDRAWALS = "withdrawals"
    ALERTS = "alerts"
    DELAYS = "delays"


OBSERVATORY = "/v1/observatory"
# an SVG opened on its own (not as an <img>) runs nothing and loads nothing
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
PLOTS = {
    PlotName.ACTIVITY: ("Activité", "Signalements, évaluations, décisions, renouvellements, retraits et téléphones"),
    PlotName.WITHDRAWALS: ("Retraits", "Retraits du téléphone, par motif"),
    PlotName.ALERTS: ("Alertes", "Alertes par nature et par suite donnée"),
    PlotName.DELAYS: ("Délais", "Délais des étapes d'une alerte : médiane, 90e centile, maximum"),
}
ERRORS = {
    **labels.ERRORS,
    "unknown_jurisdiction": "Juridiction inconnue.",
    "invalid_request": "Période invalide : la date de début doit précéder la date de fin (dix ans au plus).",
    "service_unavailable": "Un service ne répond pas : statistiques indisponibles, réessayez plus tard.",
    "service_timeout": "Un service est trop lent : statistiques indisponibles, réessayez plus tard.",
    "internal_error": "Statistiques indisponibles (réponse incohérente d'un service).",
}
# the main figures shown as text beside the plots, and the delays: (section, measure, French label)
FIGURES = labels.by_section(labels.FIGURES)
DELAYS = labels.by_section(labels.DELAYS)
SUPPRESSED = "< 5"


@dataclass(frozen=True)
class Period:
    """What the operator asked for, with the API's defaults filled in (1 January to today)."""

    jurisdiction: str
    starts_on: str
    ends_on: str
    error: str | None = None

    def query(self) -> dict[str, str]:
        return {"jurisdiction": self.jurisdiction, "from": self.starts_on, "to": self.ends_on}

    def encoded(self) -> str:
        return urlencode(self.query())


def parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def period_of(params: dict[str, str], today: date) -> Period:
    """The page's fields; an unknown jurisdiction or a malformed day is said, not sent."""
    jurisdiction = params.get("jurisdiction") or next(iter(JURISDICTIONS))
    ends_on, starts_on = parse_day(params.get("to")), parse_day(params.get("from"))
    error = None
    if jurisdiction not in JURISDICTIONS:
        error, jurisdiction = ERRORS["unknown_jurisdiction"], next(iter(JURISDICTIONS))
    if (params.get("to") and ends_on is None) or (params.get("from") and starts_on is None):
        error = "Date invalide."
    ends_on = ends_on or today
    starts_on = starts_on or ends_on.replace(month=1, day=1)
    return Period(jurisdiction, starts_on.isoformat(), ends_on.isoformat(), error)


def shown_count(cell: dict[str, Any] | None) -> str:
    """A published count as the API gave it; a suppressed one « < 5 », never its value."""
    if not cell:
        return "—"
    if cell.get("suppressed"):
        return SUPPRESSED
    return f"{cell['value']:,}".replace(",", "\u202f")


def shown_seconds(value: float | None) -> str:
    if value is None:
        return "non publié"
    if value < 10:  # a demo or a fast platform: tenths and hundredths matter
        return f"{value:.2f}".replace(".", ",") + " s"
    seconds = round(value)
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds // 60 % 60:02d} min"


def figures(stats: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {"key": f"{section}.{measure}", "label": label, "value": shown_count(stats[section].get(measure))}
        for section, measure, label in FIGURES
    ]


def delays(stats: dict[str, Any]) -> list[dict[str, str]]:
    rows = []
    for section, measure, label in DELAYS:
        d = stats[section][measure]
        rows.append(
            {
                "key": f"{section}.{measure}",
                "label": label,
                "samples": shown_count(d["samples"]),
                "p50": shown_seconds(d.get("p50_s")),
                "p90": shown_seconds(d.get("p90_s")),
                "max": shown_seconds(d.get("max_s")),
            }
        )
    return rows


@router.get("/stats")
async def stats_page(request: Request) -> HTMLResponse:
    period = period_of(dict(request.query_params), datetime.now(UTC).date())
    context: dict[str, Any] = {
        "me": me(request.state.person),
        "page_name": "stats",
        "period": period,
        "jurisdictions": JURISDICTIONS.values(),
        "plots": PLOTS,
        "error": period.error,
        "stats": None,
    }
    status = 400 if period.error else 200
    if not period.error:
        try:
            stats = await api(request, "GET", f"{OBSERVATORY}/statistics", params=period.query())
            context.update(stats=stats, figures=figures(stats), delays=delays(stats))
        except ApiRefused as exc:
            context["error"], status = labels.label(ERRORS, exc.code), exc.status
    return page("stats.html", status, **context)


async def relay(request: Request, path: str, allowed: dict[str, str], **extra: str) -> Response:
    """The API's answer to the same query: its bytes and type on success, its error otherwise."""
    try:
        answer = await gateway(request).raw(request.state.person.access_token, path, {**request.query_params, **extra})
    except ApiRefused as exc:
        return Response(b'{"error": "%s"}' % exc.code.encode(), status_code=exc.status, media_type="application/json")
    if 200 <= answer.status_code < 300:
        kind = answer.headers.get("content-type", "")
        media = next((m for prefix, m in allowed.items() if kind.startswith(prefix)), None)
        if media is None:  # never relay what the route is not for
            return Response(status_code=502)
        headers = {k: answer.headers[k] for k in ("content-disposition",) if k in answer.headers}
        if media.startswith("image/svg"):
            headers["content-security-policy"] = SVG_CSP
        return Response(answer.content, media_type=media, headers=headers)
    return Response(answer.content, status_code=answer.status_code, media_type="application/json")


@router.get("/stats/plots/{name}.svg")
async def stats_plot(request: Request, name: PlotName) -> Response:
    return await relay(request, f"{OBSERVATORY}/plots/{name.value}.svg", {"image/svg+xml": "image/svg+xml"}, lang="fr")


@router.get("/stats.csv")
async def stats_csv(request: Request) -> Response:
    return await relay(request, f"{OBSERVATORY}/statistics.csv", {"text/csv": "text/csv; charset=utf-8"})
