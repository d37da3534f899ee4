"""What became of a referral (orientation du signalement, seed 000: "Selon la gravité et
selon la situation de la personne, le CIDFF pourra..."): accompanied to file a complaint,
a protection-order request, sent to a specialised association, sent for an evaluation for
a phone. Several may apply, each recorded with its date and who recorded it."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import Field

from tgd_contracts.base import Contract
from tgd_contracts.referral import ShortText


class OrientationKind(StrEnum):
    """Ce qu'est devenu le signalement (open list: a partner accepts a value it does not know)."""

    COMPLAINT = "complaint"  # accompagnement au dépôt de plainte (commissariat, brigade)
    PROTECTION_ORDER = "protection_order"  # demande d'ordonnance de protection (juge aux affaires familiales)
    SPECIALISED_ASSOCIATION = "specialised_association"  # orientation vers une association spécialisée
    EVALUATION = "evaluation"  # évaluation du danger en vue d'un téléphone grave danger


class RecorderAudience(StrEnum):
    """Who recorded an orientation: the partner the caller acts as (set by the gateway)."""

    ASSOCIATION = "association"
    PARQUET = "parquet"


class Orientation(Contract):
    """Une orientation, as the association (or the parquet) records it."""

    kind: OrientationKind
    on: date = Field(description="Date of the orientation (not in the future, not before the referral).")
    recorded_by: ShortText = Field(description="Staff reference of who records it (not a name).")


class RecordedOrientation(Orientation):
    orientation_id: str
    recorded_as: RecorderAudience
    recorded_at: datetime


class OrientationView(Contract):
    """Les orientations d'un signalement, newest first."""

    referral_id: str
    jurisdiction: str
    orientations: list[RecordedOrientation]
