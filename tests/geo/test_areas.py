"""Point -> ward, community area, neighborhood, police district and beat, checked on real data."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from shapely import wkt
from shapely.geometry import Point

from backend.geo.areas import DATA
from backend.geo.city import city_map

HERE = Path(__file__).parent


def _agreement(column: str, value) -> float:
    city = city_map()
    rows = list(csv.DictReader((HERE / "data" / "sr311_2021_areas.csv").open()))
    agree = total = 0
    for row in rows:
        places = city.places(float(row["latitude"]), float(row["longitude"]))
        if places is None or not row[column]:
            continue
        total += 1
        agree += str(value(places)) == row[column].lstrip("0")
    assert total > 4900
    return agree / total


def test_community_areas_agree_with_the_citys_own_records():
    assert _agreement("community_area", lambda p: p.community_area) >= 0.99


def test_police_districts_agree_with_the_citys_own_records():
    district = lambda p: p.police_district.number if p.police_district else None  # noqa: E731
    assert _agreement("police_district", district) >= 0.99


def test_beats_agree_with_the_citys_own_records():
    assert _agreement("police_beat", lambda p: (p.beat or "").lstrip("0")) >= 0.99


def test_every_police_station_is_in_its_own_district():
    for station in json.loads((DATA / "police_stations.json").read_text()):
        places = city_map().places(station["lat"], station["long"])
        assert places.police_district.number == int(station["district"]), station


def test_most_ward_offices_are_in_their_ward():
    offices = json.loads((DATA / "ward_offices_2023.json").read_text())
    outside = []
    for office in offices:
        point = wkt.loads(office["location"])
        assert isinstance(point, Point)
        places = city_map().places(point.y, point.x)
        if places is None or places.ward is None or places.ward.number != int(office["ward"]):
            outside.append(int(office["ward"]))
    assert len(outside) <= 5, outside  # an office may sit just across its ward's line


def test_a_point_in_wicker_park():
    places = city_map().places(41.9097, -87.6776)
    assert places.ward.number == 1 and places.ward.alderman.startswith("La Spata")
    assert places.community_area_name == "West Town" and places.neighborhood == "Wicker Park"
    assert places.police_district.name == "Shakespeare" and places.beat == "1424"


def test_outside_the_city_there_are_no_places():
    assert city_map().places(42.0451, -87.6877) is None  # Evanston
