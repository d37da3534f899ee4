"""The observatory (observatoire, seed 001 action 16): anonymised counts per
jurisdiction, never a record."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from gateway.deps import Rpc
from gateway.errors import error_responses
from tgd_contracts.errors import ErrorCode
from tgd_contracts.events import ServiceName
from tgd_contracts.referral import ReferralQuery

router = APIRouter(prefix="/v1/observatory", tags=["observatory (anonymised aggregates)"])


class ReferralCounts(BaseModel):
    jurisdiction: str
    referrals: int
    urgent: int


@router.get(
    "/referrals",
    response_model=ReferralCounts,
    summary="How many referrals a jurisdiction received, and how many were urgent",
    responses=error_responses(
        ErrorCode.INVALID_REQUEST,
        ErrorCode.UNKNOWN_JURISDICTION,
        ErrorCode.SERVICE_UNAVAILABLE,
        ErrorCode.SERVICE_TIMEOUT,
    ),
)
async def referral_counts(
    rpc: Rpc,
    jurisdiction: Annotated[str, Query(min_length=3, max_length=40, pattern=r"^[a-z0-9-]+$")],
) -> ReferralCounts:
    totals = []
    for urgent in (None, True):
        query = ReferralQuery(jurisdiction=jurisdiction, urgent=urgent, limit=1, offset=0)
        page = await rpc.call(ServiceName.REFERRAL, "list_referrals", query=query.to_wire())
        totals.append(int(page["total"]))
    return ReferralCounts(jurisdiction=jurisdiction, referrals=totals[0], urgent=totals[1])
