"""The console's sign-in: the staff login's accounts, lockout and audit, in cookies scoped to
/staff; the guard (anonymous -> sign-in page, a role a page is not for -> 403 page); CSRF on forms;
sign-out; the API unaffected."""

from __future__ import annotations

from urllib.parse import unquote

from backend.channels.console.session import ACCESS_COOKIE, REFRESH_COOKIE

from .conftest import PASSWORD, csrf_of, post_form


async def test_an_anonymous_visitor_is_sent_to_the_sign_in_page_and_back(browser, make_staff):
    answer = await browser.get("/staff/?x=1")
    assert answer.status_code == 303
    assert unquote(answer.headers["location"]) == "/staff/login?next=/staff?x=1"
    await make_staff("operator", "olga")
    page = await browser.get(answer.headers["location"])
    assert page.status_code == 200
    assert 'name="next" value="/staff?x=1"' in page.text
    signed = await browser.post(
        "/staff/login",
        data={
            "username": "OLGA",
            "password": PASSWORD,
            "next": "/staff?x=1",
            "_csrf_token": csrf_of(page.text),
        },
    )
    assert signed.status_code == 303
    assert signed.headers["location"] == "/staff?x=1"
    cookies = signed.headers.get_list("set-cookie")
    for name in (ACCESS_COOKIE, REFRESH_COOKIE):
        cookie = next(c for c in cookies if c.startswith(f"{name}="))
        lowered = cookie.lower()
        assert "httponly" in lowered and "samesite=strict" in lowered and "path=/staff" in lowered
    home = await browser.get("/staff/")
    assert home.status_code == 200
    assert "olga" in home.text and "<main" in home.text and "<nav" in home.text


async def test_the_sign_in_page_goes_on_to_console_pages_only(browser, make_staff):
    await make_staff("operator", "olga")
    for evil in ("https://evil.example/", "//evil.example/staff/", "/api/v1/requests"):
        answer = await post_form(
            browser,
            "/staff/login",
            "/staff/login",
            {"username": "olga", "password": PASSWORD, "next": evil},
        )
        assert answer.headers["location"] == "/staff/"


async def test_a_wrong_password_is_refused_on_the_form_and_audited(browser, make_staff, services):
    await make_staff("operator", "olga")
    answer = await post_form(
        browser, "/staff/login", "/staff/login", {"username": "olga", "password": "nope-nope"}
    )
    assert answer.status_code == 401
    assert "Wrong username or password." in answer.text
    assert 'value="olga"' in answer.text
    assert ACCESS_COOKIE not in answer.headers.get("set-cookie", "")
    rows = await services.reader.fetch("SELECT kind FROM audit_event ORDER BY id")
    assert [r["kind"] for r in rows] == ["login_failed"]


async def test_repeated_failures_lock_the_account_as_the_api_does(browser, make_staff):
    await make_staff("operator", "olga")
    for _ in range(5):
        await post_form(
            browser, "/staff/login", "/staff/login", {"username": "olga", "password": "wrong-one"}
        )
    locked = await post_form(
        browser, "/staff/login", "/staff/login", {"username": "olga", "password": PASSWORD}
    )
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0
    assert "Too many failed sign-ins" in locked.text


async def test_a_post_without_the_form_token_is_refused(browser, make_staff):
    await make_staff("operator", "olga")
    await browser.get("/staff/login")  # the CSRF cookie, but no token in the post
    answer = await browser.post("/staff/login", data={"username": "olga", "password": PASSWORD})
    assert answer.status_code == 403
    assert "Form refused" in answer.text
    assert ACCESS_COOKIE not in answer.headers.get("set-cookie", "")


async def test_the_api_takes_no_console_cookies_and_needs_no_form_token(sign_in, browser):
    await sign_in("operator")
    api = await browser.get("/api/staff/v1/me")  # the cookies are scoped to /staff
    assert api.status_code == 401
    login = await browser.post(
        "/api/staff/v1/auth/login", json={"username": "operator-user", "password": PASSWORD}
    )
    assert login.status_code == 200
    assert "set-cookie" not in login.headers


async def test_signing_out_ends_the_session(sign_in, browser, services):
    await sign_in("operator")
    home = await browser.get("/staff/")
    answer = await browser.post("/staff/logout", data={"_csrf_token": csrf_of(home.text)})
    assert answer.status_code == 303 and answer.headers["location"] == "/staff/login"
    assert (await browser.get("/staff/")).status_code == 303
    live = await services.reader.fetch("SELECT id FROM staff_session WHERE revoked_at IS NULL")
    assert live == []


async def test_an_expired_access_cookie_is_refreshed_once(sign_in, browser):
    await sign_in("operator")
    old_refresh = browser.cookies.get(REFRESH_COOKIE, path="/staff")
    browser.cookies.delete(ACCESS_COOKIE)  # as the browser does when its max-age is over
    page = await browser.get("/staff/")
    assert page.status_code == 200
    assert browser.cookies.get(REFRESH_COOKIE, path="/staff") != old_refresh
    assert browser.cookies.get(ACCESS_COOKIE, path="/staff")


async def test_a_disabled_account_is_signed_out_at_its_next_page(sign_in, browser, services):
    await sign_in("operator")
    await services.staff.disable_user("operator-user")
    answer = await browser.get("/staff/")
    assert answer.status_code == 303 and answer.headers["location"] == "/staff/login"


async def test_the_console_is_not_in_the_api_documents(client):
    document = (await client.get("/schema/openapi.json")).json()
    assert not [path for path in document["paths"] if path.startswith("/staff")]


async def test_a_role_sees_only_its_pages_and_is_refused_the_others(sign_in, browser):
    await sign_in("department")
    home = await browser.get("/staff/")
    assert 'href="/staff/intake"' not in home.text
    refused = await browser.get("/staff/intake")
    assert refused.status_code == 403
    assert "Not for your role" in refused.text and "operator" in refused.text


async def test_an_operator_and_an_admin_see_the_intake(sign_in, browser, make_staff):
    await sign_in("operator")
    home = await browser.get("/staff/")
    assert 'href="/staff/intake"' in home.text
    assert (await browser.get("/staff/intake")).status_code == 200


async def test_the_stylesheet_is_served(browser):
    answer = await browser.get("/staff/static/console.css")
    assert answer.status_code == 200 and "text/css" in answer.headers["content-type"]
