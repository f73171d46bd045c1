"""Bodies above their route's documented limit are refused with 413 before they are read whole:
at once when Content-Length says so, and while counting when the body comes in chunks without
one. Every route that takes a body is read from the app (a route added later is covered), the
back office at /admin included."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from backend.app import MAX_BODY, create_app
from backend.channels.app_api.submit_body import MAX_JSON
from tests.channels.staff.conftest import PASSWORD, bearer

CHUNK = 64 * 1024
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


class Body:
    """A chunked body of `size` bytes that counts what the server pulled of it."""

    def __init__(self, size: int) -> None:
        self.size, self.sent = size, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.sent < self.size:
            chunk = b"a" * min(CHUNK, self.size - self.sent)
            self.sent += len(chunk)
            yield chunk


def body_routes(settings) -> list[tuple[str, str, int]]:
    """(method, a concrete path, the route's limit) of every app route that may take a body."""
    app = create_app(settings, scheduler=False)
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            methods = handler.http_methods & WRITES
            if not methods or getattr(handler, "is_mount", False):
                continue
            path = route.path_format
            for name in route.path_parameters:
                path = path.replace("{" + name + "}", "1")
            limit = handler.resolve_request_max_body_size() or MAX_BODY
            found += [(method, path, limit) for method in sorted(methods)]
    return found


@pytest.fixture
async def callers(client, services):
    """The headers a route's own clients send: a staff login, a device token, a form."""
    user = await services.staff.create_user("limits-admin", PASSWORD, "admin")
    staff = bearer(services.staff_tokens.access_token(await services.staff.principal(user.id)))

    async def headers(path: str) -> dict[str, str]:
        if path.startswith("/api/staff/"):
            return {**staff, "content-type": "application/json"}
        if path.startswith("/api/"):  # a device of its own (a route may revoke it)
            device = (await client.post("/api/v1/devices", json={})).json()["token"]
            return {**bearer(device), "content-type": "application/json"}
        return {"content-type": "application/x-www-form-urlencoded"}

    return headers


def judge(method: str, path: str, limit: int, response, body: Body) -> str | None:
    """413, or a refusal that never read the body (no login, no such id, no body taken)."""
    where = f"{method} {path} ({limit} bytes)"
    if response.status_code == 413:
        # the operator console's forms are answered as pages, every API as its own errors
        wanted = "text/html" if path.startswith("/staff/") else "problem+json"
        if "/open311/" not in path and wanted not in response.headers["content-type"]:
            return f"{where}: 413 as {response.headers['content-type']}"
        if body.sent > limit + 2 * CHUNK:
            return f"{where}: read {body.sent} bytes before the 413"
        return None
    if body.sent == 0:  # answered without reading it (a route that takes no body)
        return None
    return f"{where}: {response.status_code} after reading {body.sent} bytes"


async def test_every_body_route_refuses_an_announced_body_above_its_limit(
    client, settings, callers
):
    routes = body_routes(settings)
    assert len(routes) >= 15
    failures, refused = [], 0
    for method, path, limit in routes:
        headers = {**(await callers(path)), "content-length": str(limit + 1)}
        body = Body(limit + 1)
        response = await client.request(method, path, content=body, headers=headers)
        refused += response.status_code == 413
        if problem := judge(method, path, limit, response, body):
            failures.append(problem)
        elif response.status_code == 413 and body.sent:
            failures.append(f"{method} {path}: read {body.sent} bytes of an announced excess")
    assert not failures, "\n".join(failures)
    assert refused >= 12


async def test_every_body_route_stops_reading_a_chunked_body_past_its_limit(
    client, settings, callers
):
    failures, refused = [], 0
    for method, path, limit in body_routes(settings):
        body = Body(limit + 4 * CHUNK)
        response = await client.request(method, path, content=body, headers=await callers(path))
        refused += response.status_code == 413
        if problem := judge(method, path, limit, response, body):
            failures.append(problem)
    assert not failures, "\n".join(failures)
    assert refused >= 12


@pytest.mark.parametrize("announced", [True, False])
async def test_the_back_office_refuses_a_body_above_the_limit(client, callers, announced):
    """Piccolo Admin reads bodies itself (it is mounted, not routed): the same limit."""
    headers = {
        **(await callers("/api/staff/")),
        "x-csrftoken": "t0ken",
        "cookie": "csrftoken=t0ken",
    }
    for path in ("/admin/api/tables/department/", "/admin/public/login/"):
        body = Body(MAX_BODY + 4 * CHUNK)
        if announced:
            headers["content-length"] = str(body.size)
        response = await client.post(path, content=body, headers=headers)
        assert response.status_code == 413, (path, response.status_code, response.text[:200])
        assert body.sent <= (0 if announced else MAX_BODY + 2 * CHUNK), path


@pytest.mark.parametrize("announced", [True, False])
@pytest.mark.parametrize(
    "path, media_type",
    [
        ("/api/v1/requests", "application/json"),
        ("/open311/v2/requests.json", "application/x-www-form-urlencoded"),
    ],
)
async def test_json_and_forms_keep_their_limit_on_routes_that_take_photos(
    client, path, media_type, announced
):
    """These routes take 50 MB for photos (multipart); JSON and a plain form stay at 1 MB."""
    body = Body(MAX_JSON + 4 * CHUNK)
    headers = {"content-type": media_type}
    if announced:
        headers["content-length"] = str(body.size)
    response = await client.post(path, content=body, headers=headers)
    assert response.status_code == 413, response.text
    assert body.sent <= (0 if announced else MAX_JSON + CHUNK)
