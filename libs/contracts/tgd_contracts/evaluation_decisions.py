"""What the prosecutor's office sends and reads back (réquisition, consentement, décision
d'attribution, renouvellement, retrait) and the state of one measure. Read through
:mod:`tgd_contracts.evaluation`."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import Field, StrictBool, StrictInt, StringConstraints

from tgd_contracts.base import Contract
from tgd_contracts.eligibility import EligibilityFacts
from tgd_contracts.evaluation_report import Level, LongText
from tgd_contracts.referral import ShortText


class Requisition(Contract):
    """Réquisition: the prosecutor's office asks the association to evaluate the danger."""

    SCHEMA_VERSION = "1.1.0"

    requested_by: ShortText = Field(description="Parquet / magistrate's office reference (not a person's name).")
    due_on: date | None = Field(default=None, description="Date by which the report is expected.")
    association: Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9-]{1,40}$")] | None = Field(
        default=None,
        description="The association requisitioned (it follows her), when the court has several.",
    )


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
