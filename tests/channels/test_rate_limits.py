"""Abuse limits: device registration, submits and follows are rate limited per client, with 429
problems and Retry-After; the counters live in memory or, with REDIS_URL, in Redis."""

from __future__ import annotations

import httpx
import msgspec
import pytest

from backend.app import attach_services, create_app
from backend.settings import parse_rate_limits
from tests.factories import WICKER_PARK

POTHOLE = {
    "serviceCode": "PHF",
    "lat": WICKER_PARK[0],
    "long": WICKER_PARK[1],
    "answers": {"LOCATION": "curb_lane"},
}
REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(params=["memory", "redis"])
async def limited(request, services, settings):
    redis_url = REDIS_URL if request.param == "redis" else None
    limited_settings = msgspec.structs.replace(
        settings,
        redis_url=redis_url,
        rate_limits=parse_rate_limits("devices=2/hour,submits=2/minute,follows=3/hour"),
    )
    app = create_app(limited_settings, scheduler=False)
    attach_services(app, services)
    store = app.stores.get("rate_limit")
    await store.delete_all()  # counters left by an earlier run in Redis
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as c:
        yield c
    await store.delete_all()


def _is_rate_limited(response) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"] == "urn:city311:problem:rate-limited"
    assert int(response.headers["retry-after"]) > 0


async def test_device_registration_is_limited(limited):
    for _ in range(2):
        assert (await limited.post("/api/v1/devices")).status_code == 201
    _is_rate_limited(await limited.post("/api/v1/devices"))


async def test_submits_are_limited_and_a_refused_one_saves_nothing(limited):
    from backend.service_requests.tables import ServiceRequest

    for _ in range(2):
        assert (await limited.post("/api/v1/requests", json=POTHOLE)).status_code == 201
    _is_rate_limited(await limited.post("/api/v1/requests", json=POTHOLE))
    assert await ServiceRequest.count() == 2
    # Reading is never limited.
    for _ in range(5):
        assert (await limited.get("/api/v1/requests")).status_code == 200


async def test_follow_and_unfollow_share_a_limit(limited):
    token = (await limited.post("/api/v1/devices")).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    tn = (await limited.post("/api/v1/requests", json=POTHOLE)).json()["trackingNumber"]
    path = f"/api/v1/requests/{tn}/follow"
    assert (await limited.post(path, headers=headers)).status_code == 200
    assert (await limited.delete(path, headers=headers)).status_code == 200
    assert (await limited.post(path, headers=headers)).status_code == 200
    _is_rate_limited(await limited.delete(path, headers=headers))


def test_the_limits_setting_is_read_strictly():
    assert parse_rate_limits("off") == {}
    assert parse_rate_limits("devices=5/day") == {"devices": ("day", 5)}
    for bad in ("devices=5", "photos=1/hour", "devices=x/hour", "devices=5/fortnight"):
        with pytest.raises(ValueError, match="CITY311_RATE_LIMITS"):
            parse_rate_limits(bad)
