"""Each department's 24/7 operations centres and escalation ladder, pure: who can send a
patrol at once where she is (DOMAIN.md, "How an alert reaches a patrol").

- police zone: the CIC (centre d'information et de commandement) of the departmental
  police directorate; gendarmerie zone: the CORG (centre d'opérations et de
  renseignement de la gendarmerie) of the groupement;
- each has a backup centre named per department (centre de secours) and a ladder, the
  order in which they are addressed when nobody acknowledges: ``centre>centre>backup``
  means the centre, then the centre again, then its backup (the last rung is repeated
  until someone answers). A ladder never names the other force: a police emergency is
  not handed to the gendarmerie by default;
- ``default_zone``: the force of a commune the force directory does not list (most of
  the territory is gendarmerie zone; the police zone is a list of communes).

Loaded from a CSV file (UTF-8, ``;``-separated, one header line), one row per department
and force::

    department;force;default_zone;centre_code;centre_name;centre_phone;backup_code;backup_name;
        backup_phone;ladder                                      (one line in the file)
    03;police;gendarmerie;cic-03;CIC fictif de l'Allier;01 99 00 03 17;cic-63;CIC fictif du
        Puy-de-Dôme;01 99 00 63 17;centre>centre>backup

Centres are ``command`` recipients on ``tgd.partners``: ``command.<department>.<centre_code>.<kind>``
(a backup centre is addressed with the department of the alert it backs up).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tgd_contracts.data_files import add_once, csv_rows, read_data_file
from tgd_contracts.force_directory import CODE, DEPARTMENT, ZONES, DirectoryError
from tgd_contracts.partners import Audience

COLUMNS = (
    "department",
    "force",
    "default_zone",
    "centre_code",
    "centre_name",
    "centre_phone",
    "backup_code",
    "backup_name",
    "backup_phone",
    "ladder",
)
CENTRE, BACKUP = "centre", "backup"
RUNGS = (CENTRE, BACKUP)
MAX_RUNGS = 8
PHONE = re.compile(r"^\+?[0-9 .-]{6,20}$")
SAMPLE = "data/operations_centres.sample.csv"


@dataclass(frozen=True)
class Centre:
    """A 24/7 operations centre (CIC, CORG) or its backup."""

    code: str
    name: str
    phone: str


@dataclass(frozen=True)
class DepartmentForce:
    """One force's centres in one department, and its escalation ladder."""

    department: str
    force: Audience
    centre: Centre
    backup: Centre | None
    ladder: tuple[str, ...]

    def rung(self, name: str) -> Centre:
        return self.backup if name == BACKUP and self.backup is not None else self.centre


@dataclass(frozen=True)
class OperationsCentres:
    entries: dict[tuple[str, Audience], DepartmentForce]
    default_zones: dict[str, Audience]

    def entry(self, department: str, force: Audience) -> DepartmentForce | None:
        return self.entries.get((department.upper(), force))

    def default_zone(self, department: str) -> Audience | None:
        return self.default_zones.get(department.upper())


def _problems(v: dict[str, str]) -> list[str]:
    has_backup = any(v[k] for k in ("backup_code", "backup_name", "backup_phone"))
    ladder = v["ladder"].split(">")
    checks = (
        ("department", DEPARTMENT.match(v["department"])),
        ("force", v["force"] in ZONES),
        ("default_zone", v["default_zone"] in ZONES),
        ("centre_code", CODE.match(v["centre_code"])),
        ("centre_name", v["centre_name"]),
        ("centre_phone", PHONE.match(v["centre_phone"])),
        ("backup_code", not has_backup or CODE.match(v["backup_code"])),
        ("backup_name", not has_backup or v["backup_name"]),
        ("backup_phone", not has_backup or PHONE.match(v["backup_phone"])),
        (
            "ladder",
            ladder[0] == CENTRE
            and len(ladder) <= MAX_RUNGS
            and all(r in RUNGS for r in ladder)
            and (has_backup or BACKUP not in ladder),
        ),
    )
    return [name for name, ok in checks if not ok]


def _row(number: int, row: dict[str, str]) -> DepartmentForce:
    v = {k: (row.get(k) or "").strip() for k in COLUMNS}
    problems = _problems(v)
    if problems:
        raise DirectoryError(f"line {number}: invalid {', '.join(problems)}")
    backup = Centre(v["backup_code"], v["backup_name"], v["backup_phone"]) if v["backup_code"] else None
    return DepartmentForce(
        department=v["department"],
        force=ZONES[v["force"]],
        centre=Centre(v["centre_code"], v["centre_name"], v["centre_phone"]),
        backup=backup,
        ladder=tuple(v["ladder"].split(">")),
    )


def load_csv(text: str) -> OperationsCentres:
    """Validate the whole file; a problem names its line, never its content."""
    entries: dict[tuple[str, Audience], DepartmentForce] = {}
    zones: dict[str, Audience] = {}
    for number, row in csv_rows(text, COLUMNS, DirectoryError):
        entry = _row(number, row)
        twice = f"line {number}: {entry.force.value} of {entry.department} listed twice"
        add_once(entries, (entry.department, entry.force), entry, DirectoryError, twice)
        zone = ZONES[(row.get("default_zone") or "").strip()]
        if zones.setdefault(entry.department, zone) != zone:
            raise DirectoryError(f"line {number}: two default zones for {entry.department}")
    if not entries:
        raise DirectoryError("no operations centre")
    for department, zone in zones.items():
        if (department, zone) not in entries:
            raise DirectoryError(f"{department}: no {zone.value} centre for its default zone")
    return OperationsCentres(entries, zones)


def read_centres(path: str | None) -> OperationsCentres:
    """The file at ``path``, or the fictional sample shipped with the contracts."""
    return load_csv(read_data_file(path, "tgd_contracts", SAMPLE))
