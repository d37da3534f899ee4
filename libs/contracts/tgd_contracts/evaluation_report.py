"""The referent association's evaluation report (rapport d'évaluation, §B): the
situations of both parties, the criteria guiding the prosecutor (§C) and the danger
assessment grid (grille d'évaluation du danger). Read through :mod:`tgd_contracts.evaluation`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from tgd_contracts.base import Contract
from tgd_contracts.referral import ShortText

LongText = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=5_000)]
ItemId = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9_-]{1,40}$")]


class Situation(Contract):
    """Situation familiale, personnelle, professionnelle et sociale (§B)."""

    family: LongText
    personal: LongText
    professional: LongText
    social: LongText


class Level(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Criterion(Contract):
    level: Level
    notes: LongText


class DecisionCriteria(Contract):
    """The criteria guiding the prosecutor (§C)."""

    past_violence_gravity: Criterion = Field(description="Gravité éventuelle des violences antérieures.")
    author_profile_and_reoffending_risk: Criterion = Field(
        description="Profil psychiatrique ou psychologique de l'auteur, antécédents, risque de réitération."
    )
    victim_isolation_and_vulnerability: Criterion = Field(description="Isolement et vulnérabilité de la victime.")
    danger_gravity_and_immediacy: Criterion = Field(
        description="Gravité et actualité du danger (the decisive criteria)."
    )


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"  # not known / not asked: counts as no, and is kept as such


class RiskItem(Contract):
    item_id: ItemId
    answer: Answer


class RiskOverride(Contract):
    """A professional's judgement raising the level the grid computed (never lowering it)."""

    level: Level
    by: ShortText = Field(description="Role or staff reference of the professional.")
    reason: LongText


class RiskAssessment(Contract):
    """Grille d'évaluation du danger: the items of one versioned instrument."""

    instrument_id: ItemId = Field(description="e.g. dash-like, danger-assessment-like.")
    instrument_version: Annotated[str, StringConstraints(strict=True, pattern=r"^[0-9A-Za-z.-]{1,20}$")]
    items: list[RiskItem] = Field(min_length=1, max_length=100)
    override: RiskOverride | None = None


class EvaluationReport(Contract):
    """Rapport d'évaluation de l'association référente (§B), initial or before renewal."""

    victim_situation: Situation
    author_situation: Situation
    criteria: DecisionCriteria
    risk: RiskAssessment
