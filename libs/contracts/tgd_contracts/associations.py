"""Referent associations (associations référentes) and the courts each serves, as data:
a court may have several (seed 000: two in Paris), an association may serve several
courts (seed 001: JEC 03 for Moulins, Montluçon and Cusset).

``TGD_ASSOCIATIONS_FILE=/path/associations.csv`` (UTF-8, ``;``-separated, header
``code;name;courts``, courts ``|``-separated), else the packaged ``data/associations.csv``
(fictional). A court missing from the courts file, a code listed twice or a bad value
stops the process with the line number.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

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
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise AssociationsError(f"associations file: missing columns: {', '.join(missing)}")
    found: dict[str, Association] = {}
    for number, row in enumerate(reader, start=2):
        code, name, served = ((row.get(c) or "").strip() for c in COLUMNS)
        served_courts = tuple(c.strip() for c in served.split("|") if c.strip())
        if not CODE.match(code) or not name or not served_courts:
            raise AssociationsError(f"associations file, line {number}: invalid code, name or courts")
        unknown = [c for c in served_courts if c not in courts]
        if unknown:
            raise AssociationsError(f"associations file, line {number}: unknown court {unknown[0]}")
        if code in found:
            raise AssociationsError(f"associations file, line {number}: association {code} listed twice")
        found[code] = Association(code, name, served_courts)
    return found


def read_associations(path: str | None = None) -> dict[str, Association]:
    path = path or os.environ.get("TGD_ASSOCIATIONS_FILE") or None
    text = (
        Path(path).read_text(encoding="utf-8")
        if path
        else (files("tgd_contracts") / "data" / "associations.csv").read_text(encoding="utf-8")
    )
    return load_associations(text, JURISDICTIONS)


ASSOCIATIONS: dict[str, Association] = read_associations()


def associations_of(court: str) -> list[Association]:
    return [a for a in ASSOCIATIONS.values() if court in a.courts]
