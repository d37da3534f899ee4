"""The audiences of the partner exchange (destinataires), readable by anyone: who receives
what on ``tgd.partners``. The courts and the risk grids are in :mod:`gateway.routes.partners`."""

from __future__ import annotations

from fastapi import APIRouter

from gateway.errors import error_responses
from tgd_contracts.partners import Audience
from tgd_contracts.reference import AudienceRef, Audiences

router = APIRouter(tags=["reference"])
AUDIENCES = {
    Audience.POLICE: "Police nationale: DDSP / DSPAP and their commissariats (CIC for alerts).",
    Audience.GENDARMERIE: "Gendarmerie nationale: groupement départemental and its brigades (CORG for alerts).",
    Audience.ASSOCIATION: "The referent association (association référente) of a jurisdiction.",
    Audience.COMMAND: "The departmental command centre (CIC / CORG), the last escalation step.",
    Audience.PARQUET: "The parquet of a jurisdiction (procureur, permanence, greffe): reminders.",
    Audience.TELEASSISTANCE: "The teleassistance operator, per jurisdiction: stock reminders.",
    Audience.SPIP: "Service pénitentiaire d'insertion et de probation: news of the author.",
    Audience.BAV: "Bureau d'aide aux victimes of a court: told of the author's release.",
}


@router.get(
    "/v1/audiences",
    response_model=Audiences,
    summary="Audiences of the partner exchange (destinataires: police, gendarmerie, association, command)",
    responses=error_responses(),
)
async def list_partner_audiences() -> Audiences:
    return Audiences(
        items=[
            AudienceRef(
                audience=a.value,
                description=AUDIENCES.get(a, a.value),
                routing_key_pattern=f"{a.value}.<territory>.<unit>.<kind>",
            )
            for a in Audience
        ]
    )
