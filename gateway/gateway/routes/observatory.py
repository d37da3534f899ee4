"""The observatory (observatoire, seed 001 action 16): anonymised counts per
jurisdiction, never a record."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

from gateway.deps import Rpc
from gateway.errors import error_responses
from gateway.observatory_stats import ObservatoryStatistics, gather_statistics, to_csv
from gateway.plots import MEDIA_TYPES, PlotFormat, PlotName, render
from gateway.routes.forward import UNAVAILABLE, jurisdiction_query
from tgd_contracts.errors import ErrorCode, TgdError
from tgd_contracts.events import ServiceName
from tgd_contracts.referral import ReferralQuery
from tgd_contracts.statistics import StatisticsQuery, paris_day

router = APIRouter(prefix="/v1/observatory", tags=["observatory"])
Jurisdiction = jurisdiction_query()
STATISTICS_ERRORS = error_responses(ErrorCode.INVALID_REQUEST, ErrorCode.UNKNOWN_JURISDICTION, *UNAVAILABLE)


class ReferralCounts(BaseModel):
    jurisdiction: str
    referrals: int
    urgent: int


@router.get(
    "/referrals",
    response_model=ReferralCounts,
    summary="How many referrals a jurisdiction received, and how many were urgent",
    responses=STATISTICS_ERRORS,
)
async def referral_counts(
    rpc: Rpc,
    jurisdiction: Jurisdiction,
) -> ReferralCounts:
    totals = []
    for urgent in (None, True):
        query = ReferralQuery(jurisdiction=jurisdiction, urgent=urgent, limit=1, offset=0)
        page = await rpc.call(ServiceName.REFERRAL, "list_referrals", query=query.to_wire())
        totals.append(int(page["total"]))
    return ReferralCounts(jurisdiction=jurisdiction, referrals=totals[0], urgent=totals[1])


# -- statistics (seed 001 actions 11 and 16) -------------------------------------------
From = Annotated[
    date | None,
    Query(alias="from", description="First day (included, Europe/Paris); default: 1 January of `to`'s year."),
]
To = Annotated[date | None, Query(alias="to", description="Last day (included, Europe/Paris); default: today.")]


def statistics_query(jurisdiction: str, starts_on: date | None, ends_on: date | None) -> StatisticsQuery:
    """Default period: 1 January to today, in Paris (the partners' calendar days)."""
    ends_on = ends_on or paris_day(datetime.now(UTC))
    starts_on = starts_on or ends_on.replace(month=1, day=1)
    try:
        return StatisticsQuery(jurisdiction=jurisdiction, starts_on=starts_on, ends_on=ends_on)
    except ValidationError:
        raise TgdError("`from` must not be after `to`, and the period is at most ten years.",
                       code=ErrorCode.INVALID_REQUEST) from None  # fmt: skip


async def period(jurisdiction: Jurisdiction, starts_on: From = None, ends_on: To = None) -> StatisticsQuery:
    """The court and period asked about: the same query parameters on each statistics route."""
    return statistics_query(jurisdiction, starts_on, ends_on)


Period = Annotated[StatisticsQuery, Depends(period)]


@router.get(
    "/statistics",
    response_model=ObservatoryStatistics,
    summary="Anonymised statistics of a jurisdiction and period (counts below 5 suppressed)",
    description="Referrals, evaluations, decisions, renewals, withdrawals by reason, devices, alerts by nature "
    "and outcome, and the delays of an alert's steps (p50/p90/max, published on at least 5 samples). "
    'A count from 1 to 4 is `{"value": null, "suppressed": true}`.',
    responses=STATISTICS_ERRORS,
)
async def statistics(rpc: Rpc, query: Period):
    return await gather_statistics(rpc, query)


@router.get(
    "/statistics.csv",
    response_class=Response,
    summary="The same statistics as CSV (one row per figure; suppressed figures have an empty value)",
    responses={200: {"content": {"text/csv": {}}}, **STATISTICS_ERRORS},
)
async def statistics_csv(rpc: Rpc, query: Period):
    stats = await gather_statistics(rpc, query)
    filename = f"tgd-{query.jurisdiction}-{query.starts_on}-{query.ends_on}.csv"
    return Response(to_csv(stats), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})  # fmt: skip


@router.get(
    "/plots/{name}.{fmt}",
    response_class=Response,
    summary="A plot of the statistics (SVG or PNG): activity, withdrawals, alerts, delays",
    responses={200: {"content": {"image/svg+xml": {}, "image/png": {}}}, **STATISTICS_ERRORS},
)
async def plot(
    rpc: Rpc,
    name: PlotName,
    fmt: PlotFormat,
    jurisdiction: Jurisdiction,
    starts_on: From = None,
    ends_on: To = None,
    lang: Annotated[Literal["en", "fr"], Query(description="Language of the plot's texts.")] = "en",
):
    stats = await gather_statistics(rpc, statistics_query(jurisdiction, starts_on, ends_on))
    image = await run_in_threadpool(render, name, stats, fmt, lang)
    return Response(image, media_type=MEDIA_TYPES[fmt])
