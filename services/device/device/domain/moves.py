"""Her move after provisioning (changement de domicile), pure.

The fiche navette's home is replaced and ``beneficiary_moved`` tells the notify service
(the units of the old and new homes) and the alert service (alerts follow the new
home). A home outside the department of the court that decided the measure is refused:
the measure would have to be transferred to that department's parquet, which is not a
move; nothing changes. A corrected fiche of a device holder is announced
(``dossier_changed``, ids only) so that the alert service fetches its copy again.
"""

from __future__ import annotations

from datetime import datetime

from device.domain import Assignment, Event, record_fiche
from device.exceptions import HomeOutsideDepartment, InvalidState
from tgd_contracts.device import BeneficiaryMoved, DossierChanged
from tgd_contracts.events import EventName
from tgd_contracts.stock import AssignmentStatus, FicheNavette, HomeChange


def department_of(insee_code: str) -> str:
    """The department of a commune from its INSEE code (``97x`` overseas, ``2A``/``2B``)."""
    return insee_code[:3] if insee_code.startswith("97") else insee_code[:2]


def change_home(a: Assignment, change: HomeChange, department: str, now: datetime) -> tuple[Assignment, list[Event]]:
    """``department`` is the court's; the same home again changes nothing."""
    if a.status not in (AssignmentStatus.PROVISIONED, AssignmentStatus.ACTIVE) or a.fiche is None:
        raise InvalidState("Only a provisioned device's beneficiary can move; before that, correct the fiche navette.")
    if a.device_id is None or a.jurisdiction is None:
        raise InvalidState("This attribution has no device.")
    new_department = department_of(change.home.insee_code)
    if new_department != department:
        raise HomeOutsideDepartment(
            f"The new home is in department {new_department}, the court's is {department}: transfer the measure "
            "to that department's parquet. Nothing was changed."
        )
    previous = a.fiche.beneficiary.home
    if previous == change.home:
        return a, []
    beneficiary = a.fiche.beneficiary.model_copy(update={"home": change.home})
    event = BeneficiaryMoved(
        device_id=a.device_id,
        attribution_id=a.attribution_id,
        jurisdiction=a.jurisdiction,
        department=department,
        home_insee_code=change.home.insee_code,
        previous_insee_code=previous.insee_code,
        moved_at=now,
    )
    changed = a.change(fiche=a.fiche.model_copy(update={"beneficiary": beneficiary}))
    return changed, [(EventName.BENEFICIARY_MOVED, event)]


def fiche_recorded(a: Assignment, fiche: FicheNavette, now: datetime) -> tuple[Assignment, list[Event]]:
    """:func:`record_fiche`; once a device holds a copy of the dossier (provisioned or
    active), a corrected fiche is announced (``dossier_changed``): the copy is refreshed."""
    changed = record_fiche(a, fiche)
    holds_a_device = changed.status in (AssignmentStatus.PROVISIONED, AssignmentStatus.ACTIVE)
    if changed.fiche == a.fiche or a.device_id is None or not holds_a_device:
        return changed, []
    event = DossierChanged(device_id=a.device_id, attribution_id=a.attribution_id, changed_at=now)
    return changed, [(EventName.DOSSIER_CHANGED, event)]
