"""Published reference data (données de référence) that partners read through the API:
the jurisdictions (ressorts), the risk-assessment instruments (grilles d'évaluation du
danger: item ids and weights, never item texts, which stay with the association) and the
audiences of the partner exchange. No personal data."""

from __future__ import annotations

from tgd_contracts.base import Contract
from tgd_contracts.evaluation import Level


class JurisdictionRef(Contract):
    code: str
    name: str
    department: str


class Jurisdictions(Contract):
    items: list[JurisdictionRef]


class RiskGridItem(Contract):
    item_id: str
    weight: int


class RiskThreshold(Contract):
    minimum_score: int
    level: Level


class RiskInstrument(Contract):
    """One versioned grid: a report names it by ``instrument_id`` and ``instrument_version``."""

    instrument_id: str
    instrument_version: str
    items: list[RiskGridItem]
    thresholds: list[RiskThreshold]


class RiskInstruments(Contract):
    items: list[RiskInstrument]


class AudienceRef(Contract):
    audience: str
    description: str
    routing_key_pattern: str


class Audiences(Contract):
    items: list[AudienceRef]
