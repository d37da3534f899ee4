"""Jurisdictions (ressorts des tribunaux judiciaires) known to the scheme: reference
data, not personal data, loaded from a data file so that a new court needs no release.

``TGD_COURTS_FILE=/path/courts.csv`` (UTF-8, ``;``-separated, header
``code;name;department``, optionally ``;renewal_cap``: how many times an attribution may
be renewed there, empty for the default), else the packaged ``data/courts.csv``. Every process reads the
same file at start; a file that does not validate stops it with the line number of the
problem. The code is stable and used in routing keys, so it is lowercase ASCII.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from tgd_contracts.data_files import add_once, csv_rows, read_data_file

COURTS_FILE_VARIABLE = "TGD_COURTS_FILE"
COLUMNS = ("code", "name", "department")
CODE = re.compile(r"^[a-z0-9-]{3,40}$")
DEPARTMENT = re.compile(r"^(\d{2,3}|2[AB])$")


class CourtsError(ValueError):
    """The courts file is not valid (line numbers and column names, never contents)."""


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    name: str
    department: str
    renewal_cap: int | None = None  # the court's convention (Paris: renewable once); None: the default


def load_courts(text: str) -> dict[str, Jurisdiction]:
    courts: dict[str, Jurisdiction] = {}
    for number, row in csv_rows(text, COLUMNS, CourtsError, "courts file: "):
        code, name, department = ((row.get(c) or "").strip() for c in COLUMNS)
        bad = [
            c
            for c, ok in (("code", CODE.match(code)), ("name", name), ("department", DEPARTMENT.match(department)))
            if not ok
        ]
        if bad:
            raise CourtsError(f"courts file, line {number}: invalid {', '.join(bad)}")
        cap = (row.get("renewal_cap") or "").strip()
        if cap and not (cap.isdigit() and int(cap) <= 10):
            raise CourtsError(f"courts file, line {number}: invalid renewal_cap (a whole number, 0 to 10)")
        court = Jurisdiction(code, name, department, int(cap) if cap else None)
        add_once(courts, code, court, CourtsError, f"courts file, line {number}: court {code} listed twice")
    if not courts:
        raise CourtsError("courts file: no court")
    return courts


def read_courts(path: str | None = None) -> dict[str, Jurisdiction]:
    """The configured file (argument, then ``TGD_COURTS_FILE``), else the packaged one."""
    path = path or os.environ.get(COURTS_FILE_VARIABLE) or None
    return load_courts(read_data_file(path, "tgd_contracts", "data/courts.csv"))


JURISDICTIONS: dict[str, Jurisdiction] = read_courts()


def is_known_jurisdiction(code: str) -> bool:
    return code in JURISDICTIONS


def departments() -> frozenset[str]:
    return frozenset(j.department for j in JURISDICTIONS.values())
