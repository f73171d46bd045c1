"""App API v1: the city's shapes for a map drawn on the device (no tile server): the outline and
the community areas, simplified, with an ETag so that a device fetches them once."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Annotated, Any

import msgspec
from litestar import Response, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import HeaderParameter

from backend.channels.openapi_problems import problem_responses
from backend.geo.map_shapes import CityShapes, city_shapes

from .schemas import Api

Shape = list[list[list[tuple[float, float]]]]
# A day fresh, then a revalidation that costs a 304; shapes change only with a new release.
CACHE_CONTROL = "public, max-age=86400"


class MapAreaOut(Api):
    number: int
    name: str
    label: tuple[float, float]  # [long, lat]: a point inside the area, where its name can go
    shape: Shape  # GeoJSON MultiPolygon coordinates: polygons → rings → [long, lat]


class MapAreasOut(Api):
    bounds: tuple[float, float, float, float]  # [west, south, east, north]
    outline: Shape  # the city (the union of its community areas), GeoJSON MultiPolygon coordinates
    areas: list[MapAreaOut]


def map_areas_out(shapes: CityShapes) -> MapAreasOut:
    return MapAreasOut(
        bounds=shapes.bounds,
        outline=shapes.outline,
        areas=[
            MapAreaOut(number=a.number, name=a.name, label=a.label, shape=a.shape)
            for a in shapes.areas
        ],
    )


@lru_cache(maxsize=1)
def _rendered() -> tuple[MapAreasOut, str]:
    out = map_areas_out(city_shapes())
    digest = hashlib.sha256(msgspec.json.encode(out)).hexdigest()[:20]
    return out, f'"{digest}"'


def _matches(if_none_match: str, etag: str) -> bool:
    tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return etag in tags or "*" in tags


@get(
    "/map/areas",
    summary="The city's outline and community areas, simplified, for drawing a map offline",
    description="Coordinates are [long, lat] (WGS 84), rounded to 4 decimals (~10 m), shapes "
    "as GeoJSON MultiPolygon coordinates; neighbouring areas share their edges exactly. The "
    "answer carries an ETag: send it back in If-None-Match to get 304 Not Modified.",
    responses={
        304: ResponseSpec(None, description="Not modified: the shapes the ETag names are current"),
        **problem_responses(422),
    },
)
async def map_areas(
    if_none_match: Annotated[
        str | None,
        HeaderParameter(
            name="If-None-Match", max_length=1000, description="The ETag of shapes already held"
        ),
    ] = None,
) -> Response[MapAreasOut]:
    out, etag = _rendered()
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if if_none_match and _matches(if_none_match, etag):
        not_modified: Response[Any] = Response(None, status_code=304, headers=headers)
        return not_modified
    return Response(out, headers=headers)


ROUTES = [map_areas]
