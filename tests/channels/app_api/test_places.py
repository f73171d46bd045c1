"""GET /api/v1/places/lookup, and the areas every request now carries."""

from __future__ import annotations

import pytest

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


async def test_lookup_by_address_or_cross_streets(client):
    response = await client.get("/api/v1/places/lookup", params={"address": "4500 N Kedzie"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["address"] == "4500 N Kedzie Ave" and body["communityArea"] == "Albany Park"
    assert body["policeDistrict"]["name"] == "Albany Park" and body["ward"]["number"] == 33
    ambiguous = await client.get("/api/v1/places/lookup", params={"address": "4500 Kedzie"})
    assert ambiguous.status_code == 422
    assert ambiguous.json()["errors"][0]["field"] == "address"
    nothing = await client.get("/api/v1/places/lookup")
    assert nothing.status_code == 422


@pytest.mark.slow
def test_the_geo_lookup_command(tmp_path):
    import json
    import subprocess
    import sys

    command = [sys.executable, "-m", "backend.cli", "geo", "lookup"]
    one = subprocess.run(
        command + ["--address", "Damen and Division"], capture_output=True, text=True, timeout=60
    )
    assert one.returncode == 0, one.stderr
    assert json.loads(one.stdout)["address"] == "N Damen Ave & W Division St"
    point = subprocess.run(
        command + ["--lat", "41.9097", "--long", "-87.6776"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert json.loads(point.stdout)["address"].startswith("near ")
    bulk = subprocess.run(
        command + ["--stdin"],
        input="4500 N Kedzie\n4500 Kedzie\n\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = [json.loads(line) for line in bulk.stdout.splitlines()]
    assert len(lines) == 2 and lines[0]["ward"]["number"] == 33 and "error" in lines[1]
