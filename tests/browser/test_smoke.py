"""The harness itself: Chromium opens a page the server renders with JavaScript (Swagger UI at /schema,
its files served offline), axe-core runs in it, a screenshot is written, and the demo staff log in."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import serious


def test_chromium_renders_the_api_documentation(page, web_server, shot, axe):
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto("/schema")
    # Swagger UI builds the page in the browser from /schema/openapi.json: its title, and an
    # operation of the app API, mean the scripts ran and the document was read
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("City311 resident app API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any(re.search(r"/api/v1/requests", p) for p in paths), paths
    assert not failed, failed  # everything it loads is served here: nothing from outside
    path = shot(page, "smoke-schema-phone")
    assert path.stat().st_size > 1000
    violations = axe(page)
    assert isinstance(violations, list)
    assert all({"id", "impact", "nodes"} <= set(v) for v in violations)


def test_the_demo_staff_log_in_through_the_api(web_server):
    token = web_server.staff_token("olga")
    status, me = web_server.api("GET", "/api/staff/v1/me", token=token)
    assert status == 200, me
    assert (me["username"], me["role"]) == ("olga", "operator")
    assert web_server.device_token()


def test_axe_finds_what_it_should(page, axe):
    # the checks of test_accessibility.py find nothing on our pages: here they do find something
    page.set_content(
        '<html><body><main><img src="data:,"><input type="text">'
        '<p style="color:#bbb;background:#fff">faint</p></main></body></html>'
    )
    found = {v["id"]: v["impact"] for v in serious(axe(page))}
    assert {"image-alt", "label", "color-contrast", "html-has-lang"} <= set(found), found
