"""The prosecutor's authorisation to keep an alert's positions 8 days instead of 3
(arrêté du 22 avril 2015, seed 002 §E.II.c). The gateway adds who recorded it (the
authenticated client); the alert service records when, and refuses it once the 3 days
are over (``retention_over``: what is purged is never brought back)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from gateway.deps import Rpc
from gateway.routes.forward import forward_errors, hex_id
from tgd_contracts.errors import ErrorCode
from tgd_contracts.events import ServiceName
from tgd_contracts.retention import PositionRetentionAuthorisation, PositionRetentionRequest, PositionRetentionView

router = APIRouter(prefix="/v1/alerts", tags=["alerts"])
AlertId = hex_id("Alert id.")


@router.post(
    "/{alert_id}/position-retention",
    response_model=PositionRetentionView,
    summary="The prosecutor authorises keeping the alert's positions 8 days instead of 3",
    description="Only within 72 hours of the alert; the authorisation is recorded with the client and the time.",
    responses=forward_errors((ErrorCode.ALERT_NOT_FOUND, ErrorCode.RETENTION_OVER), with_body=True),
)
async def authorise_position_retention(
    alert_id: AlertId, authorisation: PositionRetentionRequest, request: Request, rpc: Rpc
) -> dict:
    grant = PositionRetentionAuthorisation(
        authorised_by=authorisation.authorised_by, client_id=request.state.principal.client_id
    )
    return await rpc.call(ServiceName.ALERT, "authorise_position_retention", alert_id=alert_id, request=grant.to_wire())
