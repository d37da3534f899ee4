"""Fictional terminals and their operations (:mod:`tgd_contracts.stock`): registration in
the stock, test calls, recovery. Identifiers are derived from a key so that a seed run
finds its own terminals again; phone numbers stay in the fictional range."""

from __future__ import annotations

import hashlib
from typing import Any

from tgd_contracts.examples import merged, phone


def luhn_digit(partial: str) -> str:
    """The check digit that makes ``partial`` + digit Luhn-valid (an IMEI's last digit)."""
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def imei(n: int = 1, key: str = "") -> str:
    """A Luhn-valid IMEI, stable for (``key``, ``n``)."""
    digest = int(hashlib.sha256(f"{key}/{n}".encode()).hexdigest(), 16) if key else n
    partial = f"35{digest % 10**12:012d}"
    return partial + luhn_digit(partial)


def registration(n: int = 1, jurisdiction: str = "tj-moulins", key: str = "", **overrides: Any) -> dict[str, Any]:
    """Terminal ``n`` of a fictional stock (the body of ``POST /v1/devices``); ``key``: a
    seed run's salt (different keys give different IMEI, IMSI and GPS chips)."""
    digest = int(hashlib.sha256(f"{key}/{n}".encode()).hexdigest(), 16) if key else n
    body = {
        "jurisdiction": jurisdiction,
        "terminal_number": phone(n),
        "brand": "Marque Fictive",
        "model": "Modèle T1",
        "imei": imei(n, key),
        "imsi": f"20801{digest % 10**10:010d}",
        "gps_chip_id": f"GPS-FICTIF-{digest % 10**6:06d}",
    }
    return merged(body, overrides)


def call_result(direction: str = "operator_to_beneficiary", succeeded: bool = True) -> dict[str, Any]:
    """The result of a test call (appel test, ``POST /v1/devices/{id}/test-calls``)."""
    return {"direction": direction, "succeeded": succeeded}


def recovery(**overrides: Any) -> dict[str, Any]:
    """The handset collected and reset (``POST /v1/devices/{id}/recovery``)."""
    return merged({"collected_at": "2026-06-02T09:00:00Z", "reset_at": "2026-06-02T09:30:00Z"}, overrides)


def transfer(to_jurisdiction: str = "tj-montlucon", **overrides: Any) -> dict[str, Any]:
    """A terminal in stock moved to another court of the department (transfert)."""
    return merged({"to_jurisdiction": to_jurisdiction, "requested_by": "Parquet fictif"}, overrides)


def retirement(reason: str = "scrapped", **overrides: Any) -> dict[str, Any]:
    """A terminal retired from stock (mise au rebut, retour fournisseur)."""
    return merged({"reason": reason, "retired_by": "Opérateur fictif"}, overrides)


def replacement(reason: str = "lost", **overrides: Any) -> dict[str, Any]:
    """Her lost or broken terminal replaced during the measure."""
    return merged({"reason": reason, "reported_by": "Parquet fictif"}, overrides)


def hand_over(**overrides: Any) -> dict[str, Any]:
    """The terminal handed to her (remise), with who was present (roles, never names)."""
    body = {
        "handed_over_at": "2026-04-02T10:00:00Z",
        "place": "Tribunal judiciaire fictif, bureau du parquet",
        "present": [{"role": "beneficiary"}, {"role": "association_worker", "label": "Juriste de l'association"}],
    }
    return merged(body, overrides)
