"""Posted forms -> the API's JSON bodies (pure). An empty optional field is left out;
the API validates the rest and its refusal is shown in French."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

Fields = dict[str, list[str]]
PARIS = ZoneInfo("Europe/Paris")
SITUATION_PARTS = ("family", "personal", "professional", "social")
CRITERIA = (
    "past_violence_gravity",
    "author_profile_and_reoffending_risk",
    "victim_isolation_and_vulnerability",
    "danger_gravity_and_immediacy",
)


def get(fields: Fields, name: str, limit: int = 5000) -> str:
    return (fields.get(name) or [""])[0].strip()[:limit]


def optional(fields: Fields, name: str) -> str | None:
    return get(fields, name) or None


def yes(fields: Fields, name: str) -> bool:
    return get(fields, name) == "yes"


def requisition(fields: Fields) -> dict[str, Any]:
    """La réquisition; ``association``: the one requisitioned when the court has several."""
    return {
        "requested_by": get(fields, "requested_by", 100),
        "due_on": optional(fields, "due_on"),
        "association": optional(fields, "association"),
    }


def consent(fields: Fields) -> dict[str, Any]:
    return {
        "given": yes(fields, "given"),
        "collected_by": get(fields, "collected_by", 100),
        "collected_on": get(fields, "collected_on"),
    }


def decision(fields: Fields) -> dict[str, Any]:
    """La décision, with the eligibility facts (lien, séparation, nature du danger) when given."""
    duration = get(fields, "duration_months")
    body: dict[str, Any] = {
        "granted": yes(fields, "granted"),
        "reasons": get(fields, "reasons"),
        "author_incarcerated": yes(fields, "author_incarcerated"),
        "duration_months": int(duration) if duration.isdigit() else None,
        "decided_by": get(fields, "decided_by", 100),
    }
    if get(fields, "relationship") or get(fields, "danger"):
        body["eligibility"] = {
            "relationship": get(fields, "relationship"),
            "separated": yes(fields, "separated"),
            "separated_on": optional(fields, "separated_on"),
            "danger": get(fields, "danger"),
        }
    return body


def orientation(fields: Fields) -> dict[str, Any]:
    """Une orientation du signalement: nature, date, who records it."""
    return {"kind": get(fields, "kind"), "on": get(fields, "on"), "recorded_by": get(fields, "recorded_by", 100)}


def contact_details(fields: Fields) -> dict[str, Any]:
    """Contact sûr de la victime and coordonnées du signalant; a part left empty is left out."""
    body: dict[str, Any] = {}
    if get(fields, "phone"):
        body["safe_contact"] = {
            "phone": get(fields, "phone", 30),
            "safe_times": get(fields, "safe_times", 100),
            "message_allowed": yes(fields, "message_allowed"),
        }
    if get(fields, "referrer_name"):
        body["referrer_contact"] = {
            "name": get(fields, "referrer_name", 100),
            "service": get(fields, "referrer_service", 100),
            "phone": optional(fields, "referrer_phone"),
            "email": optional(fields, "referrer_email"),
        }
    return body


def renewal(fields: Fields) -> dict[str, Any]:
    return {
        "renewed": yes(fields, "renewed"),
        "reasons": get(fields, "reasons"),
        "decided_by": get(fields, "decided_by"),
    }


def withdrawal(fields: Fields) -> dict[str, Any]:
    """Retrait; at the parquet's request, the steering committee's opinion: date, for or
    against, and the members present (one per line)."""
    members = [line.strip()[:100] for line in get(fields, "committee_members").splitlines() if line.strip()]
    body: dict[str, Any] = {
        "reason": get(fields, "reason"),
        "notes": optional(fields, "notes"),
        "steering_committee_opinion_on": optional(fields, "committee_on"),
        "steering_committee_opinion": optional(fields, "committee_opinion"),
        "steering_committee_members": members or None,
        "decided_by": get(fields, "decided_by", 100),
    }
    return {k: v for k, v in body.items() if v is not None}


def report(fields: Fields, item_ids: list[str]) -> dict[str, Any]:
    """The association's report: the two situations, the four criteria, and one answer
    per item of the chosen grid (an item left blank is "ne sait pas")."""
    instrument_id, _, version = get(fields, "instrument").partition(":")
    risk: dict[str, Any] = {
        "instrument_id": instrument_id,
        "instrument_version": version,
        "items": [{"item_id": i, "answer": get(fields, f"item-{i}") or "unknown"} for i in item_ids],
    }
    if get(fields, "override_level"):
        risk["override"] = {
            "level": get(fields, "override_level"),
            "by": get(fields, "override_by", 100),
            "reason": get(fields, "override_reason"),
        }
    return {
        "victim_situation": {p: get(fields, f"victim-{p}") for p in SITUATION_PARTS},
        "author_situation": {p: get(fields, f"author-{p}") for p in SITUATION_PARTS},
        "criteria": {c: {"level": get(fields, f"{c}-level"), "notes": get(fields, f"{c}-notes")} for c in CRITERIA},
        "risk": risk,
    }


def contact(fields: Fields) -> dict[str, Any]:
    """Un contact de suivi: date, nature, the worker's reference, notes."""
    body = {"on": get(fields, "on"), "nature": get(fields, "nature"), "by": get(fields, "by", 100)}
    notes = get(fields, "notes", 2000)
    return {**body, "notes": notes} if notes else body


def transfer(fields: Fields) -> dict[str, Any]:
    """Transfert d'un terminal en stock vers un autre tribunal du département."""
    return {"to_jurisdiction": get(fields, "to_jurisdiction", 40), "requested_by": get(fields, "by", 100)}


def retirement(fields: Fields) -> dict[str, Any]:
    """Retrait du parc: mise au rebut ou retour fournisseur."""
    body = {"reason": get(fields, "reason"), "retired_by": get(fields, "by", 100)}
    note = get(fields, "note", 100)
    return {**body, "note": note} if note else body


def replacement(fields: Fields) -> dict[str, Any]:
    """Remplacement de son téléphone perdu ou hors d'usage."""
    body = {"reason": get(fields, "reason"), "reported_by": get(fields, "by", 100)}
    note = get(fields, "note", 100)
    return {**body, "note": note} if note else body


def paris_moment(value: str) -> str:
    """A ``datetime-local`` field (Europe/Paris wall time) as an ISO moment with its offset;
    an unreadable value is passed on for the API to refuse."""
    try:
        return datetime.fromisoformat(value).replace(tzinfo=PARIS).isoformat()
    except ValueError:
        return value


def hand_over(fields: Fields) -> dict[str, Any]:
    """Remise du téléphone: when (Paris time), where, and who was present, by role
    (checked boxes; a role's description, never a name, when given)."""
    present = []
    for role in fields.get("present", []):
        description = get(fields, f"label-{role}", 100)
        present.append({"role": role[:40], **({"label": description} if description else {})})
    return {
        "handed_over_at": paris_moment(get(fields, "handed_over_at", 40)),
        "place": get(fields, "place", 100),
        "present": present,
    }
