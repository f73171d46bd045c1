"""The city drawn small, for a map drawn on the device without tiles: its outline and its community
areas, simplified together as one coverage (neighbours keep sharing their edges: no gaps, no
overlaps) and rounded to about 10 m. Built once from the city's own community-area file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from shapely import coverage_simplify, point_on_surface, union_all
from shapely.geometry import MultiPolygon, Polygon, shape

from backend.city import CITY

# Coverage simplification's tolerance (degrees, ~ the side of the triangles it may drop): 0.001
# keeps every area recognisable at phone size and makes the whole city ~40 KB of JSON (~7 KB
# gzipped) instead of the file's 2 MB.
TOLERANCE = 0.001
DIGITS = 4  # 0.0001° ≈ 11 m north-south, 8 m east-west in Chicago: below a phone's pixel

Ring = list[tuple[float, float]]  # (long, lat) pairs, closed (first == last), GeoJSON order
Shape = list[list[Ring]]  # polygons, each an outer ring then its holes: GeoJSON MultiPolygon


@dataclass(frozen=True)
class AreaShape:
    number: int
    name: str
    label: tuple[float, float]  # (long, lat): a point inside it, where its name can go
    shape: Shape


@dataclass(frozen=True)
class CityShapes:
    bounds: tuple[float, float, float, float]  # (west, south, east, north)
    outline: Shape  # the city: the union of its community areas
    areas: list[AreaShape]


def _ring(coords: Any) -> Ring:
    ring: Ring = []
    for x, y in coords:
        point = (round(float(x), DIGITS), round(float(y), DIGITS))
        if not ring or ring[-1] != point:
            ring.append(point)
    return ring


def _shape(geometry: Any) -> Shape:
    polygons: list[Polygon] = (
        list(geometry.geoms) if isinstance(geometry, MultiPolygon) else [geometry]
    )
    out: Shape = []
    for polygon in polygons:
        rings = [_ring(polygon.exterior.coords)] + [_ring(r.coords) for r in polygon.interiors]
        rings = [r for r in rings if len(r) >= 4]  # a ring rounded down to a line is dropped
        if rings:
            out.append(rings)
    return out


def build_city_shapes(path: Path, tolerance: float = TOLERANCE) -> CityShapes:
    features = json.loads(path.read_text())["features"]
    simplified = coverage_simplify([shape(f["geometry"]) for f in features], tolerance)
    outline = union_all(simplified)
    west, south, east, north = (round(float(v), DIGITS) for v in outline.bounds)
    areas = []
    for feature, geometry in zip(features, simplified, strict=True):
        props = feature["properties"]
        label = point_on_surface(geometry)
        areas.append(
            AreaShape(
                number=int(props["area_numbe"]),
                name=str(props["community"]).title(),
                label=(round(label.x, DIGITS), round(label.y, DIGITS)),
                shape=_shape(geometry),
            )
        )
    areas.sort(key=lambda a: a.number)
    return CityShapes(bounds=(west, south, east, north), outline=_shape(outline), areas=areas)


@lru_cache(maxsize=1)
def city_shapes() -> CityShapes:
    """The city's shapes (built on first use, ~0.2 s, then kept)."""
    return build_city_shapes(CITY.files.community_areas)
