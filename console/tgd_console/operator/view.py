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


# -- where the alert went, and what to do when nobody answers ------------------------
LADDER = ("centre", "backup", "command")
STEP_LABELS = {
    "centre": "Centre opérationnel (CIC / CORG)",
    "backup": "Centre de secours",
    "command": "Commandement (aucun centre connu)",
    "competent": "Unité du domicile (suivi)",
    "other_force": "Autre force",
    "association": "Association (suivi)",
}


@dataclass(frozen=True)
class Step:
    """One recipient of the dispatch as the operator must read it: who, its number, and
    the instruction to telephone when it has not acknowledged after a repeat or an
    escalation (a centre of the ladder only: follow-up recipients are not relied on)."""

    label: str
    name: str
    phone: str | None
    acknowledged: bool
    attempts: int
    escalated: bool
    instruction: str | None


def _instruction(delivery: dict[str, Any]) -> str | None:
    step = delivery.get("step")
    if step not in LADDER or delivery.get("acknowledged_at"):
        return None
    silent = int(delivery.get("attempts") or 1) > 1 or delivery.get("kind") == "escalation"
    if not silent:
        return None
    phone, name = delivery.get("phone"), delivery.get("name")
    if phone:
        return f"Aucun accusé de réception : TÉLÉPHONER MAINTENANT au {name} — {phone}."
    return "Aucun accusé de réception et aucun centre connu : TÉLÉPHONER MAINTENANT au 17 (police-secours)."


def escalation_steps(alert: dict[str, Any]) -> list[Step]:
    """Each delivery in order, the ladder's centres with their numbers (force directory)."""
    steps = []
    for d in alert.get("deliveries") or []:
        recipient = d.get("recipient") or {}
        fallback = f"{recipient.get('audience', '?')} {recipient.get('territory', '?')} / {recipient.get('unit', '?')}"
        steps.append(
            Step(
                label=STEP_LABELS.get(d.get("step") or "", "Destinataire"),
                name=d.get("name") or fallback,
                phone=d.get("phone"),
                acknowledged=bool(d.get("acknowledged_at")),
                attempts=int(d.get("attempts") or 1),
                escalated=d.get("kind") == "escalation",
                instruction=_instruction(d),
            )
        )
    return steps


POSITION_STATUS = {
    "usable": "position utilisée pour l'acheminement",
    "no_consent": "PAS DE CONSENTEMENT à la géolocalisation : aucune position n'est recueillie ni transmise",
    "consent_unknown": "consentement à la géolocalisation inconnu (dossier absent) : aucune position conservée",
    "no_fix": "aucune position reçue du téléphone",
    "stale": "position trop ancienne pour l'acheminement (transmise pour information)",
    "inaccurate": "position trop imprécise pour l'acheminement (transmise pour information)",
    "outside": "position hors de France (transmise pour information)",
}


def routed_to(alert: dict[str, Any]) -> str | None:
    """``Acheminée selon sa position : Montluçon (03), zone police`` or by her home."""
    located = alert.get("located")
    if not located:
        return None
    zone = {"police": "zone police", "gendarmerie": "zone gendarmerie"}.get(located.get("zone") or "", "zone inconnue")
    status = POSITION_STATUS.get(located.get("position_status") or "", "")
    if located.get("basis") == "position":
        where = f"{located.get('commune')} ({located.get('department')})"
        return f"Acheminée selon sa position : {where}, {zone} — {status}"
    if located.get("basis") == "home":
        if located.get("position_status") == "usable":  # a usable position, but no centre known there
            status = "position reçue, mais aucun centre connu sur place"
        return f"Acheminée selon son domicile : département {located.get('department')}, {zone} — {status}"
    return f"Acheminement inconnu : ni position ni domicile — {status}"
