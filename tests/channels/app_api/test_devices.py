"""Device tokens: checked against the device row, revocable, refreshable, expiring; "following"."""

from __future__ import annotations

import uuid

import jwt

from backend.identity.devices import DeviceService
from tests.factories import WICKER_PARK
from tests.identity.test_device_tokens import legacy_token

POTHOLE = {
    "serviceCode": "PHF",
    "lat": WICKER_PARK[0],
    "long": WICKER_PARK[1],
    "answers": {"LOCATION": "curb_lane"},
}


async def _register(client) -> str:
    response = await client.post("/api/v1/devices", json={"platform": "android"})
    assert response.status_code == 201, response.text
    return response.json()["token"]


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


async def test_a_token_whose_uid_is_not_the_devices_is_refused(client, services, settings):
    token = await _register(client)
    device_id = int(_claims(token)["sub"])
    # Well signed with our key, but naming another uid for that device id.
    forged = services.devices.issue(device_id, uuid.uuid4())
    response = await client.get("/api/v1/me/requests", headers=_auth(forged))
    assert response.status_code == 401
    assert response.json()["errors"][0]["field"] == "Authorization"
    assert (await client.get("/api/v1/me/requests", headers=_auth(token))).status_code == 200


async def test_an_altered_token_is_refused(client):
    token = await _register(client)
    claims = _claims(token)
    header, _, signature = token.split(".")
    key = "k" * 32  # not our key

    def payload(**changed):
        return jwt.encode({**claims, **changed}, key).split(".")[1]

    # Tokens in the format issued before the JWTs, altered the same ways as before.
    device_id, uid, issued = claims["sub"], claims["uid"], claims["iat"]
    legacy = legacy_token("test-secret-key", int(device_id), uid, issued)
    legacy_signature = legacy.split(".")[3]
    for bad in (
        f"{header}.{payload(sub=str(int(device_id) + 1))}.{signature}",
        f"{header}.{payload(exp=claims['exp'] + 10**7)}.{signature}",
        f"{header}.{signature}",
        jwt.encode({**claims, "sub": str(int(device_id) + 1)}, key),
        jwt.encode(claims, None, algorithm="none"),  # type: ignore[arg-type]  # unsigned
        f"{int(device_id) + 1}.{uid}.{issued}.{legacy_signature}",
        f"{device_id}.{uid}.{int(issued) + 10**7}.{legacy_signature}",
        f"{device_id}.{uid}.{legacy_signature}",
        "garbage",
        token + "x",
        legacy + "x",
    ):
        response = await client.get("/api/v1/me/requests", headers=_auth(bad))
        assert response.status_code == 401, bad
        assert response.json()["detail"] == "the device token is not valid", bad
    assert (await client.get("/api/v1/me/requests", headers=_auth(legacy))).status_code == 200


async def test_a_token_issued_before_the_jwts_still_works_until_it_expires(client, services):
    """Tokens of the old format (`<id>.<uid>.<issued at>.<HMAC>`) keep working until they expire;
    an expired one of either format is refused with the same 401."""
    token = await _register(client)
    claims = _claims(token)
    issued = claims["iat"] - 86400 * 300  # issued 300 days ago, before the JWTs
    old = legacy_token("test-secret-key", int(claims["sub"]), claims["uid"], issued)
    created = await client.post("/api/v1/requests", json=POTHOLE, headers=_auth(old))
    assert created.status_code == 201, created.text
    mine = await client.get("/api/v1/me/requests", headers=_auth(old))
    assert mine.status_code == 200 and len(mine.json()["items"]) == 1
    # Refreshing an old token answers a JWT for the same device.
    fresh = await client.post("/api/v1/devices/me/token", headers=_auth(old))
    assert fresh.status_code == 200 and fresh.json()["token"].count(".") == 2
    assert _claims(fresh.json()["token"])["sub"] == claims["sub"]
    expired_old = legacy_token(
        "test-secret-key", int(claims["sub"]), claims["uid"], claims["iat"] - 86400 * 366
    )
    year_ago = DeviceService(
        "test-secret-key",
        services.reader,
        services.writer,
        clock=lambda: claims["iat"] - 86400 * 366,
    )
    expired_jwt = year_ago.issue(int(claims["sub"]), uuid.UUID(claims["uid"]))
    for expired in (expired_old, expired_jwt):
        response = await client.get("/api/v1/me/requests", headers=_auth(expired))
        assert response.status_code == 401
        assert response.json()["detail"] == (
            "the device token has expired; register again with POST /api/v1/devices"
        )
        assert response.json()["errors"][0]["field"] == "Authorization"


async def test_revoking_a_device_stops_its_token_and_keeps_its_requests(client):
    token = await _register(client)
    created = await client.post("/api/v1/requests", json=POTHOLE, headers=_auth(token))
    assert created.status_code == 201
    response = await client.delete("/api/v1/devices/me", headers=_auth(token))
    assert response.status_code == 200 and response.json() == {"revoked": True}
    refused = await client.get("/api/v1/me/requests", headers=_auth(token))
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    # A revoked token cannot refresh itself or submit as that device.
    assert (await client.post("/api/v1/devices/me/token", headers=_auth(token))).status_code == 401
    again = await client.post("/api/v1/requests", json=POTHOLE, headers=_auth(token))
    assert again.status_code == 401
    # The request stays public.
    tn = created.json()["trackingNumber"]
    assert (await client.get(f"/api/v1/requests/{tn}")).status_code == 200


async def test_revoking_needs_a_token(client):
    response = await client.delete("/api/v1/devices/me")
    assert response.status_code == 401


async def test_tokens_expire_and_refresh_keeps_the_device(client, services):
    token = await _register(client)
    created = await client.post("/api/v1/requests", json=POTHOLE, headers=_auth(token))
    fresh = await client.post("/api/v1/devices/me/token", headers=_auth(token))
    assert fresh.status_code == 200
    new_token = fresh.json()["token"]
    mine = await client.get("/api/v1/me/requests", headers=_auth(new_token))
    assert [r["trackingNumber"] for r in mine.json()["items"]] == [created.json()["trackingNumber"]]

    year_later = DeviceService(
        "test-secret-key", services.reader, services.writer, token_days=365, clock=lambda: 10**10
    )
    try:
        year_later.verify(token)
    except Exception as exc:  # the domain's Unauthorized
        assert "expired" in str(exc)
    else:
        raise AssertionError("an old token must expire")


async def test_following_lists_what_the_device_follows_not_what_it_reported(client):
    reporter = await _register(client)
    follower = await _register(client)
    tns = []
    for _ in range(3):
        created = await client.post("/api/v1/requests", json=POTHOLE, headers=_auth(reporter))
        tns.append(created.json()["trackingNumber"])
    for tn in tns[:2]:
        response = await client.post(f"/api/v1/requests/{tn}/follow", headers=_auth(follower))
        assert response.status_code == 200
    following = await client.get(
        "/api/v1/me/following", params={"limit": 1}, headers=_auth(follower)
    )
    assert following.status_code == 200
    page = following.json()
    assert [r["trackingNumber"] for r in page["items"]] == [tns[1]]
    next_page = await client.get(
        page["next"].replace("http://testserver.local", ""), headers=_auth(follower)
    )
    assert [r["trackingNumber"] for r in next_page.json()["items"]] == [tns[0]]
    assert next_page.json()["next"] is None
    mine = await client.get("/api/v1/me/following", headers=_auth(follower))
    assert len(mine.json()["items"]) == 2
    # The reporter follows its own requests automatically.
    own = await client.get("/api/v1/me/following", headers=_auth(reporter))
    assert len(own.json()["items"]) == 3
    assert (await client.get("/api/v1/me/following")).status_code == 401


async def test_following_reported_false_leaves_out_the_devices_own_reports(client):
    """?reported=false: what "my requests" pages list as followed, never one of its own reports
    (nor one twice across pages); the reports of other devices and of nobody's device are kept."""
    me = await _register(client)
    other = await _register(client)

    async def submit(token: str | None) -> str:
        headers = _auth(token) if token else {}
        created = await client.post("/api/v1/requests", json=POTHOLE, headers=headers)
        assert created.status_code == 201, created.text
        return created.json()["trackingNumber"]

    # Interleaved, so a page of what it follows mixes its own reports with the others.
    own, followed = [], []
    for _ in range(3):
        own.append(await submit(me))
        followed.append(await submit(other))
        followed.append(await submit(None))
    for tn in followed:
        response = await client.post(f"/api/v1/requests/{tn}/follow", headers=_auth(me))
        assert response.status_code == 200
    await submit(other)  # not followed

    async def pages(params: dict) -> list[list[str]]:
        seen = []
        response = await client.get("/api/v1/me/following", params=params, headers=_auth(me))
        while True:
            assert response.status_code == 200, response.text
            body = response.json()
            seen.append([r["trackingNumber"] for r in body["items"]])
            if body["next"] is None:
                return seen
            assert "reported=false" in body["next"] or "reported" not in params
            next_path = body["next"].replace("http://testserver.local", "")
            response = await client.get(next_path, headers=_auth(me))

    others = await pages({"limit": 2, "reported": "false"})
    assert [tn for page in others for tn in page] == followed[::-1]
    assert all(len(page) == 2 for page in others)
    assert await pages({"reported": "true"}) == [own[::-1]]
    everything = sorted(own + followed, reverse=True)
    assert await pages({}) == [everything]  # without the parameter: all, as before
    bad = await client.get("/api/v1/me/following", params={"reported": "maybe"}, headers=_auth(me))
    assert bad.status_code == 422, bad.text
    assert [e["field"] for e in bad.json()["errors"]] == ["reported"]


async def test_parallel_follows_by_one_device_all_succeed(client):
    token = await _register(client)
    created = await client.post("/api/v1/requests", json=POTHOLE)
    path = f"/api/v1/requests/{created.json()['trackingNumber']}/follow"
    import asyncio

    responses = await asyncio.gather(*[client.post(path, headers=_auth(token)) for _ in range(8)])
    assert [r.status_code for r in responses] == [200] * 8
    following = await client.get("/api/v1/me/following", headers=_auth(token))
    assert len(following.json()["items"]) == 1
