"""Referent associations (associations référentes) and the courts each serves, as data:
a court may have several (seed 000: two in Paris), an association may serve several
courts (seed 001: JEC 03 for Moulins, Montluçon and Cusset).

``TGD_ASSOCIATIONS_FILE=/path/associations.csv`` (UTF-8, ``;``-separated, header
``code;name;courts``, courts ``|``-separated), else the packaged ``data/associations.csv``
(fictional). A court missing from the courts file, a code listed twice or a bad value
stops the process with the line number.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from tgd_contracts.data_files import add_once, csv_rows, read_data_file
from tgd_contracts.jurisdictions import JURISDICTIONS, Jurisdiction

COLUMNS = ("code", "name", "courts")
CODE = re.compile(r"^[a-z0-9-]{1,40}$")


class AssociationsError(ValueError):
    """The associations file is not valid."""


@dataclass(frozen=True)
class Association:
    code: str  # the unit segment of its routing keys: association.<court>.<code>.<kind>
    name: str
    courts: tuple[str, ...]


def load_associations(text: str, courts: dict[str, Jurisdiction]) -> dict[str, Association]:
    found: dict[str, Association] = {}
    for number, row in csv_rows(text, COLUMNS, AssociationsError, "associations file: "):
        code, name, served = ((row.get(c) or "").strip() for c in COLUMNS)
        served_courts = tuple(c.strip() for c in served.split("|") if c.strip())
        if not CODE.match(code) or not name or not served_courts:
            raise AssociationsError(f"associations file, line {number}: invalid code, name or courts")
        unknown = [c for c in served_courts if c not in courts]
        if unknown:
            raise AssociationsError(f"associations file, line {number}: unknown court {unknown[0]}")
        twice = f"associations file, line {number}: association {code} listed twice"
        add_once(found, code, Association(code, name, served_courts), AssociationsError, twice)
    return found


def read_associations(path: str | None = None) -> dict[str, Association]:
    path = path or os.environ.get("TGD_ASSOCIATIONS_FILE") or None
    return load_associations(read_data_file(path, "tgd_contracts", "data/associations.csv"), JURISDICTIONS)


ASSOCIATIONS: dict[str, Association] = read_associations()


def associations_of(court: str) -> list[Association]:
    return [a for a in ASSOCIATIONS.values() if court in a.courts]
