"""The gazetteer: Chicago's landmarks by the names people use, each at a point from data."""

from __future__ import annotations

import csv

import pytest

from backend.geo.city import city_map
from backend.geo.landmarks import DATA, Gazetteer, Landmark, gazetteer, words_of


@pytest.fixture(scope="module")
def places() -> Gazetteer:
    return gazetteer()


def named(places: Gazetteer, text: str) -> list[list[str]]:
    return [[p.name for p in f.landmarks] for f in places.find(words_of(text))]


def test_every_landmark_is_inside_the_city_and_each_kind_is_there(places):
    city = city_map()
    assert all(city.contains(p.lat, p.long) for p in places.landmarks)
    kinds = {p.kind for p in places.landmarks}
    assert {"park", "beach", "station", "hospital", "museum", "stadium", "university"} <= kinds
    assert {"airport", "mall", "plaza"} <= kinds
    assert sum(p.kind == "park" for p in places.landmarks) > 400
    assert sum(p.kind == "station" for p in places.landmarks) > 100


def test_every_row_names_its_source():
    with DATA.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {r["source"] for r in rows} == {"venues", "hospitals", "beaches", "parks", "cta"}
    assert all(r["aliases"] for r in rows)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("trash by the bean", "Cloud Gate (the Bean)"),
        ("rats near wrigley", "Wrigley Field"),
        ("pothole by soldier field", "Soldier Field"),
        ("garbage at navy pier", "Navy Pier"),
        ("abandoned car near ohare", "O'Hare International Airport"),
        ("light out by o'hare airport", "O'Hare International Airport"),
        ("graffiti near UIC", "University of Illinois Chicago (UIC)"),
        ("pothole outside northwestern hospital", "Northwestern Memorial Hospital"),
        ("basura en el parque humboldt", "Humboldt Park"),
        ("śmieci na plaży oak street", "Oak Street Beach"),
        ("海军码头附近有垃圾", "Navy Pier"),
        ("midway plaisance trash", "Midway Plaisance Park"),  # the longer name wins
        ("graffiti in eugene field park", "Field Park"),
    ],
)
def test_names_people_use(places, text, name):
    assert named(places, text)[-1] == [name]


def test_a_station_needs_a_word_that_says_train_and_the_line_picks_it(places):
    assert named(places, "pothole on Belmont and Western") == []
    assert named(places, "trash at the Belmont blue line stop") == [["Belmont (Blue Line)"]]
    assert named(places, "stacja Damen niebieska") == [["Damen (Blue Line)"]]
    both = named(places, "graffiti at the belmont stop")
    assert sorted(both[0]) == ["Belmont (Blue Line)", "Belmont (Red, Brown & Purple Lines)"]


def test_two_places_of_one_name_are_both_offered_and_near_ones_are_one():
    far = (Landmark("park", "Anderson Park", 41.86, -87.63), ["anderson park"])
    other = (Landmark("park", "Anderson Park", 41.83, -87.62), ["anderson park"])
    near = (Landmark("beach", "Leone Beach", 41.83001, -87.62001), ["anderson park"])
    found = Gazetteer([far, other, near]).find(["anderson", "park"])
    assert [p.lat for p in found[0].landmarks] == [41.86, 41.83]


@pytest.mark.parametrize(
    "text",
    [
        "downed power line on Pulaski, it's sparking",
        "Damen blue cart missing",
        "broken red light at Pulaski",
        "bache en Belmont el lunes",
    ],
)
def test_a_street_that_names_a_station_is_no_station_without_the_train(places, text):
    assert named(places, text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("trash outside wrigly field", "Wrigley Field"),
        ("graffiti in humbolt park", "Humboldt Park"),
        ("pothole by soldeir field", "Soldier Field"),
        ("light out by nortwestern hospital", "Northwestern Memorial Hospital"),
        ("śmieci w parku humbolt", "Humboldt Park"),
    ],
)
def test_a_name_a_letter_or_two_off_is_found(places, text, name):
    assert named(places, text) == [[name]]


@pytest.mark.parametrize(
    "text",
    ["the park is dark", "dark park", "Huge pothole at Morris Park and Unionport Road",
     "potholes on bronx park east", "broken bench in the park on my block"],
)  # fmt: skip
def test_a_look_alike_is_no_landmark(places, text):
    assert named(places, text) == []


def test_places_of_one_name_are_offered_biggest_first_and_a_named_station_wins(places):
    jackson = named(places, "branch down in jackson park")[0]
    assert jackson == ["Andrew Jackson Park", "Mahalia Jackson Park", "Robert Jackson Park"]
    first = places.find(words_of("branch down in jackson park"))[0].landmarks[0]
    assert first.lat > 41.77 and first.long > -87.59  # Andrew Jackson Park, on the lake
    assert named(places, "śmieci przy stacji Jefferson Park") == [["Jefferson Park (Blue Line)"]]
