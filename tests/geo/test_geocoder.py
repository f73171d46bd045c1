"""The offline geocoder: what people type, the refusals, and accuracy floors on real 311 rows.

`data/sr311_addresses.csv` holds 1,500 real rows (address and the point the city recorded): 600
distinct addresses of the first 5,000 service requests of 2021 and 900 of the 2011-2013 legacy
samples, City of Chicago Data Portal, Terms of Use
(https://www.chicago.gov/city/en/narr/foia/data_disclaimer.html); copied from the shared data's
`sr311/`. The floors are looser than bench/geocode_accuracy.py's figures, to catch regressions.
"""

from __future__ import annotations

import csv
import dataclasses
import math
import random
import statistics
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest

from backend.geo.geocoder import Geocoder, GeocodeResult, geocoder

SAMPLE = Path(__file__).parent / "data" / "sr311_addresses.csv"
DIAGONALS = ("MILWAUKEE", "ARCHER", "ELSTON", "LINCOLN AVE", "OGDEN", "VINCENNES", "N CLARK")


def metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return math.hypot((lat1 - lat2) * 111_130, (lon1 - lon2) * 82_760)


@pytest.fixture(scope="module")
def g() -> Geocoder:
    return geocoder()


def crossing(g: Geocoder, a: str, b: str) -> tuple[float, float]:
    lat, lon, _ = g.map.crossings[frozenset((a, b))]
    return lat, lon


# -- addresses -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,address",
    [
        ("1845 W Cortland St", "1845 W CORTLAND ST"),
        ("1845 w. cortland st apt 2, Chicago, IL 60622", "1845 W CORTLAND ST"),
        ("1845 West Cortland Street #3R", "1845 W CORTLAND ST"),
        ("1845 W CORTLAND ST 2F Chicago IL", "1845 W CORTLAND ST"),
        ("rear of 1845 W Cortland St", "1845 W CORTLAND ST"),
        ("1845 cortlnd", "1845 W CORTLAND ST"),  # misspelt, no direction: only W fits
        ("4000 n pulasky rd", "4000 N PULASKI RD"),
        ("4000 N Pulaski Ave", "4000 N PULASKI RD"),  # wrong type
        ("6300 S MLK Dr", "6300 S DR MARTIN LUTHER KING JR DR"),
        ("6300 s. martin luther king drive", "6300 S DR MARTIN LUTHER KING JR DR"),
        ("2400 N Milwaukee Av", "2400 N MILWAUKEE AVE"),
        ("2400 N Milwaukee Avenue", "2400 N MILWAUKEE AVE"),
        ("3500 S St Louis Ave", "3500 S ST LOUIS AVE"),
        ("3500 s saint louis", "3500 S ST LOUIS AVE"),
        ("1060 W Addison", "1060 W ADDISON ST"),
        ("800 W Chicago", "800 W CHICAGO AVE"),  # the avenue, not the city
        ("9861 S L Ave", "9861 S AVENUE L"),
        ("100 E 63 rd St", "100 E 63RD ST"),
        ("233 S. Wacker Dr.", "233 S WACKER DR"),
    ],
)
def test_addresses_as_people_type_them(g, text, address):
    result = g.geocode(text)
    assert result.found and result.kind == "address"
    assert result.address == address
    assert 0.5 <= result.confidence <= 1.0
    assert 41.6 < result.lat < 42.1 and -88.0 < result.long < -87.5


def test_missing_direction_gives_candidates_when_both_halves_fit(g):
    result = g.geocode("4500 Kedzie")
    assert result.found and result.confidence < 0.5
    assert {c.address for c in result.candidates} == {"4500 N KEDZIE AVE", "4500 S KEDZIE AVE"}
    assert "direction" in result.reason
    # a zip settles it
    assert g.geocode("4500 Kedzie, Chicago IL 60625").address == "4500 N KEDZIE AVE"
    assert g.geocode("4500 Kedzie 60632").address == "4500 S KEDZIE AVE"


@pytest.mark.parametrize(
    "text,reason",
    [
        ("99999 N Clark St", "outside N CLARK ST"),
        ("0 W Cortland St", "outside W CORTLAND ST"),
        ("1374 E Madison St", "outside E MADISON ST"),  # not swapped for W Madison
        ("100 W Fullerton Dr", "outside W FULLERTON"),  # not swapped for Cullerton
        ("2811 W 5th Ave", "no street named"),  # 5th is not a misspelt 15th
        ("42 Wallaby Way Sydney", "no street named"),
        ("Kedzie", "no house number"),
        ("", "empty"),
    ],
)
def test_refused_not_guessed(g, text, reason):
    result = g.geocode(text)
    assert not result.found and result.kind == "" and result.lat is None
    assert reason in result.reason


@pytest.mark.parametrize(
    "text,a,b",
    [  # diagonal streets follow their real course: at a crossing, the crossing's number
        ("1600 N Milwaukee Ave", "N MILWAUKEE AVE", "W NORTH AVE"),
        ("3200 N Milwaukee Ave", "N MILWAUKEE AVE", "W BELMONT AVE"),
        ("2400 N Lincoln Ave", "N LINCOLN AVE", "W FULLERTON AVE"),
        ("2400 N Elston Ave", "N ELSTON AVE", "W FULLERTON AVE"),
        ("3200 N Clark St", "N CLARK ST", "W BELMONT AVE"),
        ("3900 S Archer Ave", "S ARCHER AVE", "W PERSHING RD"),
        ("4000 W Ogden Ave", "W OGDEN AVE", "S PULASKI RD"),
        ("7900 S Vincennes Ave", "S VINCENNES AVE", "W 79TH ST"),
    ],
)
def test_diagonals(g, text, a, b):
    result = g.geocode(text)
    assert metres(result.lat, result.long, *crossing(g, a, b)) < 25


def test_between_crossings_on_a_diagonal(g):
    """2000 N Milwaukee lies on Milwaukee between North Ave (1600) and Fullerton (2400)."""
    north, fullerton = (
        crossing(g, "N MILWAUKEE AVE", f) for f in ("W NORTH AVE", "W FULLERTON AVE")
    )
    result = g.geocode("2000 N Milwaukee Ave")
    assert min(north[0], fullerton[0]) < result.lat < max(north[0], fullerton[0])
    assert min(north[1], fullerton[1]) < result.long < max(north[1], fullerton[1])


# -- intersections ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,address",
    [
        ("Damen and Division", "N DAMEN AVE & W DIVISION ST"),
        ("damen at division", "N DAMEN AVE & W DIVISION ST"),
        ("damen & divison", "N DAMEN AVE & W DIVISION ST"),
        ("Fullerton & Pulaski", "N PULASKI RD & W FULLERTON AVE"),
        ("fullerton / pulasky", "N PULASKI RD & W FULLERTON AVE"),
        ("63rd/Halsted", "S HALSTED ST & W 63RD ST"),
        ("63 rd & halsted", "S HALSTED ST & W 63RD ST"),
        ("halsted and 63", "S HALSTED ST & W 63RD ST"),
        ("corner of milwaukee and north ave", "N MILWAUKEE AVE & W NORTH AVE"),
        ("Avers and Chicago", "N AVERS AVE & W CHICAGO AVE"),
        ("Clark and Illinois", "N CLARK ST & W ILLINOIS ST"),  # a street, not the state
        ("streeter at illinois", "N STREETER DR & E ILLINOIS ST"),
        ("N ABERDEEN ST & W ANCONA ST", "N ABERDEEN ST & W ANCONA ST"),
    ],
)
def test_intersections(g, text, address):
    result = g.geocode(text)
    assert result.found and result.kind == "intersection"
    assert result.address == address
    assert result.confidence >= 0.8


def test_the_state_after_an_address_is_still_dropped(g):
    assert g.geocode("400 N State St, Chicago, Illinois 60654").address == "400 N STATE ST"
    assert g.geocode("400 N State St Chicago Illinois").address == "400 N STATE ST"
    assert g.geocode("100 W Illinois").address == "100 W ILLINOIS ST"


def test_a_jogged_corner_is_answered_at_its_middle(g):
    """N and S Albany Ave meet Madison 57 m apart: "albany & madison" is one place, answered
    near both corners (the bare-name bench counts both)."""
    north = g.geocode("N Albany Ave & W Madison St")
    south = g.geocode("S Albany Ave & W Madison St")
    assert 50 < metres(north.lat, north.long, south.lat, south.long) < 60
    bare = g.geocode("albany & madison")
    assert bare.found and not bare.candidates
    assert metres(bare.lat, bare.long, north.lat, north.long) <= 30
    assert metres(bare.lat, bare.long, south.lat, south.long) <= 30


def test_streets_that_cross_twice_give_candidates(g):
    result = g.geocode("Broadway and Sheridan")
    assert result.found and len(result.candidates) == 2
    a, b = result.candidates
    assert metres(a.lat, a.long, b.lat, b.long) > 500


def test_streets_that_do_not_meet(g):
    near = g.geocode("North Ave and LSD")
    assert near.found and near.confidence <= 0.5 and "do not meet" in near.reason
    far = g.geocode("Howard and 138th")
    assert not far.found and "do not meet" in far.reason


def test_every_intersection_by_its_names_shuffled(g):
    """The street file's intersections, named without direction ("ancona st and aberdeen st"),
    in random order and with random words between: 99.9 % within 30 m in the bench."""
    rng = random.Random(7)
    crossings = rng.sample(sorted(g.map.crossings.items(), key=lambda c: sorted(c[0])), 4000)
    good = 0
    for pair, (lat, lon, _) in crossings:
        names = [" ".join(k.split()[1:]).lower() for k in pair]
        rng.shuffle(names)
        result = g.geocode(rng.choice([" and ", " & ", " / ", " at "]).join(names))
        good += result.found and metres(lat, lon, result.lat, result.long) <= 30
    assert good / len(crossings) >= 0.995


# -- reverse ---------------------------------------------------------------------------------


def test_reverse_round_trip(g):
    address = g.geocode("1845 W Cortland St")
    back = g.reverse(address.lat, address.long)
    assert back.address == "1845 W CORTLAND ST" and back.kind == "address"
    assert back.distance_m < 5 and back.confidence > 0.9


def test_reverse_picks_the_side_of_the_street(g):
    lat, lon = g.geocode("1845 W Cortland St").lat, g.geocode("1845 W Cortland St").long
    north = g.reverse(lat + 0.0002, lon)  # 22 m north: the even side of an E-W street
    south = g.reverse(lat - 0.0002, lon)
    assert north.address.endswith("W CORTLAND ST") and int(north.address.split()[0]) % 2 == 0
    assert south.address.endswith("W CORTLAND ST") and int(south.address.split()[0]) % 2 == 1


@pytest.mark.parametrize(
    "lat,long", [(41.88, -87.5), (0.0, 0.0), (float("nan"), -87.6), ("x", "y"), (None, None)]
)
def test_reverse_far_from_streets(g, lat, long):
    result = g.reverse(lat, long)
    assert not result.found and result.reason


# -- the answer, purity, robustness ----------------------------------------------------------


def test_result_is_small_frozen_and_serialisable(g):
    result = g.geocode("4500 Kedzie")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.lat = 0.0  # type: ignore[misc]
    decoded = msgspec.json.decode(msgspec.json.encode(result))
    assert decoded["address"] == result.address and len(decoded["candidates"]) == 2
    assert GeocodeResult().found is False


@pytest.mark.parametrize(
    "text",
    [None, 123, "&&&", "and and", "1 1 1", "#", "/", "ñandú 12", "1" * 400, "63rd and", "& Damen"],
)
def test_raises_nothing(g, text):
    result = g.geocode(text)  # type: ignore[arg-type]
    assert isinstance(result, GeocodeResult)


@pytest.mark.slow
def test_importable_without_the_app_or_a_database():
    code = (
        "import sys, backend.geo.geocoder as m; m.geocoder();"
        "bad = [n for n in sys.modules if n.startswith(('backend.app', 'backend.db', 'piccolo',"
        " 'litestar'))]; assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])


# -- accuracy floors on real rows ------------------------------------------------------------


def test_accuracy_on_real_311_rows(g):
    """Bench on all 14,470 rows: median 24 m, p95 78 m, 99.9 % answered; floors here are looser."""
    with open(SAMPLE, newline="") as f:
        rows = list(csv.DictReader(f))
    errors, diagonal = [], []
    for row in rows:
        result = g.geocode(row["address"])
        if result.found:
            e = metres(float(row["latitude"]), float(row["longitude"]), result.lat, result.long)
            errors.append(e)
            if any(d in row["address"].upper() for d in DIAGONALS):
                diagonal.append(e)
    errors.sort()
    assert len(errors) / len(rows) >= 0.97
    assert statistics.median(errors) < 35
    assert errors[int(0.95 * len(errors))] < 110
    assert len(diagonal) >= 20 and statistics.median(diagonal) < 50
