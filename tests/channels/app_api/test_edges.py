"""Malformed input anywhere in the app API gets a 4xx problem document, never a 500."""

from __future__ import annotations

import pytest

from backend.service_requests.tables import ServiceRequest


@pytest.mark.parametrize(
    "body,content_type,status",
    [
        (b"{nope", "application/json", 400),
        (b'{"platform": "toaster"}', "application/json", 422),
        (b'["ios"]', "application/json", 422),
        (b"platform=ios", "text/plain", 415),
    ],
)
async def test_bad_device_registration(client, body, content_type, status):
    response = await client.post(
        "/api/v1/devices", content=body, headers={"content-type": content_type}
    )
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_json_body_over_a_megabyte_is_413(client):
    big = b'{"serviceCode": "PHF", "description": "' + b"x" * (1024 * 1024) + b'"}'
    response = await client.post(
        "/api/v1/devices", content=big, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_submit_body_over_the_photo_budget_is_413_and_saves_nothing(client):
    huge = b"x" * (5 * 10 * 1024 * 1024 + 300 * 1024)
    files = [
        ("request", (None, '{"serviceCode": "PHF"}', "application/json")),
        ("photo", ("a.jpg", huge, "image/jpeg")),
    ]
    response = await client.post("/api/v1/requests", files=files)
    assert response.status_code == 413
    assert await ServiceRequest.count() == 0


async def test_multipart_without_boundary(client):
    response = await client.post(
        "/api/v1/requests", content=b"--x--", headers={"content-type": "multipart/form-data"}
    )
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    "answers",
    [
        {"LOCATION": ["curb_lane", "bike_lane"]},
        {"LOCATION": 7},
        {"LOCATION": None},
        "curb_lane",
    ],
)
async def test_answers_of_the_wrong_shape(client, answers):
    payload = {"serviceCode": "PHF", "lat": 41.9097, "long": -87.6776, "answers": answers}
    response = await client.post("/api/v1/requests", json=payload)
    assert response.status_code in (400, 422), response.text
    assert response.json()["errors"][0]["field"].startswith("answers")


async def test_long_tracking_number_in_path(client):
    response = await client.get("/api/v1/requests/" + "9" * 5000)
    assert response.status_code == 404


async def test_photo_urls_refuse_traversal(client):
    for path in (
        "/api/v1/photos/..%2F..%2Fsecret_key",
        "/api/v1/photos/ABC",
        "/api/v1/photos/" + "0" * 32,
        "/api/v1/photos/" + "0" * 32 + "/thumbnail",
    ):
        response = await client.get(path)
        assert response.status_code == 404, path
