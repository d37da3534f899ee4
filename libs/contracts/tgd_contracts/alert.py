"""Alert contracts (seed 002 §E): the device platform's trigger, the operator's
qualification (régulation), the dispatch to the forces and the association on
``tgd.partners``, their acknowledgements and the intervention's outcome.

Events on ``alert.events`` carry ids and facts, never identity; the partner dispatch
(``partner_dispatch`` on ``tgd.partners``) carries the position and the dossier, for
the forces that must act on them.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import AwareDatetime, Field, StrictBool, StrictFloat, StrictInt, StringConstraints

from tgd_contracts.base import Contract
from tgd_contracts.dossier import Dossier
from tgd_contracts.partners import Audience
from tgd_contracts.sealing import Sealed

Id = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
Segment = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9-]{1,40}$")]
Note = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=2000)]


class Position(Contract):
    """Her position at trigger time, sent only when she consented (géolocalisation)."""

    lat: StrictFloat = Field(ge=-90, le=90)
    lon: StrictFloat = Field(ge=-180, le=180)
    accuracy_m: StrictFloat = Field(ge=0, le=100_000, description="Accuracy radius in metres.")
    fixed_at: AwareDatetime = Field(description="When the fix was taken.")


class AlertTrigger(Contract):
    """What the device platform sends when the alert key is pressed (déclenchement)."""

    device_id: Id
    press_id: Id = Field(description="The platform's id of this press: a retry with the same id is not a new press.")
    triggered_at: AwareDatetime
    position: Position | None = None


class PositionUpdate(Contract):
    """A later position of a device with an open alert."""

    device_id: Id
    position: Position


class QualificationOutcome(StrEnum):
    """The result of the régulation."""

    DANGER = "danger"  # danger avéré: the forces are alerted
    NO_DANGER = "no_danger"  # redirected to the association
    TEST_CALL = "test_call"  # appel test
    ACCIDENTAL = "accidental"  # appui accidentel


class InterventionResult(StrEnum):
    """What the force reports (compte rendu d'intervention)."""

    ON_SITE = "on_site"  # patrouille sur place
    AUTHOR_ARRESTED = "author_arrested"  # auteur interpellé
    AUTHOR_GONE = "author_gone"  # auteur parti avant l'arrivée
    NO_ONE_FOUND = "no_one_found"
    FALSE_ALARM = "false_alarm"
    OTHER = "other"


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


class AlertRaised(Contract):
    """Event ``alert_raised``: a new alert is held (ids only)."""

    alert_id: Id
    device_id: Id
    attribution_id: Id | None = None
    raised_at: datetime
    flags: list[str] = Field(default_factory=list)


class AlertClosed(Contract):
    """Event ``alert_closed``: for statistics (nature and outcome, no identity)."""

    alert_id: Id
    jurisdiction: Segment | None = None
    raised_at: datetime
    closed_at: datetime
    outcome: QualificationOutcome | None = None
    automatic: StrictBool
    result: InterventionResult | None = None


class AlertTestCall(Contract):
    """Event ``alert_test_call``: the operator qualified a press of the alert key as a test
    call (appel test): it counts toward the beneficiary's test call every 15 days."""

    __test__ = False

    alert_id: Id
    device_id: Id
    attribution_id: Id
    called_at: AwareDatetime = Field(description="When she pressed the key (the first press of the alert).")
    qualified_at: AwareDatetime


# -- RPC payloads (operator and partners through the gateway) ---------------------
class TakeAlert(Contract):
    operator: Id


class ScriptAnswer(Contract):
    """One answer to the closed-question script (trame de questions fermées)."""

    operator: Id
    question_id: Segment
    answer: Segment
    note: Note | None = Field(default=None, description="What was said, recorded with the time.")


class Qualification(Contract):
    operator: Id
    outcome: QualificationOutcome
    note: Note | None = None


class CloseAlert(Contract):
    operator: Id
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


class TriggerResult(Contract):
    alert_id: Id
    joined: StrictBool = Field(description="True when the press joined an open incident.")
    duplicate: StrictBool = Field(description="True when this press id was already recorded.")
    flags: list[str]


class AlertState(StrEnum):
    RAISED = "raised"  # waiting for an operator
    TAKEN = "taken"  # an operator is qualifying it
    DISPATCHED = "dispatched"  # forces alerted, waiting for the outcome
    REDIRECTED = "redirected"  # no danger: handed to the association
    CLOSED = "closed"


class JournalEntry(Contract):
    """One line of the alert record (§E.II.c): who, when, what."""

    at: datetime
    actor: Annotated[str, StringConstraints(strict=True, max_length=128)]
    kind: Segment
    detail: Annotated[str, StringConstraints(strict=True, max_length=2000)] | None = None
