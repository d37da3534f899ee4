"""The directory of force units (seed 001, action 8): the CSV parser is shared with the
alert service, so it lives in :mod:`tgd_contracts.force_directory` (re-exported here);
the notify service adds the check against the courts and the referents' view."""

from __future__ import annotations

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
    "referents",
]


def check_departments(directory: Directory, departments: frozenset[str]) -> Directory:
    """Every commune's department must have a court in the courts file (else nobody could
    attribute a device there, and a typo would go unnoticed)."""
    for commune in directory.communes.values():
        if commune.department not in departments:
            raise DirectoryError(f"commune {commune.insee_code}: department {commune.department} has no court")
    return directory


def referents(directory: Directory, department: str) -> ReferentDirectory:
    """The units of a department with their referents, then its directorates."""
    units: dict[tuple[Audience, str], ReferentUnit] = {}
    for commune in sorted(directory.communes.values(), key=lambda c: c.insee_code):
        if commune.department != department:
            continue
        u = commune.unit
        found = units.setdefault(
            (u.audience, u.code),
            ReferentUnit(
                audience=u.audience,
                department=u.department,
                unit_code=u.code,
                unit_name=u.name,
                kind="unit",
                referents=list(u.referents),
                communes=[],
            ),
        )
        found.communes.append(commune.insee_code)
    directorates = [
        ReferentUnit(
            audience=d.audience,
            department=d.department,
            unit_code=d.code,
            unit_name=d.name,
            kind="directorate",
            referents=list(d.referents),
            communes=[],
        )
        for (dept, _), d in sorted(directory.directorates.items())
        if dept == department
    ]
    return ReferentDirectory(department=department, units=[*units.values(), *directorates])
