"""What the parquet and the association read of their measures: the measures of a court,
and one measure in full with the association's reports (the grids' items: ``/v1/instruments``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from gateway.routes.forward import Forward, hex_id, jurisdiction_query
from tgd_contracts.errors import ErrorCode
from tgd_contracts.evaluation import MeasureStatus
from tgd_contracts.events import ServiceName
from tgd_contracts.measure_reads import MeasurePage, MeasureRecord

router = APIRouter(tags=["measures"])
evaluation = Forward(router, ServiceName.EVALUATION)
Jurisdiction = jurisdiction_query()


@evaluation.get("/v1/measures", MeasurePage)
def list_measures(
    jurisdiction: Jurisdiction,
    status: MeasureStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
):
    """A court's measures, the most recently changed first (mesures du ressort)

    status=evaluation_requested: the requisitions to answer; status=active: the measures in progress."""


@evaluation.get("/v1/referrals/{referral_id}/measure/record", MeasureRecord, ErrorCode.REFERRAL_NOT_FOUND)
def measure_record(referral_id: hex_id("Referral id (signalement).")):
    """The measure in full: requisition, the association's reports, consent, decision, withdrawal"""
