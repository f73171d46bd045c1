"""The city's outline and community areas from the real boundary file."""

import pytest

from backend.geo.city import city_map


@pytest.mark.parametrize(
    "lat,long,area",
    [
        (41.9097, -87.6776, "West Town"),  # Wicker Park
        (41.8789, -87.6359, "Loop"),  # Willis Tower
        (41.9786, -87.9048, "Ohare"),  # O'Hare airport belongs to the city
        (41.7943, -87.5907, "Hyde Park"),
    ],
)
def test_points_inside_the_city(lat, long, area):
    city = city_map()
    assert city.contains(lat, long)
    assert city.community_area(lat, long).name == area


@pytest.mark.parametrize(
    "lat,long",
    [
        (42.0451, -87.6877),  # Evanston
        (41.8500, -87.7800),  # Cicero
        (41.8800, -87.5000),  # Lake Michigan
        (40.7128, -74.0060),  # New York
        (0.0, 0.0),
    ],
)
def test_points_outside_the_city(lat, long):
    city = city_map()
    assert not city.contains(lat, long)
    assert city.community_area(lat, long) is None


def test_all_77_areas_are_loaded():
    assert sorted(a.number for a in city_map().areas) == list(range(1, 78))
