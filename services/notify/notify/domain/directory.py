"""The directory of force units (seed 001, action 8): the CSV parser is shared with the
alert service, so it lives in :mod:`tgd_contracts.force_directory` (re-exported here);
the notify service adds the check against the courts and the referents' view."""

from __future__ import annotations

from typing import Any

from tgd_contracts.directory import ReferentDirectory, ReferentUnit
from tgd_contracts.force_directory import (
    COLUMNS,
    Commune,
    Directory,
    DirectoryError,
    ForceUnit,
    load_csv,
    other_force,
    read_directory,
)
from tgd_contracts.partners import Audience

__all__ = [
    "COLUMNS",
    "Commune",
    "Directory",
    "DirectoryError",
    "ForceUnit",
    "check_departments",
    "load_csv",
    "other_force",
    "read_directory",
    "referent_unit",
    "referents",
    "unit_identity",
]


def check_departments(directory: Directory, departments: frozenset[str]) -> Directory:
    """Every commune's department must have a court in the courts file (else nobody could
    attribute a device there, and a typo would go unnoticed)."""
    for commune in directory.communes.values():
        if commune.department not in departments:
            raise DirectoryError(f"commune {commune.insee_code}: department {commune.department} has no court")
    return directory


def unit_identity(unit: ForceUnit) -> dict[str, Any]:
    """A unit or directorate as notices and the referents' view name it."""
    return {"audience": unit.audience, "department": unit.department, "unit_code": unit.code, "unit_name": unit.name}


def referent_unit(unit: ForceUnit, kind: str) -> ReferentUnit:
    """A unit or directorate of the directory as the referents' view lists it (communes added by the caller)."""
    return ReferentUnit(**unit_identity(unit), kind=kind, referents=list(unit.referents), communes=[])


def referents(directory: Directory, department: str) -> ReferentDirectory:
    """The units of a department with their referents, then its directorates."""
    units: dict[tuple[Audience, str], ReferentUnit] = {}
    for commune in sorted(directory.communes.values(), key=lambda c: c.insee_code):
        if commune.department != department:
            continue
        u = commune.unit
        found = units.setdefault((u.audience, u.code), referent_unit(u, "unit"))
        found.communes.append(commune.insee_code)
    directorates = [
        referent_unit(d, "directorate") for (dept, _), d in sorted(directory.directorates.items()) if dept == department
    ]
    return ReferentDirectory(department=department, units=[*units.values(), *directorates])
