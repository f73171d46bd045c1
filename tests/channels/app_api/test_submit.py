"""POST /api/v1/requests: what a resident's app can send, and every way it can be refused."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3

import asyncpg
import pytest
from PIL import Image

from backend.service_requests.tables import Photo, RequestEvent, ServiceRequest
from tests.factories import EVANSTON, WICKER_PARK, photo_bytes

POTHOLE = {
    "serviceCode": "PHF",
    "lat": WICKER_PARK[0],
    "long": WICKER_PARK[1],
    "description": "Deep pothole in the curb lane",
    "answers": {"LOCATION": "curb_lane"},
}


async def _counts() -> tuple[int, int, int]:
    return (await ServiceRequest.count(), await RequestEvent.count(), await Photo.count())


def _multipart(payload: dict, *photos: bytes, name: str = "photo"):
    files: list[tuple[str, tuple[str | None, str | bytes, str]]] = [
        ("request", (None, json.dumps(payload), "application/json"))
    ]
    files += [
        (name, (f"p{i}.bin", data, "application/octet-stream")) for i, data in enumerate(photos)
    ]
    return files


def _media_files(settings) -> list[str]:
    root = settings.media_dir
    return [f for _, _, files in os.walk(root) for f in files] if root.exists() else []


async def test_submit_json_returns_tracking_number_and_links(client):
    response = await client.post("/api/v1/requests", json=POTHOLE)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["trackingNumber"].startswith("SR") and len(body["trackingNumber"]) == 13
    assert body["status"] == "submitted" and body["statusGroup"] == "open"
    assert body["serviceName"] == "Pothole in Street Complaint"
    assert body["communityArea"] == "West Town"
    assert (
        body["links"]["self"] == f"http://testserver.local/api/v1/requests/{body['trackingNumber']}"
    )
    assert response.headers["location"] == body["links"]["self"]
    assert body["createdAt"].endswith(("-06:00", "-05:00"))  # shown in Chicago time


async def test_tracking_numbers_follow_the_year_sequence(client):
    numbers = [
        (await client.post("/api/v1/requests", json=POTHOLE)).json()["trackingNumber"]
        for _ in range(3)
    ]
    sequences = [int(n.split("-")[1]) for n in numbers]
    assert sequences == [1, 2, 3]


async def test_concurrent_submits_never_share_a_tracking_number(services):
    from backend.service_requests.models import SubmitCommand

    async def one():
        cmd = SubmitCommand(
            service_code="PHF",
            channel="app",
            lat=WICKER_PARK[0],
            long=WICKER_PARK[1],
            answers={"LOCATION": "curb_lane"},
        )
        return (await services.requests.submit(cmd)).request.tracking_number

    numbers = await asyncio.gather(*[one() for _ in range(25)])
    assert len(set(numbers)) == 25


async def test_multipart_with_photos_stores_clean_jpegs(client, settings):
    photo = photo_bytes(WICKER_PARK)
    png = photo_bytes(fmt="PNG", name=None)
    response = await client.post("/api/v1/requests", files=_multipart(POTHOLE, photo, png))
    assert response.status_code == 201, response.text
    photos = response.json()["photos"]
    assert len(photos) == 2
    for item in photos:
        for url in (item["url"], item["thumbnailUrl"]):
            got = await client.get(url.removeprefix("http://testserver.local"))
            assert got.status_code == 200 and got.headers["content-type"] == "image/jpeg"
            import io

            image = Image.open(io.BytesIO(got.content))
            assert image.format == "JPEG" and not image.getexif()


async def test_photo_gps_locates_the_request_when_no_lat_long(client):
    payload = {k: v for k, v in POTHOLE.items() if k not in ("lat", "long")}
    response = await client.post(
        "/api/v1/requests", files=_multipart(payload, photo_bytes(WICKER_PARK))
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert (round(body["lat"], 4), round(body["long"], 4)) == WICKER_PARK


async def test_idempotency_key_replays_the_same_request(client):
    headers = {"Idempotency-Key": "7f1c2b7e-retry-1"}
    first = await client.post("/api/v1/requests", json=POTHOLE, headers=headers)
    second = await client.post("/api/v1/requests", json=POTHOLE, headers=headers)
    assert first.status_code == 201 and second.status_code == 200
    assert second.headers["idempotent-replayed"] == "true"
    assert first.json()["trackingNumber"] == second.json()["trackingNumber"]
    assert await ServiceRequest.count() == 1


async def test_concurrent_retries_with_one_key_make_one_request(client, settings):
    headers = {"Idempotency-Key": "same-key-racing"}
    responses = await asyncio.gather(
        *[
            client.post(
                "/api/v1/requests", files=_multipart(POTHOLE, photo_bytes()), headers=headers
            )
            for _ in range(4)
        ]
    )
    assert sorted(r.status_code for r in responses) == [200, 200, 200, 201]
    assert len({r.json()["trackingNumber"] for r in responses}) == 1
    assert await ServiceRequest.count() == 1 and await Photo.count() == 1
    assert len(_media_files(settings)) == 2  # one photo + its thumbnail, no orphans


async def test_idempotency_key_reused_for_another_request_is_refused(client):
    headers = {"Idempotency-Key": "reused"}
    await client.post("/api/v1/requests", json=POTHOLE, headers=headers)
    other = {**POTHOLE, "description": "something else"}
    response = await client.post("/api/v1/requests", json=other, headers=headers)
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"


def _problem(response, status: int, field: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    assert field in [e["field"] for e in body["errors"]], body
    return body


BAD_JSON = [
    ({**POTHOLE, "serviceCode": "NOPE"}, 422, "serviceCode"),
    ({**POTHOLE, "lat": "north"}, 422, "lat"),
    ({**POTHOLE, "lat": 91}, 422, "lat"),
    ({**POTHOLE, "lat": EVANSTON[0], "long": EVANSTON[1]}, 422, "lat"),
    ({k: v for k, v in POTHOLE.items() if k != "long"}, 422, "long"),
    ({k: v for k, v in POTHOLE.items() if k not in ("lat", "long")}, 422, "lat"),
    ({**POTHOLE, "answers": {}}, 422, "answers.LOCATION"),
    ({**POTHOLE, "answers": {"LOCATION": "on the moon"}}, 422, "answers.LOCATION"),
    ({**POTHOLE, "answers": {"LOCATION": "curb_lane", "COLOUR": "red"}}, 422, "answers.COLOUR"),
    ({**POTHOLE, "description": "x" * 4001}, 422, "description"),
    ({**POTHOLE, "email": "not-an-email"}, 422, "email"),
    ({**POTHOLE, "surprise": 1}, 422, "surprise"),
    ({k: v for k, v in POTHOLE.items() if k != "serviceCode"}, 422, "serviceCode"),
]


@pytest.mark.parametrize("payload,status,field", BAD_JSON)
async def test_bad_json_is_refused_field_by_field_and_saves_nothing(client, payload, status, field):
    _problem(await client.post("/api/v1/requests", json=payload), status, field)
    assert await _counts() == (0, 0, 0)


async def test_out_of_city_message_is_clear(client):
    body = _problem(
        await client.post(
            "/api/v1/requests", json={**POTHOLE, "lat": EVANSTON[0], "long": EVANSTON[1]}
        ),
        422,
        "lat",
    )
    assert "outside the City of Chicago" in body["errors"][0]["message"]


async def test_not_json_at_all(client):
    response = await client.post(
        "/api/v1/requests", content=b"{not json", headers={"content-type": "application/json"}
    )
    _problem(response, 400, "body")
    response = await client.post(
        "/api/v1/requests", content=b"serviceCode=PHF", headers={"content-type": "text/plain"}
    )
    _problem(response, 415, "Content-Type")


BAD_PHOTOS = [
    (lambda: photo_bytes(fmt="GIF", name=None), 415, "photos[1]"),
    (lambda: b"\xff\xd8\xff\xe0 truncated jpeg", 422, "photos[1]"),
    (lambda: b"%PDF-1.4 not a photo", 415, "photos[1]"),
    (lambda: b"\x00" * (10 * 1024 * 1024 + 1), 413, "photos[1]"),
]


@pytest.mark.parametrize("make,status,field", BAD_PHOTOS)
async def test_bad_photo_refuses_the_whole_submit_and_leaves_no_file(
    client, settings, make, status, field
):
    response = await client.post(
        "/api/v1/requests", files=_multipart(POTHOLE, photo_bytes(), make())
    )
    _problem(response, status, field)
    assert await _counts() == (0, 0, 0)
    assert _media_files(settings) == []


async def test_gif_disguised_with_jpg_name_is_judged_by_content(client):
    gif = photo_bytes(fmt="GIF", name=None)
    files = [
        ("request", (None, json.dumps(POTHOLE), "application/json")),
        ("photo", ("holiday.jpg", gif, "image/jpeg")),
    ]
    _problem(await client.post("/api/v1/requests", files=files), 415, "photos[0]")


async def test_more_than_five_photos(client):
    photos = [photo_bytes() for _ in range(6)]
    _problem(
        await client.post("/api/v1/requests", files=_multipart(POTHOLE, *photos)), 400, "photos"
    )


async def test_multipart_without_request_part(client):
    files = [("photo", ("a.jpg", photo_bytes(), "image/jpeg"))]
    _problem(await client.post("/api/v1/requests", files=files), 400, "request")


async def test_photo_out_of_city_gps_is_refused(client):
    payload = {k: v for k, v in POTHOLE.items() if k not in ("lat", "long")}
    response = await client.post(
        "/api/v1/requests", files=_multipart(payload, photo_bytes(EVANSTON))
    )
    _problem(response, 422, "photos")
    assert await _counts() == (0, 0, 0)


async def test_failed_insert_leaves_no_row_and_no_file(services, settings):
    """A database failure after the photo files are written must take the files away too."""
    from backend.service_requests.models import SubmitCommand

    cmd = SubmitCommand(
        service_code="PHF",
        channel="app",
        lat=WICKER_PARK[0],
        long=WICKER_PARK[1],
        answers={"LOCATION": "curb_lane"},
        photos=[photo_bytes()],
        device_id=999_999,
    )  # no such device: FK fails
    with pytest.raises((sqlite3.IntegrityError, asyncpg.exceptions.ForeignKeyViolationError)):
        await services.requests.submit(cmd)
    assert await _counts() == (0, 0, 0)
    assert _media_files(settings) == []
