"""Fictional bodies of the attribution lifecycle's routes, shared by the end-to-end tests
(every name, place and number is obviously fake)."""

from __future__ import annotations

from typing import Any

PARQUET = "Parquet fictif de Moulins"
ACK = {"acknowledged_by": "Officier de permanence (fictif)"}
SITUATION = {"family": "Fictive.", "personal": "Fictive.", "professional": "Fictive.", "social": "Fictive."}
CRITERION = {"level": "high", "notes": "Notes fictives."}
REPORT = {
    "victim_situation": SITUATION,
    "author_situation": SITUATION,
    "criteria": {
        "past_violence_gravity": CRITERION,
        "author_profile_and_reoffending_risk": CRITERION,
        "victim_isolation_and_vulnerability": CRITERION,
        "danger_gravity_and_immediacy": CRITERION,
    },
    "risk": {
        "instrument_id": "dash-like",
        "instrument_version": "1",
        "items": [{"item_id": f"q{n:02d}", "answer": "yes"} for n in range(1, 16)],
    },
}


def referral(surname: str, facts: str) -> dict[str, Any]:
    return {
        "referrer": {"kind": "social_worker", "organisation": "Association Fictive"},
        "victim": {"surname": surname, "first_names": ["Fictive"]},
        "facts": facts,
        "urgency": "urgent",
        "jurisdiction": "tj-moulins",
    }


def fiche(surname: str) -> dict[str, Any]:
    return {
        "beneficiary": {
            "identity": {"surname": surname, "first_names": ["Fictive"]},
            "disability_or_speech_difficulty": False,
            "home": {
                "street": "1 Rue Fictive",
                "postcode": "03100",
                "city": "Commune Fictive A",
                "insee_code": "03901",
            },
            "geolocation_consent": True,
        },
        "author": {
            "identity": {"surname": "AUTEUR-FICTIF", "first_names": ["Personne"]},
            "no_contact_order": {"basis": "protection_order", "starts_on": "2026-01-02"},
        },
    }


def device(n: int, imei: str) -> dict[str, Any]:
    """Terminal ``n`` of the fictional stock (``imei``: a Luhn-valid number)."""
    return {
        "jurisdiction": "tj-moulins",
        "terminal_number": f"060000000{n}",
        "brand": "Marque Fictive",
        "model": "T1",
        "imei": imei,
        "imsi": f"20801000000000{n}",
        "gps_chip_id": f"GPS-000{n}",
    }
