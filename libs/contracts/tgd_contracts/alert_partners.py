"""Alert messages with the partners: the dispatch to the forces and the association, her
later positions and the closure on ``tgd.partners``; their acknowledgements and reports on
``tgd.partner-replies`` (and the same replies through the gateway). The dispatch carries
the position and the dossier, for the forces that must act on them (sealed for a partner
that registered a key). Read through :mod:`tgd_contracts.alert`."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import AwareDatetime, Field, StrictBool, StrictInt, StringConstraints

from tgd_contracts.alert_terms import Id, InterventionResult, Note, Position, QualificationOutcome, Segment
from tgd_contracts.base import Contract
from tgd_contracts.dossier import Dossier
from tgd_contracts.partners import Audience
from tgd_contracts.sealing import Sealed


class Recipient(Contract):
    """A partner addressed on ``tgd.partners`` (see :func:`partners.partner_routing_key`)."""

    audience: Audience
    territory: Segment = Field(description="Department for the forces and command, jurisdiction for the association.")
    unit: Segment = Field(description="Unit code (commissariat, brigade) or 'any'.")


class DispatchKind(StrEnum):
    DISPATCH = "dispatch"
    ESCALATION = "escalation"
    PRESS = "press"  # appui répété: she pressed again on an alert already dispatched to you


class PositionStatus(StrEnum):
    """Whether her position travels with the message, and whether it routed the alert."""

    USABLE = "usable"  # sent, and the alert went to the centre competent where she is
    NO_CONSENT = "no_consent"  # she did not consent to geolocation: no position is collected or sent
    CONSENT_UNKNOWN = "consent_unknown"  # no dossier yet to know her consent: no position is kept
    NO_FIX = "no_fix"  # she consented but the device gave no position
    STALE = "stale"  # sent for information; too old to route by
    INACCURATE = "inaccurate"  # sent for information; accuracy radius too large to route by
    OUTSIDE = "outside"  # sent for information; no French commune near it


class RoutingBasis(StrEnum):
    POSITION = "position"  # the centre competent where she is
    HOME = "home"  # the centre competent for her home commune (no usable position)
    UNKNOWN = "unknown"  # neither is known: the unrouted command queue


class Located(Contract):
    """Where the alert was routed: the commune found from her position, or her home's."""

    basis: RoutingBasis
    position_status: PositionStatus
    department: Segment | None = None
    zone: Audience | None = Field(default=None, description="police or gendarmerie zone there.")
    insee_code: Annotated[str, StringConstraints(strict=True, pattern=r"^(\d{5}|2[AB]\d{3})$")] | None = None
    commune: Annotated[str, StringConstraints(strict=True, max_length=120)] | None = None


class PartnerDispatch(Contract):
    """Message ``partner_dispatch`` on ``tgd.partners``: act on this alert. Kind ``press``:
    she pressed again on an alert already dispatched to you (same ``dispatch_id``), with
    where she is now when she consented to geolocation."""

    # 1.1.0: the Audience enum widened (parquet, teleassistance); 1.2.0: position_status, located;
    # 1.3.0: kind press (she pressed again), pressed_at; 1.4.0: sealed (dossier and position encrypted)
    SCHEMA_VERSION: ClassVar[str] = "1.4.0"

    alert_id: Id
    dispatch_id: Id = Field(description="Acknowledge with this id.")
    kind: DispatchKind
    attempt: StrictInt = Field(ge=1, description="1 for the first sending, more for repeats.")
    recipient: Recipient
    outcome: QualificationOutcome | None = Field(description="None when sent by the failsafe before qualification.")
    automatic: StrictBool = Field(description="Sent by the failsafe: no operator took the alert in time.")
    raised_at: datetime
    device_id: Id
    jurisdiction: Segment | None = None
    position: Position | None = Field(default=None, description="Her latest position, only with her consent.")
    dossier: Dossier | None = Field(default=None, description="Fiche navette, when the device service gave it.")
    flags: list[str] = Field(default_factory=list, description="e.g. unknown_device, inactive_device, returned_device.")
    position_status: PositionStatus | None = Field(
        default=None, description="no_consent: she did not consent, no position is collected or sent."
    )
    located: Located | None = Field(default=None, description="Where the alert was routed, and why.")
    pressed_at: AwareDatetime | None = Field(default=None, description="Kind press: when she pressed again.")
    sealed: Sealed | None = Field(
        default=None, description="dossier, position and located encrypted for you (your key registered)."
    )


class PartnerPosition(Contract):
    """Message ``partner_position`` on ``tgd.partners``: her new position during an open
    alert, to every force already alerted (only with her consent)."""

    # 2.0.0 (MAJOR): position optional, it travels in sealed (with located) when the addressee
    # registered a key, so RabbitMQ's message store holds no position in clear
    SCHEMA_VERSION: ClassVar[str] = "2.0.0"

    alert_id: Id
    dispatch_id: Id = Field(description="The dispatch this recipient received for the alert.")
    recipient: Recipient
    position: Position | None = Field(
        default=None, description="Her position; absent from data when sealed (open sealed to read it)."
    )
    position_status: PositionStatus
    located: Located | None = Field(default=None, description="The commune nearest to the position.")
    sealed: Sealed | None = Field(
        default=None, description="position and located encrypted for you (your key registered)."
    )


class PartnerClosure(Contract):
    """Message ``partner_closure`` on ``tgd.partners``: the alert is closed; stop."""

    alert_id: Id
    closed_at: datetime
    result: InterventionResult | None = None


class PartnerAcknowledged(Contract):
    """Message ``partner_acknowledged`` on ``tgd.partner-replies`` (accusé de réception)."""

    SCHEMA_VERSION = "1.1.0"  # the Audience enum widened (parquet, teleassistance)

    alert_id: Id
    dispatch_id: Id
    recipient: Recipient
    acknowledged_at: datetime


class OutcomeReported(Contract):
    """Message ``outcome_reported`` on ``tgd.partner-replies``: the force's report."""

    SCHEMA_VERSION = "1.1.0"  # the Audience enum widened (parquet, teleassistance)

    alert_id: Id
    recipient: Recipient
    result: InterventionResult
    reported_at: datetime
    note: Note | None = None


class PartnerReply(Contract):
    """An acknowledgement through the gateway."""

    SCHEMA_VERSION = "1.1.0"  # the Audience enum widened (parquet, teleassistance)

    dispatch_id: Id
    recipient: Recipient


class OutcomeReport(Contract):
    SCHEMA_VERSION = "1.1.0"  # the Audience enum widened (parquet, teleassistance)

    recipient: Recipient
    result: InterventionResult
    note: Note | None = None
