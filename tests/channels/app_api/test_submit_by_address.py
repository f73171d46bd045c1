"""A request located by a typed address (geocoded offline), and a point given the nearest address."""

from __future__ import annotations

from backend.service_requests.tables import ServiceRequest
from tests.factories import WICKER_PARK, photo_bytes

GRAFFITI = {
    "serviceCode": "GRAF",
    "answers": {"SURFACE": "brick_painted", "LOCATION": "front", "OFFENSIVE": "no"},
}


async def test_an_address_alone_locates_the_request(client):
    response = await client.post(
        "/api/v1/requests", json={**GRAFFITI, "address": "1845 w cortland"}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["address"] == "1845 W Cortland St"
    assert abs(body["lat"] - 41.916) < 0.002 and abs(body["long"] + 87.6744) < 0.002
    assert isinstance(body["ward"], int) and body["policeBeat"]


async def test_an_intersection_alone_locates_the_request(client):
    response = await client.post(
        "/api/v1/requests", json={**GRAFFITI, "address": "Damen and Division"}
    )
    assert response.status_code == 201, response.text
    assert response.json()["address"] == "N Damen Ave & W Division St"


async def test_an_ambiguous_address_is_422_with_the_candidates(client):
    response = await client.post("/api/v1/requests", json={**GRAFFITI, "address": "4500 Kedzie"})
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert all(e["field"] == "address" for e in errors)
    suggestions = " ".join(e["message"] for e in errors)
    assert "4500 N Kedzie Ave" in suggestions and "4500 S Kedzie Ave" in suggestions
    assert await ServiceRequest.count() == 0


async def test_an_unknown_or_out_of_range_address_is_422(client):
    for address in ("99999 N State St", "123 Nowhere Imaginary Blvd"):
        response = await client.post("/api/v1/requests", json={**GRAFFITI, "address": address})
        assert response.status_code == 422, (address, response.text)
        assert response.json()["errors"][0]["field"] == "address"


async def test_a_point_alone_gets_the_nearest_address(client):
    response = await client.post(
        "/api/v1/requests", json={**GRAFFITI, "lat": WICKER_PARK[0], "long": WICKER_PARK[1]}
    )
    assert response.status_code == 201
    assert response.json()["address"].startswith("near ")
    files = [
        (
            "request",
            (
                None,
                '{"serviceCode": "GRAF", "answers": {"SURFACE": '
                '"brick_painted", "LOCATION": "front", "OFFENSIVE": "no"}}',
                "application/json",
            ),
        ),
        ("photo", ("p.jpg", photo_bytes(gps=WICKER_PARK), "image/jpeg")),
    ]
    located = await client.post("/api/v1/requests", files=files)
    assert located.status_code == 201, located.text
    assert located.json()["address"].startswith("near ")
    assert "Damen" in located.json()["address"]
