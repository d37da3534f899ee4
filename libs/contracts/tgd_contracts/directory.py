"""The directory of referents (seed 001, action 8: "un annuaire des référents dans
chaque commissariat et brigade, tenu à jour"), as the parquet and the association read it."""

from __future__ import annotations

from tgd_contracts.base import Contract
from tgd_contracts.partners import Audience


class ReferentUnit(Contract):
    """A commissariat, brigade or directorate and its referents (roles or contacts)."""

    audience: Audience
    department: str
    unit_code: str
    unit_name: str
    kind: str  # "unit" (commissariat / brigade) or "directorate" (DDSP / DSPAP, groupement)
    referents: list[str]
    communes: list[str]  # codes INSEE it is competent for (units only)


class ReferentDirectory(Contract):
    department: str  # of the court asked about
    units: list[ReferentUnit]
