"""The life of a terminal in the stock (parc de terminaux), pure.

::

    in_stock --take--> assigned --two-way test call--> active --end of measure--> to_collect
    to_collect | lost | broken --collected and reset--> in_stock
    assigned | active --replaced during the measure--> lost | broken
    in_stock --transfer (same department)--> in_stock of another court
    in_stock | lost | broken --retirement--> retired (for good: never attributed again)

A terminal in use (assigned, active) is never moved nor retired; a returned one is
collected and reset before anything else (the previous holder's numbers are on it).
Every refusal changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from device.exceptions import CourtOutsideDepartment, InvalidRequest, InvalidState, UnknownJurisdiction
from tgd_contracts.handling import ReplacementReason
from tgd_contracts.jurisdictions import Jurisdiction
from tgd_contracts.stock import DeviceRecovery, DeviceState

S = DeviceState
IN_USE = (S.ASSIGNED, S.ACTIVE)
RECOVERABLE = (S.TO_COLLECT, S.LOST, S.BROKEN)
RETIRABLE = (S.IN_STOCK, S.LOST, S.BROKEN)
OUT_OF_SERVICE = {ReplacementReason.LOST: S.LOST, ReplacementReason.BROKEN: S.BROKEN}


def _not_in_use(state: DeviceState, action: str) -> None:
    if state in IN_USE:
        raise InvalidState(f"This terminal is in use by a beneficiary: it cannot be {action}. Nothing was changed.")
    if state == S.TO_COLLECT:
        raise InvalidState(
            f"This terminal was returned and is not yet collected and reset: record its recovery before it is "
            f"{action}. Nothing was changed."
        )
    if state == S.RETIRED:
        raise InvalidState("This terminal is retired from stock for good. Nothing was changed.")


def check_transfer(state: DeviceState, source: str, target: str, courts: Mapping[str, Jurisdiction]) -> None:
    """Transfert: a terminal in stock, to another court of the same department."""
    if target not in courts:
        raise UnknownJurisdiction(f"Unknown court {target!r} (not in the courts file). Nothing was changed.")
    if target == source:
        raise InvalidRequest("The terminal is already in this court's stock. Nothing was changed.")
    _not_in_use(state, "transferred")
    if state != S.IN_STOCK:
        raise InvalidState("Only a terminal in stock is transferred. Nothing was changed.")
    if source not in courts:
        raise UnknownJurisdiction(f"The terminal's court {source!r} is no longer in the courts file.")
    if courts[target].department != courts[source].department:
        raise CourtOutsideDepartment(
            f"{target} is in department {courts[target].department}, the terminal's court in "
            f"{courts[source].department}: a terminal moves only within its department. Nothing was changed."
        )


def check_retirement(state: DeviceState) -> None:
    """Retrait du parc (mise au rebut, retour fournisseur): never a terminal in use."""
    _not_in_use(state, "retired")


def check_recovery(state: DeviceState, recovery: DeviceRecovery, now: datetime) -> None:
    """Only a returned terminal (or a replaced one, found or repaired) is collected and
    reset, and not in the future."""
    if state not in RECOVERABLE:
        raise InvalidState(
            "Only a returned, lost or broken terminal (to be collected and reset) goes back to stock this way."
        )
    if recovery.reset_at > now:
        raise InvalidRequest("The reset cannot be recorded before it happened.")
