"""GET /api/v1/places/search: the places a typed location may be, for the resident to pick one,
and a picked place submitted as the request's point and address."""

from __future__ import annotations

import pytest

from backend.geo.city import city_map
from backend.geo.geocoder import geocoder
from backend.geo.landmarks import Gazetteer, Landmark
from backend.service_requests.location import Locator
from backend.service_requests.place_search import search_places
from tests.factories import EVANSTON


async def search(client, q: str) -> dict:
    response = await client.get("/api/v1/places/search", params={"q": q})
    assert response.status_code == 200, response.text
    return response.json()


async def test_cross_streets_are_one_place(client):
    body = await search(client, "Damen and Division")
    [place] = body["places"]
    assert place["label"] == "N Damen Ave & W Division St"
    assert place["kind"] == "intersection" and place["confidence"] == 1.0
    assert 41.90 < place["lat"] < 41.91 and -87.68 < place["long"] < -87.67
    assert body["reason"] == "" and body["query"] == "Damen and Division"


async def test_an_ambiguous_address_offers_each_place_and_says_why(client):
    body = await search(client, "100 Kedzie")
    labels = [p["label"] for p in body["places"]]
    assert sorted(labels) == ["100 N Kedzie Ave", "100 S Kedzie Ave"]
    assert "direction" in body["reason"]


async def test_a_landmark_by_its_everyday_name(client):
    body = await search(client, "the bean")
    [place] = body["places"]
    assert place["kind"] == "landmark" and "Cloud Gate" in place["label"]
    assert place["address"].startswith("near ")


async def test_nothing_found_is_an_empty_list_with_the_reason(client):
    body = await search(client, "Kedzie")
    assert body["places"] == [] and "cross street" in body["reason"]


@pytest.mark.parametrize("q", ["", "a" * 301, "Damen\nDivision"])
async def test_a_query_that_breaks_a_rule_is_422(client, q):
    response = await client.get("/api/v1/places/search", params={"q": q})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "q"


async def test_a_picked_place_is_the_requests_point_and_address(client):
    [place] = (await search(client, "Damen and Division"))["places"]
    response = await client.post(
        "/api/v1/requests",
        json={
            "serviceCode": "PHF",
            "lat": place["lat"],
            "long": place["long"],
            "address": place["label"],
            "answers": {"LOCATION": "curb_lane"},
        },
    )
    assert response.status_code == 201, response.text
    out = response.json()
    assert out["address"] == "N Damen Ave & W Division St"
    assert (out["lat"], out["long"]) == (pytest.approx(place["lat"]), pytest.approx(place["long"]))


def test_places_outside_the_city_are_left_out():
    outside = Landmark("park", "Evanston Beach", EVANSTON[0], EVANSTON[1])
    gazetteer = Gazetteer([(outside, ["evanston beach"])])
    found = search_places(Locator(city_map(), geocoder()), "evanston beach", gazetteer)
    assert found.places == [] and "outside" in found.reason
