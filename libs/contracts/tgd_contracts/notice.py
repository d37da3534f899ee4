"""Forces informed (information des forces de l'ordre): the notice each force unit
receives on the ``tgd.partners`` exchange, its acknowledgement, and the escalation of
a notice nobody acknowledged. An attribution, home-change or device-replaced notice
carries what that force needs of the beneficiary and the author
(:mod:`tgd_contracts.force_notice`); the other notices carry ids only.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field, StrictBool

from tgd_contracts.base import Contract
from tgd_contracts.force_notice import ForceAuthor, ForceBeneficiary, NoticePurpose
from tgd_contracts.partners import Audience
from tgd_contracts.referral import ShortText
from tgd_contracts.release import AuthorRelease
from tgd_contracts.sealing import Sealed


class RecipientRole(StrEnum):
    COMPETENT = "competent"  # unit competent for the beneficiary's home
    OTHER_FORCE = "other_force"  # the other force of the department (seed 001, action 11)
    DIRECTORATE = "directorate"  # DDSP / DSPAP or groupement of the competent unit's force (seed 002 §D)
    FORMER = "former"  # the unit competent for her previous home (she moved away)


class AttributionNotice(Contract):
    """Partner message ``attribution_notice``: a device was attributed in your area (or
    she moved in, moved away, or the measure ended: ``purpose``); acknowledge with
    ``notice_id``. Gendarmerie: register the beneficiary in the SIP base."""

    SCHEMA_VERSION = "1.3.0"  # 1.2.0: sealed (beneficiary, author, author_release encrypted); 1.3.0: device_replaced

    notice_id: str
    attribution_id: str
    device_id: str
    jurisdiction: str
    audience: Audience
    department: str
    unit_code: str
    role: RecipientRole
    sip_registration_requested: bool
    attempt: int
    sent_at: datetime
    purpose: NoticePurpose = NoticePurpose.ATTRIBUTION
    beneficiary: ForceBeneficiary | None = Field(
        default=None, description="Attribution, home change and device replaced only."
    )
    author: ForceAuthor | None = Field(default=None, description="Attribution, home change and device replaced only.")
    ended_because: str | None = Field(
        default=None, description="measure_ended: a withdrawal reason (author_incarcerated...) or expired."
    )
    author_release: AuthorRelease | None = Field(default=None, description="author_released: what was reported.")
    previous_device_id: str | None = Field(
        default=None,
        description="device_replaced: her former terminal (lost or broken); a call from it is not hers any more.",
    )
    sealed: Sealed | None = Field(
        default=None, description="beneficiary, author and author_release encrypted for you (your key registered)."
    )


class NoticeEscalation(Contract):
    """Partner message ``notice_escalation``: a notice was not acknowledged in time."""

    SCHEMA_VERSION = "1.1.0"  # the Audience enum widened (parquet, teleassistance)

    notice_id: str
    attribution_id: str
    audience: Audience
    department: str
    unit_code: str
    first_sent_at: datetime


class NoticeAcknowledgement(Contract):
    """Accusé de réception of a notice by the unit it was addressed to."""

    unit_code: ShortText
    acknowledged_by: ShortText = Field(description="Role or staff reference of the officer.")
    sip_registered: StrictBool | None = Field(default=None, description="Gendarmerie: beneficiary entered in SIP.")


class NoticeAcknowledged(Contract):
    """Partner reply ``notice_acknowledged`` on ``tgd.partner-replies`` (the AMQP way to
    acknowledge, besides the gateway); its routing key's unit must be ``unit_code``."""

    notice_id: str
    unit_code: ShortText
    acknowledged_by: ShortText
    sip_registered: StrictBool | None = None


class NoticeView(Contract):
    SCHEMA_VERSION = "1.2.0"  # 1.2.0: purpose device_replaced

    notice_id: str
    attribution_id: str
    audience: Audience
    department: str
    unit_code: str
    unit_name: str
    role: RecipientRole
    routing_key: str
    attempts: int
    acknowledged_at: datetime | None
    escalated_at: datetime | None
    sip_registration: str | None
    purpose: NoticePurpose = NoticePurpose.ATTRIBUTION
    superseded: bool = False


class InformationView(Contract):
    SCHEMA_VERSION = "1.2.0"

    attribution_id: str
    status: str
    notices: list[NoticeView]
