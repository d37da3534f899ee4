"""Referral (signalement) contracts: what a professional sends, what is stored and read
back, and the ``referral_received`` event.

Only the victim's identity fields of the arrêté du 22 avril 2015 are accepted; the
event carries ids and routing facts, never identity.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StrictBool, StrictInt, StringConstraints, field_validator

from tgd_contracts.base import Contract
from tgd_contracts.safe_contact import ReferrerContact, SafeContact

ShortText = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=100)]
JurisdictionCode = Annotated[str, StringConstraints(strict=True, min_length=3, max_length=40, pattern=r"^[a-z0-9-]+$")]


class ProfessionalKind(StrEnum):
    """Kind of professional who refers (signalant)."""

    SOCIAL_WORKER = "social_worker"  # travailleur social, intervenant social
    POLICE_INVESTIGATOR = "police_investigator"  # enquêteur (police ou gendarmerie)
    HOSPITAL = "hospital"  # hôpital, professionnel de santé
    SPIP = "spip"  # service pénitentiaire d'insertion et de probation
    JUDGE = "judge"  # JAF, JAP, JLD, juge des enfants, juridiction pénale
    LAWYER = "lawyer"  # avocat
    PSYCHOLOGIST = "psychologist"  # psychologue
    OTHER = "other"


class Urgency(StrEnum):
    """``urgent`` referrals are shown to the on-call prosecutor (permanence du parquet)."""

    URGENT = "urgent"
    STANDARD = "standard"


class Sex(StrEnum):
    FEMALE = "F"
    MALE = "M"


class Referrer(Contract):
    """The professional who refers: kind and organisation, not the person."""

    kind: ProfessionalKind
    organisation: ShortText = Field(description="Organisation of the referring professional.")
    reference: Annotated[str, StringConstraints(strict=True, max_length=64)] | None = Field(
        default=None, description="The referrer's own file number, if any."
    )


class VictimIdentity(Contract):
    """Identity of the person at risk (identité de la personne à protéger)."""

    surname: ShortText = Field(description="Nom de famille.")
    usage_name: ShortText | None = Field(default=None, description="Nom d'usage.")
    first_names: list[ShortText] = Field(min_length=1, max_length=6, description="Prénoms.")
    birth_date: date | None = Field(default=None, description="Date de naissance.")
    birth_place: ShortText | None = Field(default=None, description="Lieu de naissance.")
    sex: Sex | None = Field(default=None, description="Sexe.")

    @field_validator("birth_date")
    @classmethod
    def _born_in_the_past(cls, value: date | None) -> date | None:
        if value is not None and value >= date.today():
            raise ValueError("birth_date must be in the past")
        return value


class ReferralSubmission(Contract):
    """A referral as sent by a professional to the referent association."""

    SCHEMA_VERSION = "1.1.0"  # 1.1: the safe contact and the referrer's contact (optional)

    referrer: Referrer
    victim: VictimIdentity
    facts: Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=10, max_length=10_000)] = (
        Field(description="Faits signalés.")
    )
    urgency: Urgency
    jurisdiction: JurisdictionCode = Field(
        description="Code of the jurisdiction (ressort du tribunal judiciaire), e.g. tj-moulins."
    )
    safe_contact: SafeContact | None = Field(default=None, description="How to reach her safely (contact sûr).")
    referrer_contact: ReferrerContact | None = Field(
        default=None, description="The referring professional's contact (coordonnées du signalant)."
    )


class ReferralStatus(StrEnum):
    RECEIVED = "received"


class ReferralView(Contract):
    """A stored referral, as read back by the association or the prosecutor's office."""

    SCHEMA_VERSION = "1.1.0"  # 1.1: the safe contact and the referrer's contact

    id: str
    status: ReferralStatus
    received_at: datetime
    referrer: Referrer
    victim: VictimIdentity
    facts: str
    urgency: Urgency
    jurisdiction: str
    safe_contact: SafeContact | None = None
    referrer_contact: ReferrerContact | None = None


class ReferralSummary(Contract):
    """A referral in a list: routing facts only, no identity."""

    id: str
    status: ReferralStatus
    received_at: datetime
    urgency: Urgency
    jurisdiction: str
    referrer_kind: ProfessionalKind


class ReferralQuery(Contract):
    jurisdiction: JurisdictionCode
    urgent: StrictBool | None = None
    limit: StrictInt = Field(default=50, ge=1, le=200)
    offset: StrictInt = Field(default=0, ge=0)


class ReferralPage(Contract):
    items: list[ReferralSummary]
    total: int
    limit: int
    offset: int


class SubmissionResult(Contract):
    """Result of ``submit_referral``: ``created`` is false when the idempotency key
    was already used with the same body (the stored referral is returned)."""

    SCHEMA_VERSION = "1.1.0"  # 1.1: ReferralView 1.1

    referral: ReferralView
    created: bool


class ReferralReceived(Contract):
    """Event ``referral_received``: a referral was recorded (signalement reçu)."""

    referral_id: str
    jurisdiction: str
    urgency: Urgency
    referrer_kind: ProfessionalKind
    received_at: datetime
