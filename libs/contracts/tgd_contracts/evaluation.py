"""Evaluation and decision contracts (évaluation du danger, décision du procureur,
renouvellement, retrait): what the prosecutor's office and the referent association
send, the measure read back, and the events (ids and routing facts only).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import Field, StrictBool, StrictInt, StringConstraints

from tgd_contracts.base import Contract
from tgd_contracts.eligibility import EligibilityFacts
from tgd_contracts.referral import ShortText

LongText = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=5_000)]
ItemId = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9_-]{1,40}$")]


class Requisition(Contract):
    """Réquisition: the prosecutor's office asks the association to evaluate the danger."""

    SCHEMA_VERSION = "1.1.0"

    requested_by: ShortText = Field(description="Parquet / magistrate's office reference (not a person's name).")
    due_on: date | None = Field(default=None, description="Date by which the report is expected.")
    association: Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9-]{1,40}$")] | None = Field(
        default=None,
        description="The association requisitioned (it follows her), when the court has several.",
    )


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


class Consent(Contract):
    """Consentement de la bénéficiaire, collected by the prosecutor's office (§D)."""

    given: StrictBool
    collected_by: ShortText
    collected_on: date


class AttributionDecision(Contract):
    """Décision d'attribution (or refusal) of the prosecutor (§C)."""

    SCHEMA_VERSION = "1.1.0"  # 1.1: the eligibility facts (optional)

    granted: StrictBool
    reasons: LongText = Field(description="Motifs de la décision.")
    author_incarcerated: StrictBool = Field(description="L'auteur est-il incarcéré ?")
    duration_months: StrictInt | None = Field(default=None, ge=1, le=6, description="Default 6 months.")
    decided_by: ShortText = Field(description="Parquet / magistrate's office reference.")
    eligibility: EligibilityFacts | None = Field(
        default=None, description="Faits d'éligibilité (lien avec l'auteur, séparation, nature du danger)."
    )


class RenewalDecision(Contract):
    """Renouvellement (or not) at the end of a period, after the association's re-evaluation."""

    renewed: StrictBool
    reasons: LongText
    decided_by: ShortText


class WithdrawalReason(StrEnum):
    """The five reasons of withdrawal (retrait, §F)."""

    DANGER_CEASED = "danger_ceased"  # la situation de danger cesse
    AUTHOR_INCARCERATED = "author_incarcerated"  # incarcération de l'auteur
    BENEFICIARY_REQUEST = "beneficiary_request"  # à la demande du bénéficiaire
    PROSECUTOR_REQUEST = "prosecutor_request"  # à la demande du parquet (après avis du comité de pilotage)
    NON_COMPLIANCE = "non_compliance"  # non-respect des consignes et règles d'utilisation


class CommitteeOpinion(StrEnum):
    """Avis du comité de pilotage on a withdrawal at the parquet's request."""

    FAVOURABLE = "favourable"
    UNFAVOURABLE = "unfavourable"


class Withdrawal(Contract):
    SCHEMA_VERSION: ClassVar[str] = "1.1.0"  # 1.1: the committee's opinion and members present

    reason: WithdrawalReason
    notes: LongText | None = None
    steering_committee_opinion_on: date | None = Field(
        default=None, description="Date of the comité de pilotage's opinion (required for prosecutor_request)."
    )
    steering_committee_opinion: CommitteeOpinion | None = Field(
        default=None, description="The comité de pilotage's opinion: for (favourable) or against (unfavourable)."
    )
    steering_committee_members: list[ShortText] | None = Field(
        default=None, max_length=40, description="Members present at the comité de pilotage (names or offices)."
    )
    decided_by: ShortText


class MeasureStatus(StrEnum):
    REFERRED = "referred"
    EVALUATION_REQUESTED = "evaluation_requested"
    EVALUATED = "evaluated"
    REFUSED = "refused"
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class MeasureView(Contract):
    """The state of one referral's measure, for the parquet and the association."""

    SCHEMA_VERSION = "1.1.0"

    referral_id: str
    jurisdiction: str
    status: MeasureStatus
    attribution_id: str | None
    evaluations: int
    risk_level: Level | None
    consent_given: bool | None
    starts_at: datetime | None
    ends_at: datetime | None
    renewals: int
    renewal_cap: int
    withdrawal_reason: WithdrawalReason | None
    association: str | None = None  # the association following her


class Purpose(StrEnum):
    INITIAL = "initial"
    RENEWAL = "renewal"


class EvaluationRequested(Contract):
    """Event ``evaluation_requested``: the association is requisitioned."""

    referral_id: str
    jurisdiction: str
    requested_at: datetime


class EvaluationCompleted(Contract):
    """Event ``evaluation_completed``: the association filed its report."""

    referral_id: str
    evaluation_id: str
    jurisdiction: str
    purpose: Purpose
    risk_level: Level
    instrument_id: str
    instrument_version: str
    completed_at: datetime


class AttributionDecided(Contract):
    """Event ``attribution_decided``: granted (device to provision) or refused."""

    SCHEMA_VERSION = "1.1.0"

    attribution_id: str
    referral_id: str
    jurisdiction: str
    granted: bool
    decided_at: datetime
    ends_at: datetime | None
    association: str | None = None  # the association following her (the court's only one, or the requisitioned)


class AttributionRenewed(Contract):
    """Event ``attribution_renewed``: the period was renewed, or not (then it expires)."""

    attribution_id: str
    jurisdiction: str
    renewed: bool
    renewals: int
    ends_at: datetime


class AttributionExpiring(Contract):
    """Event ``attribution_expiring``: reminder to the association and the parquet."""

    attribution_id: str
    jurisdiction: str
    ends_at: datetime


class AttributionWithdrawn(Contract):
    """Event ``attribution_withdrawn`` (retrait)."""

    attribution_id: str
    jurisdiction: str
    reason: WithdrawalReason
    withdrawn_at: datetime


class AttributionExpired(Contract):
    """Event ``attribution_expired``: end of the period without renewal."""

    attribution_id: str
    jurisdiction: str
    expired_at: datetime
