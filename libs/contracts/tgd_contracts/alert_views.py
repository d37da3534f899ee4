"""What the alert service answers over RPC (and the gateway over HTTP): the alert
record as the operator sees it, the open alerts of the operator screen, a device's
readiness. See :mod:`tgd_contracts.alert` for the messages."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StrictBool, StrictInt, StringConstraints

from tgd_contracts.alert import (
    AlertState,
    DispatchKind,
    Id,
    InterventionResult,
    JournalEntry,
    Located,
    Position,
    PositionStatus,
    QualificationOutcome,
    Recipient,
    Segment,
)
from tgd_contracts.base import Contract
from tgd_contracts.dossier import Dossier


class DeliveryView(Contract):
    dispatch_id: Id
    recipient: Recipient
    kind: DispatchKind
    attempts: StrictInt
    first_sent_at: datetime
    last_sent_at: datetime
    acknowledged_at: datetime | None = None
    step: Segment | None = Field(default=None, description="centre, backup, home_unit, association...")
    name: Annotated[str, StringConstraints(strict=True, max_length=200)] | None = Field(
        default=None, description="The operations centre's name, from the directory."
    )
    phone: Annotated[str, StringConstraints(strict=True, max_length=40)] | None = Field(
        default=None, description="The number to telephone when it does not acknowledge."
    )


class AlertView(Contract):
    """The alert record as the operator sees it."""

    alert_id: Id
    state: AlertState
    device_id: Id
    attribution_id: Id | None = None
    jurisdiction: Segment | None = None
    flags: list[str]
    raised_at: datetime
    presses: list[datetime]
    positions: list[Position]
    operator: Id | None = None
    outcome: QualificationOutcome | None = None
    automatic: StrictBool
    result: InterventionResult | None = None
    closed_at: datetime | None = None
    reopened_at: datetime | None = Field(default=None, description="A new press after 'no danger' re-opened it.")
    deliveries: list[DeliveryView]
    journal: list[JournalEntry]
    dossier: Dossier | None = None
    position_status: PositionStatus | None = None
    located: Located | None = Field(default=None, description="Where the alert was (or would be) routed.")


class OpenAlertSummary(Contract):
    """A line of the operator screen (no identity)."""

    alert_id: Id
    state: AlertState
    device_id: Id
    jurisdiction: Segment | None = None
    flags: list[str]
    raised_at: datetime
    presses: StrictInt
    acknowledged: StrictBool
    reopened: StrictBool = Field(
        default=False, description="Re-opened by a new press after 'no danger' and not qualified again: first."
    )


class OpenAlerts(Contract):
    items: list[OpenAlertSummary]


class DeviceRouting(Contract):
    """What the alert service knows of a device, to check it is ready for an alert
    (no identity: the dossier's presence only)."""

    device_id: Id
    known: StrictBool
    active: StrictBool
    attribution_id: Id | None = None
    jurisdiction: Segment | None = None
    department: Segment | None = None
    competent: Recipient | None = None
    other_force: Recipient | None = None
    has_dossier: StrictBool


class AlertHistoryItem(Contract):
    """An alert of a court as the parquet lists them: when, what became of it (no identity)."""

    alert_id: Id
    state: AlertState
    raised_at: datetime
    presses: StrictInt
    outcome: QualificationOutcome | None = None
    automatic: StrictBool
    result: InterventionResult | None = None
    closed_at: datetime | None = None


class AlertHistory(Contract):
    """Les alertes d'un ressort, the newest first."""

    jurisdiction: Segment
    items: list[AlertHistoryItem]


class AnsweredAlert(AlertView):
    """The alert after one answer of the script, with the outcome the script suggests
    (``None`` while the answers do not settle it; the operator decides)."""

    suggested_outcome: QualificationOutcome | None = None


class ScriptQuestion(Contract):
    id: Segment
    text: str
    answers: list[Segment]


class QualificationScript(Contract):
    """La trame de questions fermées: the closed questions the operator asks, in order."""

    questions: list[ScriptQuestion]


class PositionRecorded(Contract):
    """A position joined the open alert of its device."""

    alert_id: Id
