"""Abuse limits: device registration, submits, follows, Open311 POSTs and staff intake are rate
limited per client, with 429 problems and Retry-After; the counters live in memory or, with
REDIS_URL, in Redis. The client is the connection's address: X-Forwarded-For counts only from a
proxy in CITY311_TRUSTED_PROXIES, so a header cannot dodge a limit."""

from __future__ import annotations

from contextlib import asynccontextmanager

import httpx
import msgspec
import pytest

from backend.app import attach_services, create_app
from backend.settings import parse_rate_limits, parse_trusted_proxies
from tests.channels.staff.conftest import PASSWORD, bearer
from tests.factories import WICKER_PARK
from tests.fakes.live_server import LiveServer

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
        rate_limits=parse_rate_limits(LIMITS),
    )
    async with _client(limited_settings, services) as c:
        yield c


LIMITS = "devices=2/hour,submits=2/minute,follows=3/hour,open311=2/hour,intake=2/hour"


@asynccontextmanager
async def _client(settings, services, client=("127.0.0.1", 50000)):
    app = create_app(settings, scheduler=False)
    attach_services(app, services)
    store = app.stores.get("rate_limit")
    await store.delete_all()  # counters left by an earlier run in Redis
    transport = httpx.ASGITransport(app=app, client=client)  # type: ignore[arg-type]  # Litestar's ASGI types are not httpx's
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


RATS = {
    "service_code": "SGA",
    "address_string": "1845 W Cortland St",
    "attribute[WHERE_SEEN][]": "alley",
}


async def test_open311_posts_are_limited_in_open311s_own_shape(limited, services):
    api_key = (await services.api_keys.create("limits")).key
    for _ in range(2):
        posted = await limited.post("/open311/v2/requests.json", data={**RATS, "api_key": api_key})
        assert posted.status_code == 200, posted.text
    refused = await limited.post("/open311/v2/requests.json", data={**RATS, "api_key": api_key})
    assert refused.status_code == 429
    assert refused.json()[0]["code"] == 429 and int(refused.headers["retry-after"]) > 0
    xml = await limited.post("/open311/v2/requests.xml", data={**RATS, "api_key": api_key})
    assert xml.status_code == 429 and b"<errors>" in xml.content
    for _ in range(3):  # the feed is never limited
        assert (await limited.get("/open311/v2/requests.json")).status_code == 200


async def test_staff_intake_is_limited(limited, services):
    user = await services.staff.create_user("olga", PASSWORD, "operator")
    principal = await services.staff.principal(user.id)
    headers = bearer(services.staff_tokens.access_token(principal))
    body = {"serviceCode": "PHF", "address": "1845 W Cortland St", "answers": POTHOLE["answers"]}
    for _ in range(2):
        taken = await limited.post("/api/staff/v1/requests", json=body, headers=headers)
        assert taken.status_code == 201, taken.text
    _is_rate_limited(await limited.post("/api/staff/v1/requests", json=body, headers=headers))


async def test_x_forwarded_for_does_not_dodge_a_limit(limited):
    for n in range(2):
        headers = {"X-Forwarded-For": f"198.51.100.{n}"}
        assert (await limited.post("/api/v1/devices", headers=headers)).status_code == 201
    _is_rate_limited(
        await limited.post("/api/v1/devices", headers={"X-Forwarded-For": "198.51.100.99"})
    )


async def test_a_trusted_proxy_names_the_client(services, settings):
    proxied = msgspec.structs.replace(
        settings,
        rate_limits=parse_rate_limits("devices=1/hour"),
        trusted_proxies=parse_trusted_proxies("10.0.0.0/8, 192.0.2.7"),
    )
    async with _client(proxied, services, client=("10.1.2.3", 40000)) as c:
        for client in ("198.51.100.1", "198.51.100.2"):
            # the last address not itself a trusted proxy is the client
            chain = {"X-Forwarded-For": f"203.0.113.9, {client}, 192.0.2.7"}
            assert (await c.post("/api/v1/devices", headers=chain)).status_code == 201
            _is_rate_limited(await c.post("/api/v1/devices", headers=chain))
        # the proxy's own requests, without the header: the proxy is the client
        assert (await c.post("/api/v1/devices")).status_code == 201
    async with _client(proxied, services, client=("203.0.113.50", 40000)) as c:
        # not a trusted proxy: its header is ignored
        assert (
            await c.post("/api/v1/devices", headers={"X-Forwarded-For": "1.1.1.1"})
        ).status_code == 201
        _is_rate_limited(await c.post("/api/v1/devices", headers={"X-Forwarded-For": "1.1.1.2"}))


@pytest.mark.slow
def test_a_real_server_trusts_no_forwarded_header_unless_told(migrated):
    """uvicorn's own proxy handling (which trusts 127.0.0.1, or FORWARDED_ALLOW_IPS) is off."""
    env = {"CITY311_RATE_LIMITS": "devices=1/hour", "FORWARDED_ALLOW_IPS": "*"}
    server = LiveServer(env)
    try:
        with httpx.Client(base_url=server.base, timeout=30) as c:
            first = c.post("/api/v1/devices", headers={"X-Forwarded-For": "198.51.100.1"})
            second = c.post("/api/v1/devices", headers={"X-Forwarded-For": "198.51.100.2"})
    finally:
        server.stop()
    assert first.status_code == 201 and second.status_code == 429
    trusting = LiveServer({**env, "CITY311_TRUSTED_PROXIES": "127.0.0.1"})
    try:
        with httpx.Client(base_url=trusting.base, timeout=30) as c:
            answers = [
                c.post("/api/v1/devices", headers={"X-Forwarded-For": f"198.51.100.{n}"})
                for n in (1, 2, 2)
            ]
    finally:
        trusting.stop()
    assert [a.status_code for a in answers] == [201, 201, 429]


def test_trusted_proxies_are_read_strictly():
    assert parse_trusted_proxies("") == ()
    assert parse_trusted_proxies(" 10.0.0.5, 10.1.0.0/16 ,::1") == (
        "10.0.0.5",
        "10.1.0.0/16",
        "::1",
    )
    for bad in ("*", "proxy.example", "10.0.0.300"):
        with pytest.raises(SystemExit, match="CITY311_TRUSTED_PROXIES"):
            parse_trusted_proxies(bad)
