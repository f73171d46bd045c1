"""Looking requests up, their public history, "my requests", following, and the catalog."""

from __future__ import annotations

import pytest

from backend.service_requests.models import Subscriber
from tests.factories import WICKER_PARK

POTHOLE = {
    "serviceCode": "PHF",
    "lat": WICKER_PARK[0],
    "long": WICKER_PARK[1],
    "answers": {"LOCATION": "curb_lane"},
    "name": "Ana Resident",
    "email": "ana@example.org",
    "phone": "+13125550123",
}


async def _device(client) -> dict[str, str]:
    response = await client.post("/api/v1/devices", json={"platform": "ios"})
    assert response.status_code == 201
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def _submit(client, headers=None, **changes) -> str:
    response = await client.post("/api/v1/requests", json={**POTHOLE, **changes}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["trackingNumber"]


async def test_public_view_never_shows_the_reporter(client):
    tn = await _submit(client)
    for path in (
        f"/api/v1/requests/{tn}",
        f"/api/v1/requests/{tn}/history",
        "/api/v1/requests?near=41.9097,-87.6776",
    ):
        text = (await client.get(path)).text
        for secret in ("Ana Resident", "ana@example.org", "5550123", "reporter"):
            assert secret not in text, (path, secret)


async def test_lookup_is_lenient_about_how_the_number_is_typed(client):
    tn = await _submit(client)
    loose = tn.lower().replace("-", " ").replace(" 0000", " ")
    response = await client.get(f"/api/v1/requests/{loose}")
    assert response.status_code == 200 and response.json()["trackingNumber"] == tn


@pytest.mark.parametrize("tn", ["SR26-99999999", "banana", "SR26-00000000"])
async def test_unknown_tracking_number_is_404_problem(client, tn):
    for path in (f"/api/v1/requests/{tn}", f"/api/v1/requests/{tn}/history"):
        response = await client.get(path)
        assert response.status_code == 404
        assert response.json()["errors"][0]["field"] == "trackingNumber"


async def test_history_shows_public_events_only(client, services):
    tn = await _submit(client)
    await services.requests.transition(
        tn, "in_progress", actor="staff:1", channel="staff", note="Crew scheduled for Tuesday."
    )
    await services.requests.comment(
        tn, "Caller is the landlord, very angry", actor="staff:1", channel="staff", public=False
    )
    await services.requests.transition(
        tn, "completed", actor="staff:1", channel="staff", note="Patched."
    )
    events = (await client.get(f"/api/v1/requests/{tn}/history")).json()["events"]
    assert [e["kind"] for e in events] == ["submitted", "status_changed", "status_changed"]
    assert [e["toStatus"] for e in events] == ["submitted", "in_progress", "completed"]
    assert [e["id"] for e in events] == sorted({e["id"] for e in events})  # the stream's ids
    assert "landlord" not in str(events)
    view = (await client.get(f"/api/v1/requests/{tn}")).json()
    assert view["status"] == "completed" and view["statusGroup"] == "closed"
    assert view["latestPublicNote"] == "Patched." and view["closedAt"]


async def test_my_requests_needs_a_device_and_lists_its_own(client):
    headers = await _device(client)
    mine = [await _submit(client, headers) for _ in range(3)]
    await _submit(client)  # someone else's
    response = await client.get("/api/v1/me/requests", headers=headers)
    assert [r["trackingNumber"] for r in response.json()["items"]] == mine[::-1]
    assert (await client.get("/api/v1/me/requests")).status_code == 401


async def test_forged_or_malformed_device_tokens_are_401(client):
    headers = await _device(client)
    token = headers["Authorization"].split()[1]
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for value in (f"Bearer {forged}", "Bearer nonsense", "Basic abc", f"Bearer 999.{'0' * 32}.x"):
        response = await client.get("/api/v1/me/requests", headers={"Authorization": value})
        assert response.status_code == 401, value
        assert response.json()["errors"][0]["field"] == "Authorization"


async def test_follow_and_unfollow(client, services):
    tn = await _submit(client)
    headers = await _device(client)
    response = await client.post(f"/api/v1/requests/{tn}/follow", headers=headers)
    assert response.status_code == 200 and response.json()["following"] is True
    again = await client.post(f"/api/v1/requests/{tn}/follow", headers=headers)
    assert again.status_code == 200
    history = await services.requests.history(tn, public_only=False)
    assert [e.kind for e in history].count("followed") == 1
    response = await client.delete(f"/api/v1/requests/{tn}/follow", headers=headers)
    assert response.status_code == 200 and response.json()["following"] is False
    assert (await client.post(f"/api/v1/requests/{tn}/follow")).status_code == 401
    assert (
        await client.post("/api/v1/requests/SR26-99999999/follow", headers=headers)
    ).status_code == 404


async def test_reporter_device_follows_its_own_request(client, services):
    headers = await _device(client)
    tn = await _submit(client, headers)
    device_id, _ = services.devices.verify(headers["Authorization"].split()[1])
    assert await services.requests.is_following(tn, Subscriber.device(device_id))


async def test_nearby_list_filters_and_pages(client):
    here = [await _submit(client) for _ in range(5)]
    await _submit(client, serviceCode="SGA", answers={"WHERE_SEEN": ["alley"]})
    far = await _submit(client, lat=41.7943, long=-87.5907)  # Hyde Park
    response = await client.get(
        "/api/v1/requests",
        params={"near": "41.9097,-87.6776", "radius": 300, "service": "PHF", "limit": 3},
    )
    page = response.json()
    assert [r["trackingNumber"] for r in page["items"]] == here[::-1][:3]
    assert all(r["distanceM"] <= 300 for r in page["items"])
    nxt = await client.get(page["next"].removeprefix("http://testserver.local"))
    rest = nxt.json()
    assert [r["trackingNumber"] for r in rest["items"]] == here[::-1][3:]
    assert rest["next"] is None
    all_open = await client.get("/api/v1/requests", params={"status": "open", "limit": 100})
    assert far in [r["trackingNumber"] for r in all_open.json()["items"]]
    closed = await client.get("/api/v1/requests", params={"status": "closed"})
    assert closed.json()["items"] == []
    # a status by its own name, beside a group
    far_status = next(r["status"] for r in all_open.json()["items"] if r["trackingNumber"] == far)
    exact = await client.get(
        "/api/v1/requests", params={"status": f"{far_status},closed", "limit": 100}
    )
    assert far in [r["trackingNumber"] for r in exact.json()["items"]]
    other = "in_progress" if far_status != "in_progress" else "completed"
    assert far not in [
        r["trackingNumber"]
        for r in (await client.get("/api/v1/requests", params={"status": other})).json()["items"]
    ]


@pytest.mark.parametrize(
    "params,status,field",
    [
        ({"near": "41.9"}, 422, "near"),
        ({"near": "north,south"}, 422, "near"),
        ({"near": "41.9,-87.6", "radius": 0}, 422, "radius"),
        ({"near": "41.9,-87.6", "radius": "far"}, 422, "radius"),
        ({"status": "fixed"}, 422, "status"),
        ({"service": "NOPE"}, 422, "service"),
        ({"cursor": "abc"}, 422, "cursor"),
        ({"limit": 1000}, 422, "limit"),
    ],
)
async def test_bad_list_queries(client, params, status, field):
    response = await client.get("/api/v1/requests", params=params)
    assert response.status_code == status, response.text
    assert response.json()["errors"][0]["field"] == field


async def test_catalog_is_grouped_with_questions(client):
    body = (await client.get("/api/v1/services")).json()
    services = {s["code"]: s for g in body["groups"] for s in g["services"]}
    assert len(services) >= 60
    pothole = services["PHF"]
    assert pothole["name"] == "Pothole in Street Complaint"
    location = next(q for q in pothole["questions"] if q["code"] == "LOCATION")
    assert location["datatype"] == "singlevaluelist" and location["required"]
    assert (await client.get("/api/v1/services/phf")).json()["code"] == "PHF"
    assert (await client.get("/api/v1/services/NOPE")).status_code == 404


async def test_unknown_route_and_method_are_problems(client):
    response = await client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    response = await client.put("/api/v1/services")
    assert response.status_code == 405


async def test_a_device_asks_whether_it_follows(client):
    tn = await _submit(client)
    headers = await _device(client)
    url = f"/api/v1/requests/{tn}/follow"
    assert (await client.get(url, headers=headers)).json() == {
        "trackingNumber": tn,
        "following": False,
    }
    await client.post(url, headers=headers)
    response = await client.get(url.replace(tn, tn.lower()), headers=headers)
    assert response.status_code == 200
    assert response.json() == {"trackingNumber": tn, "following": True}
    await client.delete(url, headers=headers)
    assert (await client.get(url, headers=headers)).json()["following"] is False
    assert (await client.get(url)).status_code == 401
    missing = await client.get("/api/v1/requests/SR26-99999999/follow", headers=headers)
    assert missing.status_code == 404
    allow = (await client.options(url)).headers["allow"]
    assert allow == "DELETE, GET, OPTIONS, POST"


async def test_a_reporting_device_follows_from_the_start(client):
    headers = await _device(client)
    tn = await _submit(client, headers)
    response = await client.get(f"/api/v1/requests/{tn}/follow", headers=headers)
    assert response.json()["following"] is True


async def test_the_service_name_comes_in_the_residents_language(client):
    headers = await _device(client)
    tn = await _submit(client, headers)
    await client.post(f"/api/v1/requests/{tn}/follow", headers=headers)
    spanish = {**headers, "Accept-Language": "es-MX, en;q=0.5"}
    names = {}
    for path, pick in (
        (f"/api/v1/requests/{tn}", lambda body: body),
        ("/api/v1/me/requests", lambda body: body["items"][0]),
        ("/api/v1/me/following", lambda body: body["items"][0]),
        ("/api/v1/requests?near=41.9097,-87.6776&limit=1", lambda body: body["items"][0]),
    ):
        response = await client.get(path, headers=spanish)
        assert response.status_code == 200, response.text
        assert response.headers["content-language"] == "es"
        assert "Accept-Language" in response.headers["vary"]
        names[path] = pick(response.json())["serviceName"]
        english = await client.get(path, headers=headers)
        assert pick(english.json())["serviceName"] == "Pothole in Street Complaint"
        assert english.headers["content-language"] == "en"
    assert len(set(names.values())) == 1
    [spanish_name] = set(names.values())
    assert spanish_name != "Pothole in Street Complaint"
    catalog = (await client.get("/api/v1/services/PHF", headers=spanish)).json()
    assert spanish_name == catalog["name"]
