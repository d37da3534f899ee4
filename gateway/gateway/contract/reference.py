"""Published reference data (données de référence), readable by every authenticated
partner: the jurisdictions, the risk-assessment grids, the partner audiences."""

from __future__ import annotations

from fastapi import APIRouter

from gateway.deps import Rpc
from gateway.errors import error_responses
from tgd_contracts.errors import ErrorCode
from tgd_contracts.events import ServiceName
from tgd_contracts.jurisdictions import JURISDICTIONS
from tgd_contracts.partners import Audience
from tgd_contracts.reference import AudienceRef, Audiences, JurisdictionRef, Jurisdictions, RiskInstruments

router = APIRouter(prefix="/v1/reference", tags=["reference"])
AUDIENCES = {
    Audience.POLICE: "Police nationale: DDSP / DSPAP and their commissariats (CIC for alerts).",
    Audience.GENDARMERIE: "Gendarmerie nationale: groupement départemental and its brigades (CORG for alerts).",
    Audience.ASSOCIATION: "The referent association (association référente) of a jurisdiction.",
    Audience.COMMAND: "The departmental command centre (CIC / CORG), the last escalation step.",
}


@router.get(
    "/jurisdictions",
    response_model=Jurisdictions,
    summary="Jurisdictions (ressorts des tribunaux judiciaires)",
    responses=error_responses(),
)
async def list_jurisdictions() -> Jurisdictions:
    return Jurisdictions(
        items=[JurisdictionRef(code=j.code, name=j.name, department=j.department) for j in JURISDICTIONS.values()]
    )


@router.get(
    "/risk-instruments",
    response_model=RiskInstruments,
    summary="Risk-assessment grids a report may name (grilles d'évaluation du danger)",
    description="Item ids, weights and thresholds of each versioned grid; the items' texts stay with the association.",
    responses=error_responses(ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.SERVICE_TIMEOUT),
)
async def list_risk_instruments(rpc: Rpc) -> dict:
    return await rpc.call(ServiceName.EVALUATION, "risk_instruments")


@router.get(
    "/audiences",
    response_model=Audiences,
    summary="Audiences of the partner exchange (destinataires: police, gendarmerie, association, command)",
    responses=error_responses(),
)
async def list_partner_audiences() -> Audiences:
    return Audiences(
        items=[
            AudienceRef(
                audience=a.value, description=AUDIENCES.get(a, a.value), routing_key_pattern=f"{a.value}.<territory>.#"
            )
            for a in Audience
        ]
    )
