"""Open311 GET requests as a feed: filters, date windows, incremental sync, a bounding box, and
pages that neither repeat nor skip a request while new ones arrive; and POST's API keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import pothole

V2 = "/open311/v2"


@pytest.fixture
async def api_key(services):
    return (await services.api_keys.create("tests")).key


async def _submit(services, **changes) -> str:
    return (await services.requests.submit(pothole(**changes))).request.tracking_number


class _At:
    """RequestService's clock set to given moments (restored after)."""

    def __init__(self, service, moment: datetime) -> None:
        self.service, self.moment = service, moment

    def __enter__(self):
        self.saved = self.service.clock
        self.service.clock = lambda: self.moment

    def __exit__(self, *exc):
        self.service.clock = self.saved


async def _ids(client, query: str) -> list[str]:
    response = await client.get(f"{V2}/requests.json?{query}")
    assert response.status_code == 200, response.text
    return [r["service_request_id"] for r in response.json()]


async def test_pages_never_repeat_or_skip_while_requests_arrive(client, services):
    before = [await _submit(services) for _ in range(23)]
    seen: list[str] = []
    page = 1
    while True:
        ids = await _ids(client, f"page={page}&page_size=5")
        seen.extend(ids)
        # others keep reporting while the download runs
        await _submit(services)
        if len(ids) < 5:
            break
        page += 1
    assert len(seen) == len(set(seen)), "a request came twice"
    assert seen[:23] == before, "oldest first, none skipped"
    assert len(seen) > 23  # and the new ones follow at the end


async def test_filters_by_code_and_status(client, services):
    pothole_open = await _submit(services)
    rats = await _submit(services, service_code="SGA", answers={"WHERE_SEEN": ["alley"]})
    done = await _submit(services)
    await services.requests.transition(done, "completed", actor="staff:1", channel="staff")
    assert await _ids(client, "service_code=PHF") == [pothole_open, done]
    assert await _ids(client, "service_code=PHF,SGA&status=open") == [pothole_open, rats]
    assert await _ids(client, "status=closed") == [done]
    assert await _ids(client, "status=open,closed") == [pothole_open, rats, done]
    # an empty argument is an absent one
    assert await _ids(client, "status=&service_code=&start_date=") == [pothole_open, rats, done]
    # a list of ids overrides every other argument
    assert await _ids(client, f"service_request_id={done},{rats}&status=open") == [rats, done]
    closed = (await client.get(f"{V2}/requests/{done}.json")).json()[0]
    assert closed["status"] == "closed"
    assert closed["updated_datetime"] >= closed["requested_datetime"]


async def test_date_windows_default_to_the_last_90_days(client, services):
    now = datetime.now(UTC)
    with _At(services.requests, now - timedelta(days=120)):
        old = await _submit(services)
    with _At(services.requests, now - timedelta(days=30)):
        month = await _submit(services)
    recent = await _submit(services)
    assert await _ids(client, "") == [month, recent]
    window = f"start_date={(now - timedelta(days=130)):%Y-%m-%dT%H:%M:%SZ}" + (
        f"&end_date={(now - timedelta(days=50)):%Y-%m-%dT%H:%M:%S-06:00}"
    )
    assert await _ids(client, window) == [old]
    too_long = await client.get(f"{V2}/requests.xml?start_date=2026-01-01&end_date=2026-06-01")
    assert too_long.status_code == 400
    assert b"<code>400</code>" in too_long.content and b"90 days" in too_long.content


async def test_updated_after_lists_changes_in_the_order_they_happened(client, services):
    first, second = await _submit(services), await _submit(services)
    mark = datetime.now(UTC)
    await services.requests.transition(second, "in_progress", actor="staff:1", channel="staff")
    await services.requests.transition(first, "in_progress", actor="staff:1", channel="staff")
    since = mark.isoformat().replace("+00:00", "Z")
    assert await _ids(client, f"updated_after={since}") == [second, first]


async def test_bounding_box(client, services):
    inside = await _submit(services)  # Wicker Park
    await _submit(services, lat=41.7943, long=-87.5907)  # Hyde Park
    box = "lat_sw=41.90&long_sw=-87.69&lat_ne=41.92&long_ne=-87.66"
    assert await _ids(client, box) == [inside]
    half = await client.get(f"{V2}/requests.json?lat_sw=41.9")
    assert half.status_code == 400
    assert "lat_ne" in half.json()[0]["description"]


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page_size=1001",
        "page=abc",
        "status=lost",
        "service_code=NOPE",
        "start_date=yesterday",
        "lat_sw=91&long_sw=0&lat_ne=0&long_ne=0",
    ],
)
async def test_bad_arguments_are_400s_in_the_spec_shape(client, query):
    response = await client.get(f"{V2}/requests.json?{query}")
    assert response.status_code == 400
    [error] = response.json()
    assert error["code"] == 400 and query.split("=")[0] in error["description"]


async def test_post_needs_a_live_key_and_records_its_use(client, services, api_key):
    form = {
        "service_code": "PHF",
        "lat": "41.9097",
        "long": "-87.6776",
        "attribute[LOCATION]": "curb_lane",
    }
    missing = await client.post(f"{V2}/requests.json", data=form)
    assert missing.status_code == 403 and missing.json()[0]["code"] == 403
    wrong = await client.post(f"{V2}/requests.json", data={**form, "api_key": "c311_nope"})
    assert wrong.status_code == 403
    made = await client.post(f"{V2}/requests.json", data={**form, "api_key": api_key})
    assert made.status_code == 200, made.text
    assert made.json()[0]["service_request_id"].startswith("SR")
    [info] = await services.api_keys.list()
    assert info.last_used_at is not None and info.revoked_at is None
    assert await services.api_keys.revoke(info.id)
    revoked = await client.post(f"{V2}/requests.json", data={**form, "api_key": api_key})
    assert revoked.status_code == 403
    assert not await services.api_keys.revoke(info.id)


async def test_posted_requests_keep_the_reporter_private(client, services, api_key):
    made = await client.post(
        f"{V2}/requests.json?jurisdiction_id=cityofchicago.org",
        data={
            "api_key": api_key,
            "service_code": "PHF",
            "address_string": "1845 W Cortland St",
            "attribute[LOCATION]": "curb_lane",
            "email": "ada@example.com",
            "phone": "312-555-0199",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "device_id": "dev-42",
            "account_id": "acct-7",
            "media_url": "https://example.com/p.jpg",
            "description": "Dziura w jezdni 坑",
        },
    )
    assert made.status_code == 200, made.text
    tracking = made.json()[0]["service_request_id"]
    app = await client.get(f"/api/v1/requests/{tracking}")
    assert app.status_code == 200 and app.json()["address"]
    for fmt in ("json", "xml"):
        out = await client.get(f"{V2}/requests/{tracking}.{fmt}?extensions=true")
        text = out.content.decode()
        assert "Dziura w jezdni 坑" in text
        assert "https://example.com/p.jpg" in text
        for secret in ("ada@example.com", "5550199", "Lovelace", "Ada", "dev-42", "acct-7"):
            assert secret not in text and secret not in app.text
    wrong_city = await client.post(
        f"{V2}/requests.json",
        data={"api_key": api_key, "jurisdiction_id": "sfgov.org", "service_code": "PHF"},
    )
    assert wrong_city.status_code == 404
