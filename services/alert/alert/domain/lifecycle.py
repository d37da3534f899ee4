"""The alert's lifecycle (seed 002 §E), pure: no nameko, no database, time passed in.

- a press of the alert key creates an alert, or joins the device's open incident when
  it comes within the grouping window of the previous press (and the device still
  serves the same attribution); a retried press (same ``press_id``) is recognised; no
  press is ever dropped, unknown, inactive or returned devices are recorded and flagged;
- a press is never silenced (:mod:`alert.domain.presses`);
- the operator takes the alert, answers the closed-question script (trame de
  questions fermées) and decides: danger -> dispatch to the forces and the
  association; no danger -> redirect to the association; test call; accidental press;
- everything said and decided goes to the alert's journal with its time (§E.II.c).

Routing, deadlines and escalation are in :mod:`alert.domain.routing` and
:mod:`alert.domain.escalation`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from alert.domain.model import (
    INACTIVE_DEVICE,
    REPLACED_DEVICE,
    RETURNED_DEVICE,
    SYSTEM,
    UNKNOWN_DEVICE,
    Alert,
    DeviceFacts,
    Press,
)
from alert.domain.script import Script
from alert.exceptions import AlertStateConflict, UnknownQuestion
from tgd_contracts.alert import AlertState, InterventionResult, Position, QualificationOutcome
from tgd_contracts.dossier import Dossier


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
    alert; danger and no-danger are then dispatched by :mod:`alert.domain.routing`."""
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


def dossier_of(alert: Alert) -> Dossier | None:
    """Her dossier copy held with the alert, as the contract (None: none held, or unreadable)."""
    raw = alert.device.dossier
    try:
        return Dossier.consume(raw) if raw else None
    except ValueError:
        return None
