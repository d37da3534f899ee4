"""Time the position -> nearest commune lookup (numbers, not a test).

    .venv/bin/python tools/communes/bench_lookup.py [points]

Prints the time to read the packaged list once and the mean time of one lookup over
random points of metropolitan France (sea and borders included: the slow cases)."""

from __future__ import annotations

import random
import sys
import time


def main(points: int) -> None:
    started = time.perf_counter()
    from alert.domain.places import official_places

    places = official_places()
    loaded = time.perf_counter() - started
    rng = random.Random(1)  # noqa: S311  (sample points, not secrets)
    sample = [(rng.uniform(42.3, 51.0), rng.uniform(-4.8, 8.2)) for _ in range(points)]
    started = time.perf_counter()
    for lat, lon in sample:
        places.nearest(lat, lon)
    per_lookup_us = (time.perf_counter() - started) / points * 1e6
    print(f"communes={len(places)} load_s={loaded:.3f} lookup_us={per_lookup_us:.1f} points={points}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
