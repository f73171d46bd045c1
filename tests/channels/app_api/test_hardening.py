"""Issue 5 reproducers: inputs that once reached a 500 (or were stored silently) now get a 4xx problem."""

from __future__ import annotations

import pytest

from backend.service_requests.tables import ServiceRequest
from tests.factories import WICKER_PARK

POTHOLE = {
    "serviceCode": "PHF",
    "lat": WICKER_PARK[0],
    "long": WICKER_PARK[1],
    "answers": {"LOCATION": "curb_lane"},
}
PROBLEM = "application/problem+json"


def _is_problem(response, status: int, slug: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status
    if slug:
        assert body["type"] == f"urn:city311:problem:{slug}", body
    return body


async def _token(client) -> str:
    return (await client.post("/api/v1/devices", json={"platform": "ios"})).json()["token"]


@pytest.mark.parametrize("path", ["/api/v1/requests", "/api/v1/devices"])
async def test_json_body_that_is_not_utf8_is_malformed(client, path):
    response = await client.post(
        path, content=b'{"serviceCode": "\xff\xfe"}', headers={"content-type": "application/json"}
    )
    _is_problem(response, 400, "malformed-request")
    assert await ServiceRequest.count() == 0


@pytest.mark.parametrize("cursor", ["99999999999999999999999999", "\u00b2", "-1", "0x10", " 1"])
async def test_bad_cursor_is_a_field_error(client, cursor):
    token = await _token(client)
    for path in ("/api/v1/requests", "/api/v1/me/requests", "/api/v1/me/following"):
        response = await client.get(
            path, params={"cursor": cursor}, headers={"Authorization": f"Bearer {token}"}
        )
        body = _is_problem(response, 422, "invalid-input")
        assert body["errors"][0]["field"] == "cursor"


async def test_photo_id_followed_by_a_newline_is_404(client):
    for path in (
        "/api/v1/photos/" + "0" * 32 + "%0A",
        "/api/v1/photos/" + "0" * 32 + "%0A/thumbnail",
    ):
        _is_problem(await client.get(path), 404, "not-found")


@pytest.mark.parametrize(
    "field,value",
    [
        ("name", "N" * 121),
        ("phone", "3" * 33),
        ("email", "a" * 100_000 + "@example.com"),
        ("description", "hole\x00in the road"),
        ("address", "1600 N Milwaukee\x00"),
        ("address", "A" * 301),
        ("description", "D" * 4001),
        ("name", "Ann\x07"),
        ("serviceCode", "P" * 200),
        # what XML 1.0 cannot carry, and every text may reach the Open311 XML
        ("description", "hole\ufffein the road"),
        ("description", "hole\uffff"),
        ("address", "1600 N Milwaukee\ufffe"),
        ("name", "Ann\uffff"),
    ],
)
async def test_oversize_or_control_characters_are_422_naming_the_field(client, field, value):
    response = await client.post("/api/v1/requests", json={**POTHOLE, field: value})
    body = _is_problem(response, 422, "invalid-input")
    assert field in [e["field"] for e in body["errors"]], body
    assert await ServiceRequest.count() == 0


@pytest.mark.parametrize("answer", ["LP\x00123", "line\nbreak", "bell\x07", "LP\ufffe1", "\uffff"])
async def test_control_characters_in_a_one_line_answer_are_422(client, answer):
    payload = {
        "serviceCode": "SFA",
        "lat": WICKER_PARK[0],
        "long": WICKER_PARK[1],
        "answers": {"POLE_NUMBER": answer},
    }
    body = _is_problem(await client.post("/api/v1/requests", json=payload), 422, "invalid-input")
    assert body["errors"][0]["field"] == "answers.POLE_NUMBER"
    assert await ServiceRequest.count() == 0


async def test_description_keeps_its_newlines(client):
    response = await client.post(
        "/api/v1/requests", json={**POTHOLE, "description": "Line one\nLine two\r\n\tend"}
    )
    assert response.status_code == 201, response.text
    assert response.json()["description"] == "Line one\nLine two\r\n\tend"


@pytest.mark.parametrize(
    "phone,stored",
    [
        ("(312) 744-5000", "+13127445000"),
        ("312.744.5000", "+13127445000"),
        ("+1 312 744 5000", "+13127445000"),
    ],
)
async def test_phone_numbers_are_stored_in_e164(client, phone, stored):
    response = await client.post("/api/v1/requests", json={**POTHOLE, "phone": phone})
    assert response.status_code == 201, response.text
    assert "phone" not in response.text.lower().replace("photos", "")
    row = await ServiceRequest.select(ServiceRequest.reporter_phone).first()
    assert row["reporter_phone"] == stored


@pytest.mark.parametrize("phone", ["12", "call me", "+1 555 0100 000 000"])
async def test_a_phone_number_that_is_not_one_is_422(client, phone):
    response = await client.post("/api/v1/requests", json={**POTHOLE, "phone": phone})
    body = _is_problem(response, 422, "invalid-input")
    assert body["errors"][0]["field"] == "phone"


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "a b@example.com", "x@-example.com"])
async def test_an_email_that_is_not_one_is_422(client, email):
    response = await client.post("/api/v1/requests", json={**POTHOLE, "email": email})
    body = _is_problem(response, 422, "invalid-input")
    assert body["errors"][0]["field"] == "email"


async def test_follow_allows_post_and_delete(client):
    created = (await client.post("/api/v1/requests", json=POTHOLE)).json()
    response = await client.options(f"/api/v1/requests/{created['trackingNumber']}/follow")
    allowed = {m.strip() for m in response.headers["allow"].split(",")}
    assert {"POST", "DELETE", "OPTIONS"} <= allowed
    listing = await client.options("/api/v1/requests")
    assert {"GET", "POST", "OPTIONS"} <= {m.strip() for m in listing.headers["allow"].split(",")}


@pytest.mark.parametrize(
    "body,content_type",
    [
        (b"{nope", "application/json"),
        (b'["ios"]', "application/json"),
        (b'{"platform": "toaster"}', "application/json"),
    ],
)
async def test_malformed_bodies_share_one_problem_type(client, body, content_type):
    for path in ("/api/v1/devices", "/api/v1/requests"):
        response = await client.post(path, content=body, headers={"content-type": content_type})
        assert response.status_code in (400, 422), response.text
        kind = response.json()["type"]
        assert kind in (
            "urn:city311:problem:malformed-request",
            "urn:city311:problem:invalid-input",
        ), kind


async def test_a_bad_json_body_is_400_malformed_request(client):
    for path in ("/api/v1/devices", "/api/v1/requests"):
        response = await client.post(
            path, content=b"{nope", headers={"content-type": "application/json"}
        )
        _is_problem(response, 400, "malformed-request")


async def test_device_registration_without_a_body_works(client):
    response = await client.post("/api/v1/devices")
    assert response.status_code == 201, response.text
    assert response.json()["token"]


async def test_a_malformed_tracking_number_shows_the_expected_form(client):
    body = _is_problem(await client.get("/api/v1/requests/not-a-number"), 404, "not-found")
    assert "SR26-00012345" in body["detail"]
    assert body["errors"][0]["field"] == "trackingNumber"


async def test_an_unknown_route_is_a_404_problem(client):
    _is_problem(await client.get("/api/v1/nowhere"), 404, "not-found")


async def test_a_wrong_method_is_a_405_problem(client):
    body = _is_problem(await client.put("/api/v1/services"), 405, "method-not-allowed")
    assert body["title"]


async def test_a_query_parameter_of_the_wrong_type_names_it(client):
    body = _is_problem(
        await client.get("/api/v1/requests", params={"radius": "far"}), 422, "invalid-input"
    )
    assert body["errors"][0]["field"] == "radius"


async def test_a_query_parameter_out_of_range_is_422(client):
    body = _is_problem(
        await client.get("/api/v1/requests", params={"limit": "1000"}), 422, "invalid-input"
    )
    assert body["errors"][0]["field"] == "limit"


async def test_a_405_says_which_methods_are_allowed(client):
    response = await client.put("/api/v1/requests")
    _is_problem(response, 405, "method-not-allowed")
    assert {"GET", "POST"} <= {m.strip() for m in response.headers["allow"].split(",")}


async def test_long_path_values_are_not_echoed_whole(client):
    for path in ("/api/v1/services/" + "X" * 5000, "/api/v1/requests/" + "Y" * 5000):
        response = await client.get(path)
        body = response.json()
        assert response.status_code == 404 and len(body["detail"]) < 200
        assert len(body["errors"][0]["message"]) < 200


async def test_a_decompression_bomb_photo_is_413_and_saves_nothing(client, settings):
    import io
    import json
    import os

    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (7000, 7000)).save(out, format="PNG")  # 49 MP in ~140 KB
    files = [
        ("request", (None, json.dumps(POTHOLE), "application/json")),
        ("photo", ("flat.png", out.getvalue(), "image/png")),
    ]
    body = _is_problem(await client.post("/api/v1/requests", files=files), 413, "payload-too-large")
    assert body["errors"][0]["field"] == "photos[0]"
    assert await ServiceRequest.count() == 0
    media = settings.media_dir
    assert not media.exists() or not [f for _, _, fs in os.walk(media) for f in fs]


async def test_a_cursor_beyond_any_id_is_the_first_page(client):
    created = await client.post("/api/v1/requests", json=POTHOLE)
    token = await _token(client)
    response = await client.get("/api/v1/requests", params={"cursor": "526000897652511682"})
    assert response.status_code == 200, response.text
    assert [r["trackingNumber"] for r in response.json()["items"]] == [
        created.json()["trackingNumber"]
    ]
    for path in ("/api/v1/me/requests", "/api/v1/me/following"):
        page = await client.get(
            path,
            params={"cursor": "954521783677528950"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert page.status_code == 200, page.text


async def test_unknown_multipart_parts_are_refused(client):
    import json

    files = [
        ("request", (None, json.dumps(POTHOLE), "application/json")),
        ("lat", (None, "41.95")),
        ("answers", (None, '{"LOCATION": false}')),
    ]
    body = _is_problem(await client.post("/api/v1/requests", files=files), 422, "invalid-input")
    assert {e["field"] for e in body["errors"]} == {"answers", "lat"}
    assert await ServiceRequest.count() == 0


async def test_a_body_of_whitespace_is_not_an_empty_device_registration(client):
    # Only no body at all registers with the defaults (the fuzzer took " " for invalid JSON).
    for body in (b"\x0b", b"\x0c", b" ", b"\r\n"):
        response = await client.post(
            "/api/v1/devices", content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 400, response.text
