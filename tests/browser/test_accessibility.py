"""axe-core (tests/browser/vendor) in Chromium on the main pages of both clients, at phone and
desktop size, each app page in the four languages on a phone: no violation whose impact is serious or critical (contrast, names of controls and
links, labels, landmarks, language of the page…). Lesser ones are printed, not failed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    LANGUAGES,
    app_pages,
    app_ready,
    app_route,
    console_pages,
    describe,
    needs_console,
    open_app,
    run_axe,
    serious,
)

SIZES = ("phone", "desktop")


def check(page, where: str) -> None:
    violations = run_axe(page)
    if violations:
        print(f"\n{where}: axe-core's lesser findings\n{describe(violations)}")
    assert not serious(violations), f"{where}:\n{describe(serious(violations))}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_apps_home_in_each_language(page, web_server, lang):
    open_app(page, "", lang=lang)
    check(page, f"/ ({lang})")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("view", "route"), app_pages())
def test_each_page_of_the_app(new_page, web_server, view, route, size):
    # on a phone in each language, switched as a resident switches it (the header's select: the
    # view is drawn again or relabelled in place); on a desktop in English
    page = new_page(size)
    route = app_route(route, web_server)
    open_app(page, route)
    check(page, f"/{route} ({size}, en)")
    if size == "phone":
        failed = []
        for lang in LANGUAGES[1:]:
            page.select_option("#lang", lang)
            expect(page.locator("html")).to_have_attribute("lang", lang)
            app_ready(page)
            try:
                check(page, f"/{route} ({size}, {lang})")
            except AssertionError as exc:
                failed.append(str(exc))
        assert not failed, "\n".join(failed)


@needs_console
@pytest.mark.parametrize("size", SIZES)
def test_each_page_of_the_console(new_page, web_server, size):
    page = new_page(size)
    page.goto("/staff/login")
    check(page, f"/staff/login ({size})")
    failed = []
    for path in console_pages(page, web_server, "ada"):
        page.goto(path)
        try:
            check(page, f"{path} ({size})")
        except AssertionError as exc:
            failed.append(str(exc))
    assert not failed, "\n".join(failed)
