"""The problem vocabulary: one type per kind, documented, and a 500 that carries a request id."""

from __future__ import annotations

import logging
import re

import httpx
from litestar import get

from backend.app import attach_services, create_app
from backend.channels.problems import PREFIX, PROBLEM_TYPES
from backend.settings import PROJECT_ROOT


def test_docs_list_every_problem_type_with_its_status():
    text = (PROJECT_ROOT / "docs" / "problems.md").read_text()
    documented = dict(
        re.findall(r"^\| `" + re.escape(PREFIX) + r"([a-z-]+)` \| (\d{3}) \|", text, re.MULTILINE)
    )
    assert documented == {slug: str(kind.status) for slug, kind in PROBLEM_TYPES.items()}


async def test_an_unexpected_error_is_a_500_problem_with_a_logged_request_id(
    services, settings, caplog
):
    @get("/boom", include_in_schema=False)
    async def boom() -> None:
        raise RuntimeError("secret internals")

    app = create_app(settings, scheduler=False)
    app.register(boom)
    attach_services(app, services)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)  # type: ignore[arg-type]  # Litestar's ASGI types are not httpx's
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as c:
        with caplog.at_level(logging.ERROR, logger="city311.http"):
            response = await c.get("/boom")
            sent = await c.get("/boom", headers={"X-Request-ID": "abc-123"})
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"] == PREFIX + "internal-error"
    assert "secret internals" not in response.text
    request_id = body["requestId"]
    assert response.headers["x-request-id"] == request_id and request_id in body["detail"]
    assert any(request_id in r.getMessage() and r.exc_info for r in caplog.records), [
        (r.name, r.getMessage()) for r in caplog.records
    ]
    assert sent.json()["requestId"] == "abc-123"
