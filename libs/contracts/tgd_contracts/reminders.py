"""Reminders (rappels): the deadlines of a measure delivered to the partners who must act
(docs/lifecycle.md), on the ``tgd.partners`` exchange as ``partner_reminder`` with the key
``<audience>.<jurisdiction>.any.reminder``, and readable and acknowledged over the API
(``GET /v1/reminders``, ``POST /v1/reminders/{id}/acknowledgement``). Ids and dates only.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import Field

from tgd_contracts.base import Contract
from tgd_contracts.partners import Audience
from tgd_contracts.referral import ShortText
from tgd_contracts.release import AuthorRelease


class ReminderKind(StrEnum):
    TEST_CALL_DUE = "test_call_due"  # appel test à faire (association)
    TEST_CALL_OVERDUE = "test_call_overdue"  # appel test en retard (association)
    REQUISITION_OVERDUE = "requisition_overdue"  # rapport d'évaluation en retard (parquet, association)
    MEASURE_ENDING = "measure_ending"  # fin de mesure proche (parquet, association)
    RENEWAL_TO_DECIDE = "renewal_to_decide"  # réévaluation rendue: renouvellement à décider (parquet, association)
    OUT_OF_STOCK = "out_of_stock"  # plus de terminal en stock (parquet, téléassistance)
    AUTHOR_RELEASED = "author_released"  # libération de l'auteur (association, parquet, BAV): tell her


class PartnerReminder(Contract):
    """Partner message ``partner_reminder``: act before (or since) ``due_at``; acknowledge
    it on the API with ``reminder_id``."""

    reminder_id: str
    kind: ReminderKind
    audience: Audience
    jurisdiction: str
    referral_id: str | None = None
    attribution_id: str | None = None
    device_id: str | None = None
    due_at: datetime | None = Field(default=None, description="The deadline, when there is one.")
    raised_at: datetime
    unit: str | None = Field(default=None, description="The association addressed, when the court has several.")
    author_release: AuthorRelease | None = None


class ReminderView(Contract):
    reminder_id: str
    kind: ReminderKind
    audience: Audience
    jurisdiction: str
    referral_id: str | None
    attribution_id: str | None
    device_id: str | None
    due_at: datetime | None
    raised_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    unit: str | None = None
    author_release: AuthorRelease | None = None
    beneficiary_informed_on: date | None = None  # author_released: the association told her on


class ReminderPage(Contract):
    jurisdiction: str
    items: list[ReminderView]


class ReminderAcknowledgement(Contract):
    """Rappel pris en compte, by the partner it was addressed to."""

    acknowledged_by: ShortText = Field(description="Role or staff reference (not a person's name).")
    beneficiary_informed_on: date | None = Field(
        default=None, description="author_released, by the association: the day she was told."
    )


class RequisitionOverdue(Contract):
    """Event ``requisition_overdue``: the association's report was due (réquisition en retard)."""

    referral_id: str
    jurisdiction: str
    due_on: date
    detected_at: datetime


class AuthorReleaseReceipt(Contract):
    """Who was told of the author's release."""

    attribution_id: str
    reminders: list[ReminderView]  # the parquet, the association following her, the victims' office
    forces: list[str]  # routing keys of the notices to the units serving her
