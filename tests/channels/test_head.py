"""HEAD answers wherever GET does: every GET route of the app (read from the app, so a route added
later is covered) answers HEAD with GET's status and headers and no body; a stream (server-sent
events) ends after its headers; a real server's HEAD says so in its access log."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from backend.app import create_app
from tests.channels.staff.conftest import PASSWORD, bearer
from tests.factories import photo_bytes, pothole

SAME = ("content-type", "content-length", "allow", "cache-control", "location", "etag")


async def get_paths(services, settings) -> tuple[list[str], dict[str, str]]:
    """A concrete path for every GET route, with real values where the app has them."""
    view = (await services.requests.submit(pothole(photos=[photo_bytes()]))).request
    photo = await services.reader.fetchrow("SELECT uid FROM photo LIMIT 1")
    [work] = await services.requests.work_orders(view.tracking_number)
    values = {
        "tracking_number": view.tracking_number,
        "tn": view.tracking_number,
        "code": "PHF",
        "name": "PHF.json",
        "department_id": str(work.department_id),
        "photo_id": str(photo["uid"]),
        "uid": str(photo["uid"]),
    }
    app = create_app(settings, scheduler=False)
    paths = ["/schema/assets/swagger-ui.css", "/admin/", "/no/such/route"]
    for route in app.routes:
        methods = set().union(*(h.http_methods for h in getattr(route, "route_handlers", [])))
        if "GET" not in methods:
            continue
        path = route.path_format
        for name in route.path_parameters:
            path = path.replace("{" + name + "}", values.get(name, "1"))
        paths.append(path)
    admin = await services.staff.create_user("head-admin", PASSWORD, "admin")
    token = services.staff_tokens.access_token(await services.staff.principal(admin.id))
    return paths, bearer(token)


async def test_every_get_route_answers_head_alike(client, services, settings):
    paths, staff = await get_paths(services, settings)
    assert len(paths) > 30
    failures = []
    for path in paths:
        headers = staff if path.startswith("/api/staff/") else {}
        head = await asyncio.wait_for(client.head(path, headers=headers), 30)
        if head.content:
            failures.append(f"HEAD {path}: a body of {len(head.content)} bytes")
        if path.endswith("/events"):  # a stream: its GET would not end
            if head.status_code != 200 or "text/event-stream" not in head.headers["content-type"]:
                failures.append(f"HEAD {path}: {head.status_code} {head.headers}")
            continue
        get = await client.get(path, headers=headers)
        if head.status_code != get.status_code:
            failures.append(f"{path}: HEAD {head.status_code}, GET {get.status_code}")
        for name in SAME:
            if head.headers.get(name) != get.headers.get(name):
                failures.append(
                    f"{path}: {name} {head.headers.get(name)} != {get.headers.get(name)}"
                )
    assert not failures, "\n".join(failures)
    assert (await client.head("/api/v1/services")).status_code == 200


async def test_head_on_a_route_without_get_is_refused_like_get(client):
    get = await client.get("/api/v1/devices")  # POST only
    head = await client.head("/api/v1/devices")
    assert get.status_code == head.status_code == 405 and not head.content
    assert head.headers.get("allow") == get.headers.get("allow")


@pytest.mark.slow
def test_a_real_server_answers_head(migrated):
    from tests.fakes.live_server import LiveServer

    server = LiveServer({"CITY311_SCHEDULER": "off"})
    try:
        with httpx.Client(base_url=server.base, timeout=30) as c:
            for path in ("/healthz", "/api/v1/services", "/open311/v2/services.xml", "/schema"):
                head, get = c.head(path), c.get(path)
                assert head.status_code == get.status_code == 200, path
                # the length GET sends (gzipped for the catalog: httpx asks for it, both times)
                assert head.content == b"" and head.headers["content-length"] == str(
                    get.num_bytes_downloaded
                )
    finally:
        server.stop()
