"""Position -> nearest commune centre: the grid search finds what a full scan finds."""

import math
import random

from alert.domain.places import Place, Places, distance_m, official_places


def brute_force(places: Places, lat: float, lon: float, limit: float):
    found = [(distance_m(lat, lon, p.lat, p.lon), p.insee_code) for p in places.by_code.values()]
    found = [f for f in found if f[0] <= limit]
    return min(found)[1] if found else None


def test_the_official_list_covers_metropolitan_france_corsica_and_overseas():
    places = official_places()
    assert len(places) > 34_000
    for code, department in (("03185", "03"), ("2A004", "2A"), ("97411", "974"), ("75116", "75")):
        assert places.by_code[code].department == department


def test_the_nearest_centre_is_the_one_a_full_scan_finds():
    places = official_places()
    rng = random.Random(14)
    for _ in range(60):
        lat, lon = rng.uniform(42.3, 51.0), rng.uniform(-4.8, 8.2)
        found = places.nearest(lat, lon)
        assert (found.place.insee_code if found else None) == brute_force(places, lat, lon, 30_000)


def test_nothing_is_near_at_sea_abroad_or_for_non_finite_coordinates():
    places = Places([Place("03185", "Montluçon", "03", 46.3437, 2.6061)])
    assert places.nearest(46.35, 2.61).place.insee_code == "03185"
    assert places.nearest(46.35, 2.61).distance_m < 1_000
    assert places.nearest(47.0, 2.6) is None  # 73 km away
    assert places.nearest(math.nan, 2.6) is None
    assert places.nearest(46.3, math.inf) is None


def test_search_crosses_cell_borders_and_the_antimeridian_side_is_harmless():
    places = Places([Place("00001", "A", "01", 45.0999, 5.0), Place("00002", "B", "01", 45.1001, 5.05)])
    assert places.nearest(45.1002, 5.0).place.insee_code == "00001"  # in the next cell up, still nearer
    assert places.nearest(-45.0, 179.99) is None
