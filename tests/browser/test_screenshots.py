"""Screenshots of both clients at phone (390x844) and desktop (1280x800) size, into var/screenshots/
(CI keeps the folder; docs/screenshots.md lists the names): the app's home in each of its four
languages, each of its pages, and the console's sign-in and every page an admin's navigation shows.

Each page is also checked for what a screenshot would show wrong: the view drawn in the language
asked for, with its heading, no error thrown or logged, and nothing the page asked for refused."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    LANGUAGES,
    app_pages,
    app_route,
    console_pages,
    needs_console,
    open_app,
    page_name,
)

SIZES = ("phone", "desktop")


def watch_failures(page) -> list[str]:
    """What goes wrong on `page`, as it comes: requests failed or answered 4xx/5xx, errors thrown
    and errors logged (the app's router logs the error of a view it could not draw)."""
    failures: list[str] = []

    def answered(response) -> None:
        if response.status >= 400:
            failures.append(f"{response.status} {response.url}")

    def logged(message) -> None:
        # Chromium's own request for /favicon.ico, of a page that names no icon, is not the page's
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            failures.append(f"console: {message.text} ({message.location.get('url')})")

    page.on("requestfailed", lambda request: failures.append(f"failed {request.url}"))
    page.on("response", answered)
    page.on("pageerror", lambda error: failures.append(f"error: {error}"))
    page.on("console", logged)
    return failures


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_apps_home_in_each_language(page, web_server, shot, lang):
    failures = watch_failures(page)
    open_app(page, "", lang=lang)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("#lang")).to_have_value(lang)
    shot(page, f"app-home-phone-{lang}")
    assert not failures, failures


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("view", "route"), app_pages())
def test_each_page_of_the_app(new_page, web_server, shot, view, route, size):
    page = new_page(size)
    failures = watch_failures(page)
    open_app(page, app_route(route, web_server))
    expect(page.locator("#main h1")).to_be_visible()
    shot(page, f"app-{view}-{size}")
    assert not failures, failures


@needs_console
@pytest.mark.parametrize("size", SIZES)
def test_each_page_of_the_console(new_page, web_server, shot, size):
    page = new_page(size)
    failures = watch_failures(page)
    page.goto("/staff/login")
    expect(page.locator("main h1")).to_be_visible()
    shot(page, f"console-login-{size}")
    paths = console_pages(page, web_server, "ada")
    for path in paths:
        page.goto(path)
        expect(page.locator("main h1").first).to_be_visible()
        shot(page, f"console-page-{page_name(path)}-{size}")
    assert not failures, failures
