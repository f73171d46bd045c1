"""GET /api/v1/map/areas: the city's outline and community areas for a map drawn on the device —
small, faithful to the city's own file, and cached by ETag."""

from __future__ import annotations

import json

from shapely import unary_union
from shapely.geometry import MultiPolygon, Point, Polygon, shape

from backend.city import CITY
from backend.geo.map_shapes import city_shapes
from tests.factories import EVANSTON, WICKER_PARK


def _multipolygon(coordinates) -> MultiPolygon:
    return MultiPolygon([Polygon(rings[0], rings[1:]) for rings in coordinates])


async def test_the_map_has_the_outline_and_all_77_community_areas(client):
    response = await client.get("/api/v1/map/areas")
    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body["areas"]) == 77
    assert [a["number"] for a in body["areas"]] == list(range(1, 78))
    west, south, east, north = body["bounds"]
    assert -87.95 < west < east < -87.52 and 41.64 < south < north < 42.03
    by_name = {a["name"]: a for a in body["areas"]}
    west_town = _multipolygon(by_name["West Town"]["shape"])
    assert west_town.covers(Point(WICKER_PARK[1], WICKER_PARK[0]))
    assert west_town.covers(Point(*by_name["West Town"]["label"]))
    outline = _multipolygon(body["outline"])
    assert outline.covers(Point(WICKER_PARK[1], WICKER_PARK[0]))
    assert not outline.covers(Point(EVANSTON[1], EVANSTON[0]))


async def test_the_shapes_are_small_and_still_the_citys(client):
    response = await client.get("/api/v1/map/areas")
    assert len(response.content) < 60_000  # the file is 2 MB
    body = response.json()
    original = {
        int(f["properties"]["area_numbe"]): shape(f["geometry"])
        for f in json.loads(CITY.files.community_areas.read_text())["features"]
    }
    drawn = {a["number"]: _multipolygon(a["shape"]) for a in body["areas"]}
    for number, area in drawn.items():
        assert area.is_valid, number
        # within 3% of the city's area, and mostly the same ground
        assert abs(area.area - original[number].area) < 0.03 * original[number].area, number
        assert area.intersection(original[number]).area > 0.95 * original[number].area, number
    # neighbours share their edges: no overlaps, no gaps, the outline is their union
    total = sum(a.area for a in drawn.values())
    union = unary_union(list(drawn.values()))
    outline = _multipolygon(body["outline"])
    assert abs(union.area - total) < 1e-4 * total
    assert outline.symmetric_difference(union).area < 1e-4 * total


async def test_an_etag_makes_the_second_fetch_a_304(client):
    first = await client.get("/api/v1/map/areas")
    etag = first.headers["etag"]
    assert etag.startswith('"') and "max-age" in first.headers["cache-control"]
    again = await client.get("/api/v1/map/areas", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    weak = await client.get("/api/v1/map/areas", headers={"If-None-Match": f'"x", W/{etag}'})
    assert weak.status_code == 304
    other = await client.get("/api/v1/map/areas", headers={"If-None-Match": '"stale"'})
    assert other.status_code == 200 and other.json()["areas"]
    # an If-None-Match past 1,000 characters is a documented 422 naming the header
    huge = await client.get("/api/v1/map/areas", headers={"If-None-Match": "0" * 1001})
    assert huge.status_code == 422 and huge.json()["errors"][0]["field"] == "If-None-Match"
    document = (await client.get("/schema/openapi.json")).json()
    assert "422" in document["paths"]["/api/v1/map/areas"]["get"]["responses"]


def test_the_shapes_are_built_once():
    assert city_shapes() is city_shapes()
