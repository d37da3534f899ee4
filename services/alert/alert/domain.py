"""Alert rules (seed 002 §E), pure: no nameko, no database, time passed in.

- a press of the alert key creates an alert, or joins the device's open incident when
  it comes within the grouping window of the previous press (and the device still
  serves the same attribution); a retried press (same ``press_id``) is recognised; no
  press is ever dropped, unknown, inactive or returned devices are recorded and flagged;
- a press is never silenced (:mod:`alert.presses`);
- the operator takes the alert, answers the closed-question script (trame de
  questions fermées) and decides: danger -> dispatch to the forces and the
  association; no danger -> redirect to the association; test call; accidental press;
- everything said and decided goes to the alert's journal with its time (§E.II.c).

Routing, deadlines and escalation are in :mod:`alert.routing`.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, field_validator

from alert.exceptions import AlertStateConflict, UnknownQuestion
from alert.script import Script
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
    """One rung of the escalation ladder resolved at dispatch (see :mod:`alert.territory`)."""

    step: str
    recipient: Recipient
    name: str
    phone: str


class PositionRetention(BaseModel):
    """The prosecutor's authorisation to keep the positions 8 days (see :mod:`alert.retention`)."""

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


def consent_of(device: DeviceFacts) -> bool | None:
    """Her consent to geolocation, from the dossier copy (None: no dossier, not known)."""
    if device.dossier is None:
        return None
    return (device.dossier.get("beneficiary") or {}).get("geolocation_consent") is True


def may_keep_position(device: DeviceFacts) -> bool:
    """Only with her consent to geolocation (§E.I "avec l'accord de la victime"): without
    it, or while her dossier (so her consent) is not known, no position is kept."""
    return consent_of(device) is True


def keep_position(alert: Alert, position: Position | None, now: datetime) -> bool:
    """Record a position if she consented; the journal says when one was not kept."""
    if position is None:
        return False
    if not may_keep_position(alert.device):
        alert.note(now, SYSTEM, "position-not-kept", "no consent to geolocation (or not known)")
        return False
    alert.positions.append(position)
    return True


def forget_positions_without_consent(alert: Alert, now: datetime) -> int:
    """The fresh dossier says she does not consent (any more): drop the positions kept."""
    if may_keep_position(alert.device) or not alert.positions:
        return 0
    dropped = len(alert.positions)
    alert.positions = []
    alert.note(now, SYSTEM, "positions-forgotten", f"{dropped} position(s): no consent to geolocation")
    return dropped


def device_flags(device: DeviceFacts) -> list[str]:
    if not device.known:
        return [UNKNOWN_DEVICE]
    if device.active:
        return []
    if device.replaced_at is not None:
        return [INACTIVE_DEVICE, REPLACED_DEVICE]
    return [INACTIVE_DEVICE, RETURNED_DEVICE] if device.returned_at is not None else [INACTIVE_DEVICE]


def joins_open_incident(
    alert: Alert | None, triggered_at: datetime, window: timedelta, device: DeviceFacts | None = None
) -> bool:
    """A press joins the open incident of the same device within the window, unless the
    device has since been given to another attribution (another woman's incident)."""
    if alert is None or not alert.is_open or triggered_at - alert.last_press_at > window:
        return False
    return device is None or device.attribution_id == alert.device.attribution_id


def already_recorded(alert: Alert, press_id: str) -> bool:
    return any(p.press_id == press_id for p in alert.presses)


def raise_alert(
    *,
    alert_id: str,
    device: DeviceFacts,
    press_id: str,
    triggered_at: datetime,
    position: Position | None,
    now: datetime,
) -> Alert:
    alert = Alert(alert_id=alert_id, device=device, raised_at=now, flags=device_flags(device))
    alert.presses.append(Press(press_id=press_id, at=triggered_at))
    alert.note(now, SYSTEM, "raised", ", ".join(alert.flags) or None)
    keep_position(alert, position, now)
    return alert


def join_press(
    alert: Alert, *, press_id: str, triggered_at: datetime, position: Position | None, now: datetime
) -> None:
    """Record a further press on the open incident (appui répété)."""
    alert.presses.append(Press(press_id=press_id, at=triggered_at))
    keep_position(alert, position, now)
    alert.note(now, SYSTEM, "press-joined", f"press {len(alert.presses)}")


def add_position(alert: Alert, position: Position, now: datetime) -> bool:
    """A later position (only kept with her consent); True when kept."""
    kept = keep_position(alert, position, now)
    if kept:
        alert.note(now, SYSTEM, "position")
    return kept


def take(alert: Alert, operator: str, now: datetime) -> None:
    """An operator takes the alert (prise en charge): the failsafe no longer applies."""
    if alert.state == AlertState.TAKEN and alert.operator == operator:
        return
    if alert.state != AlertState.RAISED:
        raise AlertStateConflict(f"The alert is {alert.state.value}; it cannot be taken.")
    alert.state = AlertState.TAKEN
    alert.operator = operator
    alert.taken_at = now
    alert.note(now, operator, "taken")


def answer(
    alert: Alert, script: Script, *, operator: str, question_id: str, value: str, note: str | None, now: datetime
):
    """Record one answer (and what was said) with its time."""
    question = script.question(question_id)
    if value not in question.answers:
        raise UnknownQuestion(f"{value!r} is not an answer to {question_id!r}.")
    if alert.state == AlertState.RAISED:
        take(alert, operator, now)
    if alert.state != AlertState.TAKEN:
        raise AlertStateConflict(f"The alert is {alert.state.value}; the script is closed.")
    alert.answers[question_id] = value
    alert.note(now, operator, "answer", f"{question_id}={value}")
    if note:
        alert.note(now, operator, "conversation", note)


def suggested_outcome(script: Script, answers: dict[str, str]) -> QualificationOutcome | None:
    """DANGER as soon as one answer indicates it; None when nothing does (the operator decides)."""
    for q in script.questions:
        if answers.get(q.id) in q.danger_if:
            return QualificationOutcome.DANGER
    return None


def qualify(
    alert: Alert, script: Script, *, operator: str, outcome: QualificationOutcome, note: str | None, now: datetime
) -> None:
    """The operator's decision (régulation). Test calls and accidental presses close the
    alert; danger and no-danger are then dispatched by :mod:`alert.routing`."""
    if alert.state == AlertState.RAISED:
        take(alert, operator, now)
    if alert.state != AlertState.TAKEN:
        raise AlertStateConflict(f"The alert is {alert.state.value}; it was already qualified.")
    suggestion = suggested_outcome(script, alert.answers)
    alert.outcome = outcome
    detail = outcome.value + (f" (script suggested {suggestion.value})" if suggestion and suggestion != outcome else "")
    alert.note(now, operator, "qualified", detail)
    if note:
        alert.note(now, operator, "conversation", note)
    if outcome in (QualificationOutcome.TEST_CALL, QualificationOutcome.ACCIDENTAL):
        close(alert, actor=operator, result=None, now=now)


def close(alert: Alert, *, actor: str, result: InterventionResult | None, now: datetime, note: str | None = None):
    if alert.state == AlertState.CLOSED:
        raise AlertStateConflict("The alert is already closed.")
    alert.state = AlertState.CLOSED
    alert.closed_at = now
    if result is not None:
        alert.result = result
    alert.note(now, actor, "closed", result.value if result else None)
    if note:
        alert.note(now, actor, "conversation", note)
