"""Console fixtures: a browser-like client of its own (its cookie jar is the test's), staff
accounts of each role, and signing in through the console's own form."""

from __future__ import annotations

import re

import httpx
import pytest

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def console_app(session_services, settings):
    from backend.app import attach_services, create_app

    app = create_app(settings, scheduler=False)
    attach_services(app, session_services)
    return app


@pytest.fixture
async def browser(db, console_app):
    """A client with its own cookies, as one browser is."""
    transport = httpx.ASGITransport(app=console_app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as c:
        yield c


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no form token"
    return found.group(1)


async def post_form(
    client: httpx.AsyncClient, page: str, action: str, data: dict
) -> httpx.Response:
    """Open `page` (for its form token) and post `data` to `action`, as a browser would."""
    opened = await client.get(page)
    token = csrf_of(opened.text)
    return await client.post(action, data={**data, "_csrf_token": token})


@pytest.fixture
def make_staff(services):
    async def make(
        role: str, username: str | None = None, departments: list[str] | None = None
    ) -> int:
        if departments is None and role == "department":
            row = await services.reader.fetchrow("SELECT slug FROM department ORDER BY slug")
            departments = [row["slug"]]
        user = await services.staff.create_user(
            username or f"{role}-user", PASSWORD, role, departments or []
        )
        return user.id

    return make


@pytest.fixture
def sign_in(browser, make_staff):
    """sign_in(role) -> the browser signed in as a new account of that role."""

    async def go(
        role: str, username: str | None = None, departments: list[str] | None = None
    ) -> httpx.AsyncClient:
        name = username or f"{role}-user"
        await make_staff(role, name, departments)
        answer = await post_form(
            browser, "/staff/login", "/staff/login", {"username": name, "password": PASSWORD}
        )
        assert answer.status_code == 303, answer.text
        return browser

    return go
