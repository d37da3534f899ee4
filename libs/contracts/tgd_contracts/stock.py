"""The teleassistance operator's side (plateforme de téléassistance): the stock of
devices (parc de terminaux), the fiche navette as sent by the parquet, test calls
(appels test), and their events (ids and routing facts only).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, Field, StrictBool, StringConstraints, field_validator, model_validator

from tgd_contracts.base import Contract
from tgd_contracts.dossier import Address, Author, Beneficiary
from tgd_contracts.handling import HandOverView, ReplacementView
from tgd_contracts.referral import JurisdictionCode, ShortText


def luhn_valid(digits: str) -> bool:
    """The Luhn check digit of an IMEI (15 digits, the last one being the check digit)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


class DeviceRegistration(Contract):
    """A terminal added to a jurisdiction's stock (terminal d'alerte)."""

    jurisdiction: JurisdictionCode
    terminal_number: Annotated[str, StringConstraints(strict=True, pattern=r"^\+?[0-9]{6,15}$")] = Field(
        description="Numéro du terminal de communication d'alerte."
    )
    brand: ShortText = Field(description="Marque.")
    model: ShortText = Field(description="Modèle.")
    imei: Annotated[str, StringConstraints(strict=True, pattern=r"^\d{15}$")] = Field(
        description="IMEI, 15 digits with a valid Luhn check digit."
    )
    imsi: Annotated[str, StringConstraints(strict=True, pattern=r"^\d{14,15}$")] = Field(description="IMSI.")
    gps_chip_id: Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Za-z0-9-]{4,40}$")] = Field(
        description="Numéro d'identification de la puce GPS."
    )

    @field_validator("imei")
    @classmethod
    def _imei_luhn(cls, value: str) -> str:
        if not luhn_valid(value):
            raise ValueError("IMEI check digit (Luhn) is wrong")
        return value


class DeviceState(StrEnum):
    IN_STOCK = "in_stock"
    ASSIGNED = "assigned"  # provisioned, waiting for the two-way test call at hand-over
    ACTIVE = "active"
    #: returned (withdrawal, expiry): to be collected and reset (à récupérer et réinitialiser);
    #: back in stock only once its physical return and reset are recorded
    TO_COLLECT = "to_collect"
    #: replaced during a measure (her terminal lost or broken): never given again unless
    #: found or repaired, then collected and reset like a returned one
    LOST = "lost"
    BROKEN = "broken"
    #: retired from stock (mise au rebut, retour fournisseur): never attributed again
    RETIRED = "retired"


class DeviceRecovery(Contract):
    """The physical return and the reset of a returned terminal (restitution et
    réinitialisation), recorded by the teleassistance operator: it puts it back in stock."""

    collected_at: AwareDatetime = Field(description="When the handset was physically recovered.")
    reset_at: AwareDatetime = Field(
        description="When it was reset (no number, contact or setting of the previous holder)."
    )

    @model_validator(mode="after")
    def _reset_after_collection(self) -> DeviceRecovery:
        if self.reset_at < self.collected_at:
            raise ValueError("the reset cannot precede the physical return")
        return self


class DeviceView(Contract):
    SCHEMA_VERSION = "1.2.0"  # 1.2.0: lost, broken, retired; why it left service

    device_id: str
    jurisdiction: str
    terminal_number: str
    brand: str
    model: str
    state: DeviceState
    attribution_id: str | None
    out_of_service_reason: str | None = Field(
        default=None, description="lost, broken (replaced), scrapped or returned_to_supplier (retired)."
    )
    out_of_service_at: datetime | None = None


class StockPage(Contract):
    SCHEMA_VERSION = "1.2.0"

    jurisdiction: str
    items: list[DeviceView]
    in_stock: int
    to_collect: int = Field(default=0, description="Returned terminals still to be collected and reset.")


class FicheNavette(Contract):
    """Fiche navette: what the parquet sends the operator about a granted attribution;
    the operator completes it with the device into a :class:`~tgd_contracts.dossier.Dossier`."""

    beneficiary: Beneficiary
    author: Author


class HomeChange(Contract):
    """Changement de domicile after provisioning: her new home (the fiche navette's home
    is replaced; the forces of both homes are told)."""

    home: Address
    reported_by: ShortText = Field(description="Parquet or association reference (not a person's name).")


class TestCallDirection(StrEnum):
    OPERATOR_TO_BENEFICIARY = "operator_to_beneficiary"
    BENEFICIARY_TO_OPERATOR = "beneficiary_to_operator"


class TestCall(Contract):
    """Appel test, as recorded by the operator."""

    __test__ = False  # not a pytest class

    direction: TestCallDirection
    succeeded: StrictBool


class AssignmentStatus(StrEnum):
    AWAITING_DOSSIER = "awaiting_dossier"
    AWAITING_DECISION = "awaiting_decision"
    OUT_OF_STOCK = "out_of_stock"
    PROVISIONED = "provisioned"
    ACTIVE = "active"
    RETURNED = "returned"
    CANCELLED = "cancelled"


class AssignmentView(Contract):
    """The device side of one attribution."""

    SCHEMA_VERSION = "1.1.0"  # 1.1.0: hand-overs and replacements

    attribution_id: str
    jurisdiction: str | None
    status: AssignmentStatus
    device_id: str | None
    activated_at: datetime | None
    next_test_call_due: datetime | None
    returned_at: datetime | None
    wipe_due_at: datetime | None
    wiped: bool
    hand_overs: list[HandOverView] = Field(default_factory=list, description="Remises du téléphone.")
    replacements: list[ReplacementView] = Field(default_factory=list, description="Terminals replaced (lost, broken).")


class AssignmentPage(Contract):
    """The device side of a court's measures in progress (mise en service, appels test)."""

    SCHEMA_VERSION = "1.1.0"

    jurisdiction: str
    items: list[AssignmentView]


class DeviceOutOfStock(Contract):
    """Event ``device_out_of_stock``: a granted attribution waits for a device (alert to the parquet)."""

    SCHEMA_VERSION = "1.1.0"

    attribution_id: str
    jurisdiction: str
    detected_at: datetime
    replacing_device_id: str | None = Field(
        default=None, description="Set when the terminal to replace (lost, broken) waits for one: she has none."
    )


class TestCallDue(Contract):
    """Event ``test_call_due``: reminder before the 15-day test-call deadline."""

    __test__ = False

    device_id: str
    attribution_id: str
    jurisdiction: str
    due_at: datetime


class TestCallOverdue(Contract):
    """Event ``test_call_overdue``: no test call within 15 days (to the association)."""

    __test__ = False

    device_id: str
    attribution_id: str
    jurisdiction: str
    due_at: datetime
