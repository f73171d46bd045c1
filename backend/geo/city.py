"""The city's outline (union of its community areas: Chicago's 77) and where a point is in it: the
single source of truth for "inside the city", community area, ward, district, beat."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from shapely import total_bounds
from shapely.geometry import Point, shape

from backend.city import CITY
from backend.geo.areas import (
    AreaLayer,
    Places,
    load_beats,
    load_neighborhoods,
    load_police_districts,
    load_wards,
)

DATA = CITY.files.community_areas


@dataclass(frozen=True)
class CommunityArea:
    number: int
    name: str


class CityMap:
    """Point-in-polygon lookups over the community areas; build once with `city_map()`."""

    def __init__(self, geojson_path: Path = DATA) -> None:
        features = json.loads(geojson_path.read_text())["features"]
        self.areas = [
            CommunityArea(int(f["properties"]["area_numbe"]), f["properties"]["community"].title())
            for f in features
        ]
        shapes = [shape(f["geometry"]) for f in features]
        self._areas = AreaLayer(shapes, self.areas)
        self.bounds = tuple(total_bounds(shapes))  # (min_long, min_lat, max_long, max_lat)
        self.wards = load_wards()
        self.police_districts = load_police_districts()
        self.beats = load_beats()
        self.neighborhoods = load_neighborhoods()

    def contains(self, lat: float, long: float) -> bool:
        """Inside the city: in one of its community areas (the city is their union)."""
        return self.community_area(lat, long) is not None

    def community_area(self, lat: float, long: float) -> CommunityArea | None:
        return self._areas.at(long, lat, Point(long, lat))

    def places(self, lat: float, long: float) -> Places | None:
        """Every area the point is in; None outside the city (in no community area)."""
        point = Point(long, lat)
        area = self._areas.at(long, lat, point)
        if area is None:
            return None
        return Places(
            ward=self.wards.at(long, lat, point),
            community_area=area.number,
            community_area_name=area.name,
            neighborhood=self.neighborhoods.at(long, lat, point),
            police_district=self.police_districts.at(long, lat, point),
            beat=self.beats.at(long, lat, point),
        )


@lru_cache(maxsize=1)
def city_map() -> CityMap:
    return CityMap()
