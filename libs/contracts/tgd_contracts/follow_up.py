"""The association's follow-up of a beneficiary (suivi de la bénéficiaire, seed 002 §B, §D:
"prendra contact régulièrement avec elle"): each contact recorded with its date and nature,
and when the next one is due."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from tgd_contracts.base import Contract
from tgd_contracts.referral import ShortText

Notes = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=2_000)]


class ContactNature(StrEnum):
    PHONE_CALL = "phone_call"  # appel téléphonique
    MEETING = "meeting"  # entretien à l'association
    HOME_VISIT = "home_visit"  # visite à domicile
    ACCOMPANIMENT = "accompaniment"  # accompagnement (plainte, audience, démarches)
    MESSAGE = "message"  # message écrit
    OTHER = "other"


class FollowUpContact(Contract):
    """Un contact de suivi, as the association records it."""

    on: date = Field(description="Date of the contact (not in the future).")
    nature: ContactNature
    by: ShortText = Field(description="Staff reference of the association's worker.")
    notes: Notes | None = None


class RecordedContact(FollowUpContact):
    contact_id: str
    recorded_at: datetime


class FollowUpView(Contract):
    """Le suivi d'une bénéficiaire: contacts newest first, and the next contact due."""

    referral_id: str
    jurisdiction: str
    contacts: list[RecordedContact]
    last_contact_on: date | None
    next_contact_due: date | None


class FollowUpSummary(Contract):
    referral_id: str
    last_contact_on: date | None
    next_contact_due: date | None


class FollowUpPage(Contract):
    """Le suivi des bénéficiaires d'un ressort: the last contact and the next one due, per referral."""

    jurisdiction: str
    items: list[FollowUpSummary]
