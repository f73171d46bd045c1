"""GET /api/v1/places/lookup, and the areas every request now carries."""

from __future__ import annotations

from tests.factories import EVANSTON, WICKER_PARK


async def test_lookup_gives_ward_alderman_district_station_and_beat(client):
    response = await client.get(
        "/api/v1/places/lookup", params={"lat": WICKER_PARK[0], "long": WICKER_PARK[1]}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ward"]["number"] == 1 and body["ward"]["officePhone"]
    assert body["communityArea"] == "West Town" and body["neighborhood"] == "Wicker Park"
    assert body["policeDistrict"]["number"] == 14
    assert body["policeDistrict"]["stationAddress"].startswith("2150 N California")
    assert body["policeBeat"] == "1424"


async def test_lookup_outside_the_city_or_without_a_point_is_422(client):
    outside = await client.get(
        "/api/v1/places/lookup", params={"lat": EVANSTON[0], "long": EVANSTON[1]}
    )
    assert outside.status_code == 422
    assert outside.json()["type"] == "urn:city311:problem:outside-city"
    for params in ({"lat": 41.9}, {"lat": "north", "long": -87.6}, {"lat": 91, "long": -87.6}):
        response = await client.get("/api/v1/places/lookup", params=params)
        assert response.status_code == 422, (params, response.text)


async def test_a_request_knows_its_ward_district_and_beat(client):
    payload = {
        "serviceCode": "PHF",
        "lat": WICKER_PARK[0],
        "long": WICKER_PARK[1],
        "answers": {"LOCATION": "curb_lane"},
    }
    created = (await client.post("/api/v1/requests", json=payload)).json()
    shown = (await client.get(f"/api/v1/requests/{created['trackingNumber']}")).json()
    for body in (created, shown):
        assert (body["ward"], body["policeDistrict"], body["policeBeat"]) == (1, 14, "1424")
        assert body["communityArea"] == "West Town"
