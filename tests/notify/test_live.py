"""Live updates over server-sent events, against real server processes sharing the test database:
the history first (or only what follows Last-Event-ID), then a change made elsewhere arrives within
seconds — through the dispatching server's in-memory channels, or through Redis to a second web
process that runs no jobs."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import httpx
import pytest

from tests.factories import pothole
from tests.fakes.live_server import LiveServer
from tests.processes import ceiling

pytestmark = pytest.mark.slow  # live servers


def Server(**env: str) -> LiveServer:  # noqa: N802 (reads like the class it makes)
    return LiveServer({"CITY311_DISPATCH_SECONDS": "0.2", **env})


@pytest.fixture(scope="module")
def redis_url():
    return f"redis://127.0.0.1:6379/{(uuid.uuid4().int % 8) + 8}"


@pytest.fixture(scope="module")
def servers(migrated, redis_url):
    """A: runs the jobs (the dispatcher); B: a second web process with the scheduler off. Both
    share Redis for live updates, and the test database."""
    a = Server(CITY311_SCHEDULER="on", REDIS_URL=redis_url)
    try:
        b = Server(CITY311_SCHEDULER="off", REDIS_URL=redis_url)
    except Exception:
        a.stop()
        raise
    yield a, b
    a.stop()
    b.stop()


async def _stream(url: str, headers=None):
    """The events of a stream as they come (id, event, data)."""
    current: dict = {}
    async with httpx.AsyncClient(timeout=ceiling(30)) as client:
        async with client.stream("GET", url, headers=headers or {}) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            async for line in response.aiter_lines():
                if not line:
                    if current:
                        yield current
                        current = {}
                    continue
                field, _, value = line.partition(": ")
                if field in ("id", "event"):
                    current[field] = value
                elif field == "data":
                    current["data"] = json.loads(value)


async def _events(url: str, count: int, headers=None) -> list[dict]:
    """The first `count` events of a stream."""
    events: list[dict] = []
    async for event in _stream(url, headers):
        events.append(event)
        if len(events) == count:
            break
    return events


async def _submit(services) -> str:
    return (await services.requests.submit(pothole())).request.tracking_number


@pytest.mark.parametrize("which", ["dispatching server", "second web process via Redis"])
async def test_a_change_reaches_an_open_stream_within_seconds(services, servers, which):
    server = servers[0] if which == "dispatching server" else servers[1]
    tn = await _submit(services)
    url = f"{server.base}/api/v1/requests/{tn}/events"
    stream = _stream(url)
    try:
        first = await asyncio.wait_for(anext(stream), ceiling(30))  # open, the history sent
        changed = time.monotonic()
        await services.requests.transition(
            tn, "in_progress", actor="staff:1", channel="staff", note="crew on the way"
        )
        second = await asyncio.wait_for(anext(stream), ceiling(30))
        took = time.monotonic() - changed
    finally:
        await stream.aclose()
    assert first["event"] == "submitted"
    assert second["event"] == "status_changed"
    assert second["data"]["toStatus"] == "in_progress"
    assert second["data"]["note"] == "crew on the way"
    assert int(second["id"]) > int(first["id"])
    assert second["data"]["id"] == int(second["id"])  # the same id as GET …/history gives
    assert took < ceiling(10), f"{took:.1f} s"


async def test_last_event_id_resumes_after_it(services, servers):
    tn = await _submit(services)
    await services.requests.transition(tn, "open", actor="staff:1", channel="staff")
    await services.requests.transition(tn, "in_progress", actor="staff:1", channel="staff")
    url = f"{servers[0].base}/api/v1/requests/{tn}/events"
    everything = await _events(url, 3)
    assert [e["event"] for e in everything] == ["submitted", "status_changed", "status_changed"]
    resumed = await _events(url, 1, headers={"Last-Event-ID": everything[1]["id"]})
    assert resumed == [everything[2]]


async def test_an_unknown_request_is_a_404_not_a_stream(servers):
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{servers[0].base}/api/v1/requests/SR26-09999999/events")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
