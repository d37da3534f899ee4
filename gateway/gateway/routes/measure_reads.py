"""What the parquet and the association read of their measures: the measures of a court,
and one measure in full with the association's reports (the grids' items: ``/v1/instruments``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from gateway.auth.answer_guard import Answer
from gateway.deps import Rpc
from gateway.errors import error_responses
from tgd_contracts.errors import ErrorCode
from tgd_contracts.evaluation import MeasureStatus
from tgd_contracts.events import ServiceName
from tgd_contracts.measure_reads import MeasurePage, MeasureRecord

router = APIRouter(tags=["measures"])
ReferralId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="Referral id (signalement).")]
READ_ERRORS = (ErrorCode.INVALID_REQUEST, ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.SERVICE_TIMEOUT)


@router.get(
    "/v1/measures",
    response_model=MeasurePage,
    summary="A court's measures, the most recently changed first (mesures du ressort)",
    description="status=evaluation_requested: the requisitions to answer; status=active: the measures in progress.",
    responses=error_responses(*READ_ERRORS),
)
async def list_measures(
    answer: Answer,
    rpc: Rpc,
    jurisdiction: Annotated[str, Query(min_length=3, max_length=40, pattern=r"^[a-z0-9-]+$")],
    status: MeasureStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> dict:
    return answer.checked(
        await rpc.call(
            ServiceName.EVALUATION,
            "list_measures",
            jurisdiction=jurisdiction,
            status=status.value if status else None,
            limit=limit,
        )
    )


@router.get(
    "/v1/referrals/{referral_id}/measure/record",
    response_model=MeasureRecord,
    summary="The measure in full: requisition, the association's reports, consent, decision, withdrawal",
    responses=error_responses(*READ_ERRORS, ErrorCode.REFERRAL_NOT_FOUND),
)
async def measure_record(answer: Answer, referral_id: ReferralId, rpc: Rpc) -> dict:
    return answer.checked(await rpc.call(ServiceName.EVALUATION, "measure_record", referral_id=referral_id))
