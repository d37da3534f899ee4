"""Terminals as they are handled (seed 002 §D; the departmental convention with the
teleassistance operator): moved between the courts of one department (transfert),
replaced during a measure when lost or broken (remplacement), handed over to the
beneficiary in the presence of her association (remise du téléphone), retired from
stock (mise au rebut, retour fournisseur). Requests, their recorded forms, and the
``device_replaced`` event (ids and routing facts only).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import AwareDatetime, Field, model_validator

from tgd_contracts.base import Contract
from tgd_contracts.referral import JurisdictionCode, ShortText


class DeviceTransfer(Contract):
    """Transfert: a terminal in stock moves to another court's stock, in the same department."""

    to_jurisdiction: JurisdictionCode = Field(description="The court (ressort) whose stock receives it.")
    requested_by: ShortText = Field(description="Parquet or operator reference (a role, not a person's name).")


class RetirementReason(StrEnum):
    SCRAPPED = "scrapped"  # mise au rebut
    RETURNED_TO_SUPPLIER = "returned_to_supplier"  # retour fournisseur


class DeviceRetirement(Contract):
    """Retrait du parc: the terminal leaves the stock for good; it is never attributed again."""

    reason: RetirementReason
    note: ShortText | None = Field(default=None, description="E.g. the supplier's return reference.")
    retired_by: ShortText = Field(description="Parquet or operator reference (a role, not a person's name).")


class ReplacementReason(StrEnum):
    LOST = "lost"  # perdu (or stolen)
    BROKEN = "broken"  # hors d'usage


class DeviceReplacement(Contract):
    """Remplacement during a measure: her terminal is lost or broken; a terminal of the
    court's stock replaces it for the same beneficiary."""

    reason: ReplacementReason
    reported_by: ShortText = Field(description="Operator, parquet or association reference (not a person's name).")
    note: ShortText | None = None


class ReplacementView(Contract):
    previous_device_id: str
    device_id: str
    reason: ReplacementReason
    reported_by: str
    replaced_at: datetime


class AttendeeRole(StrEnum):
    BENEFICIARY = "beneficiary"  # la bénéficiaire
    ASSOCIATION_WORKER = "association_worker"  # membre de l'association référente
    PROSECUTOR = "prosecutor"  # magistrat du parquet
    COURT_CLERK = "court_clerk"  # greffier
    TELEASSISTANCE_OPERATOR = "teleassistance_operator"
    INTERPRETER = "interpreter"
    OTHER = "other"


class Attendee(Contract):
    """Who was present, by role; ``label`` describes the role (never a person's name)."""

    role: AttendeeRole
    label: ShortText | None = Field(default=None, description="E.g. 'Juriste de l'association' (a role, not a name).")


class HandOver(Contract):
    """Remise du téléphone: the terminal given to her, in the presence of a member of the
    association (seed 002 §D: 'Le matériel est remis en présence d'un membre de
    l'association référente')."""

    handed_over_at: AwareDatetime
    place: ShortText = Field(description="E.g. 'Tribunal judiciaire, bureau du parquet' (never her address).")
    present: list[Attendee] = Field(min_length=2, max_length=10)

    @model_validator(mode="after")
    def _beneficiary_and_association(self) -> HandOver:
        roles = {a.role for a in self.present}
        if AttendeeRole.BENEFICIARY not in roles:
            raise ValueError("the beneficiary must be present at the hand-over")
        if AttendeeRole.ASSOCIATION_WORKER not in roles:
            raise ValueError("a member of the referent association must be present at the hand-over")
        return self


class HandOverView(Contract):
    device_id: str
    handed_over_at: datetime
    place: str
    present: list[Attendee]
    recorded_at: datetime


class DeviceReplaced(Contract):
    """Event ``device_replaced``: her lost or broken terminal was replaced during the
    measure; alerts of ``device_id`` now route to her, a press on ``previous_device_id``
    is flagged; the forces informed are told of the new terminal."""

    device_id: str
    previous_device_id: str
    attribution_id: str
    jurisdiction: str
    department: str = Field(pattern=r"^(\d{2,3}|2[AB])$")
    home_insee_code: str
    reason: ReplacementReason
    replaced_at: datetime
