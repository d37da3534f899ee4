"""The parquet's statistics of its court (statistiques du ressort): exact counts for the
period, the department's totals beside them; days are Europe/Paris days. Read from
``GET /v1/court-statistics`` with the magistrate's own token (nothing suppressed: the
parquet knows these women already; the observatory's anonymised view is elsewhere)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from tgd_console import labels
from tgd_console.gateway import ApiRefused
from tgd_console.stats_view import BAD_DATE, hours, rows_of
from tgd_console.web import api, court, page, signed_in

router = APIRouter(prefix="/parquet")
ROLE = "prosecutor"


def period(request: Request) -> tuple[dict[str, str], str | None]:
    """``?du=YYYY-MM-DD&au=YYYY-MM-DD`` as the API's ``from``/``to`` (defaults: the API's)."""
    params: dict[str, str] = {}
    for field, name in (("du", "from"), ("au", "to")):
        value = request.query_params.get(field, "").strip()
        if value:
            try:
                params[name] = date.fromisoformat(value).isoformat()
            except ValueError:
                return {}, BAD_DATE
    return params, None


@router.get("/statistics")
async def statistics(request: Request) -> HTMLResponse:
    """Chiffres exacts du ressort et totaux du département."""
    person = await signed_in(request, ROLE)
    j = court(request, person)
    params, error = period(request)
    found: dict[str, Any] | None = None
    if error is None:
        try:
            found = await api(request, "GET", "/v1/court-statistics", params={"jurisdiction": j, **params})
        except ApiRefused as exc:
            error = labels.error(exc.code)
    return page(
        "parquet_statistics.html", 400 if error == BAD_DATE else 200, person=person, court=j, stats=found,
        rows=rows_of(found) if found else [], error=error, section="statistics", hours=hours,
        du=request.query_params.get("du", ""), au=request.query_params.get("au", ""),
    )  # fmt: skip
