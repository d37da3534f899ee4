"""The directory of force units (seed 001, action 8), pure: which force (police or
gendarmerie zone) and which unit are competent for each commune, and each
department's directorates (DDSP / DSPAP, groupement de gendarmerie).

Loaded from a CSV file (UTF-8, ``;``-separated, one header line), one row per commune::

    insee_code;commune;department;zone;unit_code;unit_name;directorate_code;directorate_name;referents
    03901;Commune Fictive A;03;police;csp-fictive-a;Commissariat fictif A;ddsp-03;DDSP fictive;Référent A|Référent B

``zone`` is ``police`` or ``gendarmerie``; codes are lowercase ``[a-z0-9-]`` (they are
routing-key segments); ``referents`` is a ``|``-separated list of roles or contacts.

Shared by the notify service (the unit informed of an attribution) and the alert
service (the zone of the commune where she is); each department's operations centres
are in :mod:`tgd_contracts.centres`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tgd_contracts.data_files import add_once, csv_rows, read_data_file
from tgd_contracts.partners import Audience

COLUMNS = (
    "insee_code",
    "commune",
    "department",
    "zone",
    "unit_code",
    "unit_name",
    "directorate_code",
    "directorate_name",
    "referents",
)
INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
DEPARTMENT = re.compile(r"^(\d{2,3}|2[AB])$")
CODE = re.compile(r"^[a-z0-9-]{1,40}$")
ZONES = {Audience.POLICE.value: Audience.POLICE, Audience.GENDARMERIE.value: Audience.GENDARMERIE}


class DirectoryError(ValueError):
    """The file is not a valid directory (line numbers, never contents, are given)."""


@dataclass(frozen=True)
class ForceUnit:
    audience: Audience
    department: str
    code: str
    name: str
    referents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Commune:
    insee_code: str
    name: str
    department: str
    unit: ForceUnit  # competent for the commune (commissariat or brigade)
    directorate: ForceUnit  # its force's departmental directorate


@dataclass(frozen=True)
class Directory:
    communes: dict[str, Commune]
    directorates: dict[tuple[str, Audience], ForceUnit]

    def commune(self, insee_code: str) -> Commune | None:
        return self.communes.get(insee_code)

    def directorate(self, department: str, audience: Audience) -> ForceUnit | None:
        return self.directorates.get((department, audience))


def other_force(audience: Audience) -> Audience:
    return Audience.GENDARMERIE if audience == Audience.POLICE else Audience.POLICE


def _row(number: int, row: dict[str, str]) -> Commune:
    values = {k: (row.get(k) or "").strip() for k in COLUMNS}
    problems = [
        name
        for name, ok in (
            ("insee_code", INSEE.match(values["insee_code"])),
            ("department", DEPARTMENT.match(values["department"])),
            ("zone", values["zone"] in ZONES),
            ("unit_code", CODE.match(values["unit_code"])),
            ("directorate_code", CODE.match(values["directorate_code"])),
            ("commune", values["commune"]),
            ("unit_name", values["unit_name"]),
            ("directorate_name", values["directorate_name"]),
        )
        if not ok
    ]
    if problems:
        raise DirectoryError(f"line {number}: invalid {', '.join(problems)}")
    zone, department = ZONES[values["zone"]], values["department"]
    referents = tuple(r.strip() for r in values["referents"].split("|") if r.strip())
    return Commune(
        insee_code=values["insee_code"],
        name=values["commune"],
        department=department,
        unit=ForceUnit(zone, department, values["unit_code"], values["unit_name"], referents),
        directorate=ForceUnit(zone, department, values["directorate_code"], values["directorate_name"]),
    )


def load_csv(text: str) -> Directory:
    communes: dict[str, Commune] = {}
    directorates: dict[tuple[str, Audience], ForceUnit] = {}
    for number, row in csv_rows(text, COLUMNS, DirectoryError):
        commune = _row(number, row)
        twice = f"line {number}: commune {commune.insee_code} listed twice"
        add_once(communes, commune.insee_code, commune, DirectoryError, twice)
        key = (commune.department, commune.unit.audience)
        known = directorates.setdefault(key, commune.directorate)
        if known.code != commune.directorate.code:
            raise DirectoryError(f"line {number}: two directorates for {key[1].value} in {key[0]}")
    if not communes:
        raise DirectoryError("the directory is empty")
    return Directory(communes, directorates)


SAMPLE = "data/force_units.sample.csv"


def read_directory(path: str | None) -> Directory:
    """The file at ``path``, or the fictional sample shipped with the contracts."""
    return load_csv(read_data_file(path, "tgd_contracts", SAMPLE))
