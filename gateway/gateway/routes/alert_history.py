"""``GET /v1/alert-history``: the alerts of a court, with their outcome, for the parquet
(it controls the processing and prosecutes the authors arrested after an alert). No
identity, no position: the alert itself is ``GET /v1/alerts/{id}``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from gateway.auth.answer_guard import Answer
from gateway.deps import Rpc
from gateway.errors import error_responses
from tgd_contracts.alert_views import AlertHistory
from tgd_contracts.errors import ErrorCode
from tgd_contracts.events import ServiceName

router = APIRouter(tags=["alerts"])


@router.get(
    "/v1/alert-history",
    response_model=AlertHistory,
    summary="A court's alerts over the last days, newest first, with their outcome (alertes du ressort)",
    responses=error_responses(ErrorCode.INVALID_REQUEST, ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.SERVICE_TIMEOUT),
)
async def alert_history(
    answer: Answer,
    rpc: Rpc,
    jurisdiction: Annotated[str, Query(min_length=3, max_length=40, pattern=r"^[a-z0-9-]+$")],
    days: Annotated[int, Query(ge=1, le=366)] = 90,
) -> dict:
    return answer.checked(
        await rpc.call(ServiceName.ALERT, "alerts_of_jurisdiction", jurisdiction=jurisdiction, days=days)
    )
