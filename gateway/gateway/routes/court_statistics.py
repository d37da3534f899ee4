"""A court's exact figures with its department's totals (chiffres exacts du ressort): for
the court's parquet and the department's steering committee (comité de pilotage, seed
001 action 11), who know these women already. Nothing is suppressed here; the access
table admits no other role (the observatory reads /v1/observatory/statistics, anonymised)."""

from __future__ import annotations

from fastapi import APIRouter

from gateway.deps import Rpc
from gateway.observatory_stats import gather_court_statistics
from gateway.routes.observatory import STATISTICS_ERRORS, Period
from tgd_contracts.errors import ErrorCode, TgdError
from tgd_contracts.jurisdictions import is_known_jurisdiction
from tgd_contracts.statistics import CourtStatistics

router = APIRouter(tags=["court-statistics"])


@router.get(
    "/v1/court-statistics",
    response_model=CourtStatistics,
    summary="Exact counts of a court and period, with the department's totals beside them",
    description="Referrals, evaluations, decisions (granted/refused), measures in progress and ended, alerts by "
    "nature and outcome, devices; days are Europe/Paris calendar days. Not anonymised: the court's parquet and "
    "the department's steering committee only. The department's delays give the number of samples only.",
    responses=STATISTICS_ERRORS,
)
async def court_statistics(rpc: Rpc, query: Period):
    if not is_known_jurisdiction(query.jurisdiction):
        raise TgdError(code=ErrorCode.UNKNOWN_JURISDICTION)
    return await gather_court_statistics(rpc, query)
