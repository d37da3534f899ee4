"""Where is she: a position -> the nearest commune centre (pure, precomputed).

The official commune list with centres (``data/communes.csv.gz``: INSEE code, name,
department, latitude, longitude of the town hall; built by ``tools/communes/build.py``
from public data under the Licence Ouverte 2.0, see docs/force-directory.md) is read
once into a grid of 0.1° cells. :meth:`Places.nearest` looks at the cells around the
position, ring by ring, so a lookup costs a few dozen distance computations, never a
file read.

The nearest town hall is not always the commune that contains the point (near a
border, a big commune's town hall may be farther than a small neighbour's); the error
is at most about half a commune's width, and the accuracy radius of a fix is usually
larger. The department found that way is what routes the alert.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

CELL_DEG = 0.1
EARTH_RADIUS_M = 6_371_000.0
#: beyond this, no commune is "where she is" (abroad, at sea): route by her home
MAX_DISTANCE_M = 30_000.0


@dataclass(frozen=True)
class Place:
    """A commune (or a municipal arrondissement) and its centre."""

    insee_code: str
    name: str
    department: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Found:
    place: Place
    distance_m: float


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / CELL_DEG), math.floor(lon / CELL_DEG)


class Places:
    def __init__(self, places: list[Place]):
        if not places:
            raise ValueError("no commune centres")
        self.by_code = {p.insee_code: p for p in places}
        self.grid: dict[tuple[int, int], list[Place]] = {}
        for p in places:
            self.grid.setdefault(_cell(p.lat, p.lon), []).append(p)

    def __len__(self) -> int:
        return len(self.by_code)

    def nearest(self, lat: float, lon: float, max_distance_m: float = MAX_DISTANCE_M) -> Found | None:
        """The nearest commune centre within ``max_distance_m``; None when there is none
        (or when the coordinates are not finite)."""
        if not (math.isfinite(lat) and math.isfinite(lon)):
            return None
        row, col = _cell(lat, lon)
        # a ring of cells spans at least 0.1° of latitude (~11 km) and of longitude
        # (~11 km x cos(lat)); search until the rings cover max_distance_m everywhere
        cos_lat = max(math.cos(math.radians(lat)), 0.05)
        max_ring = math.ceil(max_distance_m / (11_000.0 * cos_lat)) + 1
        best: Found | None = None
        for ring in range(max_ring + 1):
            for place in self._ring(row, col, ring):
                d = distance_m(lat, lon, place.lat, place.lon)
                if d <= max_distance_m and (best is None or d < best.distance_m):
                    best = Found(place, d)
            # every centre outside rings 0..ring is at least ``ring`` cells away (the
            # narrower longitude cells bound it; 2 % spare for the latitude's change)
            if best is not None and best.distance_m <= 0.98 * ring * CELL_DEG * 111_000.0 * cos_lat:
                break
        return best

    def _ring(self, row: int, col: int, ring: int) -> list[Place]:
        if ring == 0:
            return self.grid.get((row, col), [])
        out: list[Place] = []
        for r in range(row - ring, row + ring + 1):
            for c in range(col - ring, col + ring + 1):
                if max(abs(r - row), abs(c - col)) == ring:
                    out.extend(self.grid.get((r, c), ()))
        return out


def parse(text: str) -> Places:
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    return Places(
        [Place(r["insee_code"], r["name"], r["department"], float(r["lat"]), float(r["lon"])) for r in reader]
    )


@lru_cache(maxsize=1)
def official_places() -> Places:
    """The packaged list, read once per process."""
    raw = (files("alert") / "data" / "communes.csv.gz").read_bytes()
    return parse(gzip.decompress(raw).decode("utf-8"))
