"""Pure helpers of the console screens: the order of the open alerts, the latest
position, the script's answers already given, the marks of failsafe and escalation.
No I/O: tested in gateway/tests/test_console_view.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

# the lower, the more urgent: waiting for an operator first, then being qualified, then
# forces alerted but silent, then forces alerted and acknowledged, then redirected
URGENCY = {"raised": 0, "taken": 1, "dispatched": 2, "redirected": 4, "closed": 5}


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def paris_time(value: str | datetime) -> str:
    """``dd/mm HH:MM:SS`` in French time (the operators' wall clock)."""
    at = parse_time(value) if isinstance(value, str) else value
    return at.astimezone(PARIS).strftime("%d/%m %H:%M:%S")


def paris_clock(value: str | datetime) -> str:
    """``HH:MM:SS`` in French time."""
    at = parse_time(value) if isinstance(value, str) else value
    return at.astimezone(PARIS).strftime("%H:%M:%S")


def french_date(value: str) -> str:
    """``2026-01-31`` -> ``31/01/2026``."""
    year, month, day = value.split("-")
    return f"{day}/{month}/{year}"


def urgency(item: dict[str, Any]) -> int:
    rank = URGENCY.get(item.get("state", ""), 3)
    if item.get("state") == "dispatched" and item.get("acknowledged"):
        rank = 3
    return rank


def order_open_alerts(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Re-opened incidents first (she pressed again after a "no danger" qualification:
    a press is never silenced); then most urgent first; within the same urgency, an alert
    from an unknown or inactive device first (no dossier: more to do), then more presses,
    then the newest."""
    return sorted(
        items,
        key=lambda i: (
            not i.get("reopened"),
            urgency(i),
            not i.get("flags"),
            -int(i.get("presses") or 0),
            -parse_time(i["raised_at"]).timestamp(),
        ),
    )


def latest_position(alert: dict[str, Any]) -> dict[str, Any] | None:
    positions = alert.get("positions") or []
    return max(positions, key=lambda p: parse_time(p["fixed_at"])) if positions else None


def given_answers(alert: dict[str, Any]) -> dict[str, str]:
    """The script's answers recorded in the journal (``answer`` entries: ``question=value``);
    the last one for a question wins."""
    answers: dict[str, str] = {}
    for entry in alert.get("journal") or []:
        if entry.get("kind") == "answer" and "=" in (entry.get("detail") or ""):
            question, value = entry["detail"].split("=", 1)
            answers[question] = value
    return answers


@dataclass(frozen=True)
class Marks:
    """What must catch the eye on the alert: sent by the failsafe (no operator in time),
    escalated (a recipient did not acknowledge), repeated sendings, silent recipients."""

    failsafe: bool
    escalated: bool
    repeats: int
    unacknowledged: int


def marks(alert: dict[str, Any]) -> Marks:
    deliveries = alert.get("deliveries") or []
    journal = alert.get("journal") or []
    return Marks(
        failsafe=bool(alert.get("automatic")) or any(e.get("kind") == "failsafe" for e in journal),
        escalated=any(d.get("kind") == "escalation" for d in deliveries),
        repeats=sum(max(0, int(d.get("attempts") or 1) - 1) for d in deliveries),
        unacknowledged=sum(1 for d in deliveries if not d.get("acknowledged_at")),
    )


def actions_for(state: str) -> list[str]:
    """The buttons in each state (the service decides; this only hides what it would
    refuse): a raised alert can be taken, or answered and qualified at once (taken on
    the way); a taken one answered and qualified (including as a test call or an
    accidental press); an open one closed."""
    if state in ("raised", "taken"):
        return (
            ["take", "answer", "dispatch", "redirect", "test_call", "accidental", "close"]
            if state == "raised"
            else ["answer", "dispatch", "redirect", "test_call", "accidental", "close"]
        )
    if state in ("dispatched", "redirected"):
        return ["close"]
    return []
