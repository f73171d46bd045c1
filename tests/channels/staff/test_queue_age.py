"""The staff API's queue by the age of its requests (`createdBefore`), on both engines: only work
on requests made at or before the moment; a moment without its offset is a 422 naming the field."""

from __future__ import annotations

from datetime import timedelta

from tests.channels.staff.conftest import bearer
from tests.factories import pothole

API = "/api/staff/v1"


async def test_the_queue_by_the_age_of_its_requests(client, services, make_staff, monkeypatch):
    now = services.requests.clock()
    monkeypatch.setattr(services.requests, "clock", lambda: now - timedelta(days=10))
    old = (await services.requests.submit(pothole())).request.tracking_number
    monkeypatch.setattr(services.requests, "clock", lambda: now)
    new = (await services.requests.submit(pothole())).request.tracking_number
    [work] = await services.requests.work_orders(old)
    supervisor = bearer((await make_staff("supervisor"))[1])
    queue = f"{API}/departments/{work.department_id}/queue"

    moment = (now - timedelta(days=5)).isoformat()
    answer = await client.get(queue, params={"createdBefore": moment}, headers=supervisor)
    assert answer.status_code == 200, answer.text
    assert [w["trackingNumber"] for w in answer.json()["items"]] == [old]
    everything = await client.get(queue, headers=supervisor)
    assert [w["trackingNumber"] for w in everything.json()["items"]] == [old, new]

    naive = await client.get(
        queue, params={"createdBefore": "2026-12-01T00:00"}, headers=supervisor
    )
    assert naive.status_code == 422
    assert [e["field"] for e in naive.json()["errors"]] == ["createdBefore"]
    # RFC 3339 only, as the document's date-time format says (the fuzzer sent these)
    for not_rfc3339 in (
        "",
        "2026-12-01 00:00:00+00:00",
        "20261201T000000+0000",
        " 2026-12-01T00:00:00Z",
    ):
        answer = await client.get(queue, params={"createdBefore": not_rfc3339}, headers=supervisor)
        assert answer.status_code == 422, not_rfc3339
    fine = await client.get(
        queue, params={"createdBefore": "2026-12-01t00:00:00.5z"}, headers=supervisor
    )
    assert fine.status_code == 200
