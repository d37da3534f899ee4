"""Fictional bodies of the attribution lifecycle's routes for the end-to-end tests: the
shared examples (tgd_contracts/examples) in the Moulins court."""

from __future__ import annotations

from typing import Any

from tgd_contracts.examples import device as examples_device
from tgd_contracts.examples import dossier, evaluation
from tgd_contracts.examples import referral as examples_referral

PARQUET = "Parquet fictif de Moulins"
ACK = {"acknowledged_by": "Officier de permanence (fictif)"}
REPORT = evaluation.evaluation_report()


def referral(surname: str, facts: str) -> dict[str, Any]:
    return examples_referral.submission(surname, facts=facts, jurisdiction="tj-moulins")


def fiche(surname: str) -> dict[str, Any]:
    return dossier.fiche_navette(surname, insee_code="03901")


def device(n: int, imei: str) -> dict[str, Any]:
    """Terminal ``n`` of the fictional stock (``imei``: a Luhn-valid number)."""
    return examples_device.registration(n, "tj-moulins", imei=imei)
