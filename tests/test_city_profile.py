"""The city profile: Settings picks it, its files exist, and its grid origin is in its anchors."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import pytest

from backend.cities import CHICAGO, PROFILES, profile
from backend.city import CITY, TIME_ZONE
from backend.settings import load_city


def test_chicago_is_the_default_and_names_are_read_in_any_case():
    assert load_city({}) is CHICAGO
    assert load_city({"CITY311_CITY": " Chicago "}) is CHICAGO
    assert CITY is CHICAGO and TIME_ZONE.key == "America/Chicago"


def test_an_unknown_city_stops_with_the_known_ones():
    with pytest.raises(SystemExit, match="known: chicago"):
        load_city({"CITY311_CITY": "springfield"})


@pytest.mark.parametrize("city", PROFILES.values(), ids=PROFILES.keys())
def test_every_file_of_a_profile_exists(city):
    for field in fields(city.files):
        path = getattr(city.files, field.name)
        assert isinstance(path, Path) and path.is_file(), field.name


@pytest.mark.parametrize("city", PROFILES.values(), ids=PROFILES.keys())
def test_the_grid_origin_streets_are_its_zero_anchors(city):
    anchors = json.loads(city.files.grid_anchors.read_text(encoding="utf-8"))
    east_west, north_south = city.grid.origin
    assert [0, [east_west]] in anchors["east_west"]
    assert [0, [north_south]] in anchors["north_south"]
    assert profile(city.key) is city
