"""The alert record and what it holds (seed 002 §E.II.c), pure data: the device's facts
the read model keeps, the presses, the deliveries, the escalation ladder and the
prosecutor's authorisation. The rules that change it are in :mod:`alert.domain.lifecycle`
(and the other modules of :mod:`alert.domain`)."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, field_validator

from tgd_contracts.alert import (
    AlertState,
    DispatchKind,
    InterventionResult,
    JournalEntry,
    Located,
    Position,
    QualificationOutcome,
    Recipient,
)
from tgd_contracts.dossier import Dossier

UNKNOWN_DEVICE = "unknown_device"
INACTIVE_DEVICE = "inactive_device"
RETURNED_DEVICE = "returned_device"  # the attribution ended: the handset is to be collected
REPLACED_DEVICE = "replaced_device"  # her lost or broken terminal, replaced: a press on it is not hers any more
OPEN_STATES = (AlertState.RAISED, AlertState.TAKEN, AlertState.DISPATCHED, AlertState.REDIRECTED)
SYSTEM = "system"


class DeviceFacts(BaseModel):
    """What the alert service knows of a device from the device and notify events."""

    model_config = ConfigDict(extra="ignore")

    device_id: str
    known: bool = False
    active: bool = False
    attribution_id: str | None = None
    jurisdiction: str | None = None
    department: str | None = None
    competent: Recipient | None = None
    other_force: Recipient | None = None
    dossier: dict | None = None
    activated_at: datetime | None = None
    returned_at: datetime | None = None
    home_since: datetime | None = None  # provisioning or her last move: older forces_informed are ignored
    replaced_at: datetime | None = None  # her lost or broken terminal, replaced by another (device_replaced)

    @field_validator("dossier")
    @classmethod
    def _only_the_arretes_fields(cls, value: dict | None) -> dict | None:
        """The dossier copy holds the fields of the arrêté (§E.II.a, b) and nothing else:
        it is checked against the contract before it is stored (an unknown key is refused)."""
        return None if value is None else Dossier.model_validate(value).to_wire()


class Press(BaseModel):
    press_id: str
    at: datetime


class Delivery(BaseModel):
    """One recipient addressed for this alert; repeats keep the same dispatch id."""

    dispatch_id: str
    step: str  # routing.CENTRE, BACKUP, COMMAND (the ladder), HOME_UNIT, ASSOCIATION
    recipient: Recipient
    name: str | None = None  # an operations centre's name and number (force directory)
    phone: str | None = None
    kind: DispatchKind
    attempts: int
    first_sent_at: datetime
    last_sent_at: datetime
    acknowledged_at: datetime | None = None


class LadderRung(BaseModel):
    """One rung of the escalation ladder resolved at dispatch (see :mod:`alert.domain.territory`)."""

    step: str
    recipient: Recipient
    name: str
    phone: str


class PositionRetention(BaseModel):
    """The prosecutor's authorisation to keep the positions 8 days (see :mod:`alert.domain.retention`)."""

    authorised_by: str  # the parquet's reference
    client_id: str  # the gateway client that recorded it
    at: datetime


class Alert(BaseModel):
    """The alert record (§E.II.c: date, time, nature, conversations, circumstances,
    handling, position)."""

    alert_id: str
    device: DeviceFacts
    state: AlertState = AlertState.RAISED
    raised_at: datetime
    flags: list[str] = []
    presses: list[Press] = []
    positions: list[Position] = []
    journal: list[JournalEntry] = []
    answers: dict[str, str] = {}
    operator: str | None = None
    taken_at: datetime | None = None
    outcome: QualificationOutcome | None = None
    automatic: bool = False
    result: InterventionResult | None = None
    closed_at: datetime | None = None
    #: a new press after a "no danger" qualification re-opened it (relance): waiting for an operator again
    reopened_at: datetime | None = None
    deliveries: list[Delivery] = []
    located: Located | None = None  # where the dispatch was routed (alert.territory)
    ladder: list[LadderRung] = []
    traceparent: str | None = None
    # retention (arrêté du 22 avril 2015), see alert.retention
    position_retention: PositionRetention | None = None
    copies_purged_at: datetime | None = None  # dossier copy and published messages
    basis_ended_at: datetime | None = None  # the attribution ended (device returned)
    anonymised_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def waiting_since(self) -> datetime:
        """Since when it waits for an operator: the failsafe clock runs from here."""
        return self.reopened_at or self.raised_at

    @property
    def last_press_at(self) -> datetime:
        return max(p.at for p in self.presses) if self.presses else self.raised_at

    def note(self, at: datetime, actor: str, kind: str, detail: str | None = None) -> None:
        self.journal.append(JournalEntry(at=at, actor=actor, kind=kind, detail=detail))


def new_id() -> str:
    return uuid.uuid4().hex
