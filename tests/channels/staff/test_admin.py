"""The back office at /admin: Piccolo Admin for reference data only, behind the staff login."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from backend.channels.admin import ACCESS_COOKIE, REFRESH_COOKIE, BackOffice

from .conftest import PASSWORD, bearer

REFERENCE_TABLES = {
    "department",
    "service_type",
    "service_question",
    "staff_user",
    "staff_department",
    "info_article",
}
# every table of the request workflow, the outbox and the SMS channel: none may be in the admin
WORKFLOW_TABLES = {
    "service_request",
    "request_event",
    "photo",
    "subscription",
    "idempotency_record",
    "tracking_sequence",
    "work_order",
    "audit_event",
    "notification",
    "push_subscription",
    "device",
    "staff_session",
    "api_key",
    "sms_conversation",
    "sms_consent",
    "sms_message",
    "sms_delivery",
    "sms_draft_photo",
}


@pytest.fixture
async def browser(client):
    """A client of the same app with its own cookie jar (the shared client's stays clean)."""
    async with httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url)) as c:
        yield c


async def login(browser: httpx.AsyncClient, username: str, password: str = PASSWORD):
    """What the admin's UI does: load the page (CSRF cookie), then post the login form."""
    page = await browser.get("/admin/")
    assert page.status_code == 200
    return await browser.post(
        "/admin/public/login/",
        json={"username": username, "password": password},
        headers={"X-CSRFToken": browser.cookies["csrftoken"]},
    )


def csrf(browser: httpx.AsyncClient) -> dict[str, str]:
    return {"X-CSRFToken": browser.cookies["csrftoken"]}


def api(token: str) -> dict[str, str]:
    """A script's headers: the bearer token, and a CSRF cookie with its header (piccolo_api checks
    them on every write, whatever the credentials)."""
    return {**bearer(token), "X-CSRFToken": "script", "Cookie": "csrftoken=script"}


# -- (a) what is registered --------------------------------------------------------------------


def test_only_reference_tables_are_registered(settings):
    names = set(BackOffice(settings).table_names())
    assert names == REFERENCE_TABLES
    assert not names & WORKFLOW_TABLES
    assert not any(name.startswith("sms_") for name in names)


async def test_the_running_admin_lists_only_reference_tables(client, make_staff):
    _, token = await make_staff("admin")
    r = await client.get("/admin/api/tables/", headers=bearer(token))
    assert r.status_code == 200
    assert set(r.json()) == REFERENCE_TABLES
    for table in sorted(WORKFLOW_TABLES):
        r = await client.get(f"/admin/api/tables/{table}/", headers=bearer(token))
        assert r.status_code == 404, table


# -- (b) no credentials ------------------------------------------------------------------------


async def test_without_credentials_no_table_data(client):
    for path in ("/admin/api/tables/", "/admin/api/tables/department/", "/admin/api/user/"):
        r = await client.get(path)
        assert r.status_code == 401, path
        assert "name" not in r.text
    # the page and its assets are public (the UI shows its login form), and work offline
    page = await client.get("/admin/")
    assert page.status_code == 200 and "Piccolo Admin" in page.text
    assert "http" not in page.text.replace("http-equiv", "")
    asset = page.text.split('src="./', 1)[1].split('"', 1)[0]
    assert (await client.get(f"/admin/{asset}")).status_code == 200
    assert (await client.get("/admin", follow_redirects=False)).headers["location"] == "/admin/"


async def test_forged_expired_or_resident_tokens_are_refused(client, services, make_staff):
    user_id, token = await make_staff("admin")
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    for header in (f"Bearer {forged}", "Bearer not-a-jwt", "Basic YWRtaW46YWRtaW4=", "Bearer "):
        r = await client.get("/admin/api/tables/department/", headers={"Authorization": header})
        assert r.status_code == 401, header
    await services.staff.disable_user("admin-user")
    r = await client.get("/admin/api/tables/department/", headers=bearer(token))
    assert r.status_code == 401


async def test_piccolo_session_auth_and_docs_are_gone(client, make_staff):
    """piccolo_api's own login (BaseUser), change-password and CDN-loaded Swagger pages."""
    _, token = await make_staff("admin")
    for path in (
        "/admin/api/change-password/",
        "/admin/api/mfa-setup/",
        "/admin/api/docs/",
        "/admin/api/openapi.json",
        "/admin/public/docs/",
        "/admin/public/openapi.json",
        "/admin/public/login/sub/",
        "/admin/openapi.json",
    ):
        r = await client.get(path, headers=bearer(token))
        assert r.status_code == 404, path
    r = await client.post("/admin/api/change-password/", headers=api(token))
    assert r.status_code in (404, 405)


# -- (c) other roles ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["operator", "department"])
async def test_operators_and_department_users_cannot_use_it(client, browser, make_staff, role):
    _, token = await make_staff(role)
    r = await client.get("/admin/api/tables/department/", headers=bearer(token))
    assert r.status_code == 403
    assert "name" not in r.text
    r = await login(browser, f"{role}-user")
    assert r.status_code == 403
    assert ACCESS_COOKIE not in browser.cookies and REFRESH_COOKIE not in browser.cookies
    assert (await browser.get("/admin/api/tables/department/")).status_code == 401


async def test_supervisors_may_look_but_not_change(client, make_staff):
    _, token = await make_staff("supervisor")
    r = await client.get("/admin/api/tables/department/?__page_size=5", headers=bearer(token))
    assert r.status_code == 200 and r.json()["rows"]
    department = r.json()["rows"][0]
    r = await client.patch(
        f"/admin/api/tables/department/{department['id']}/",
        json={"name": "Renamed"},
        headers=api(token),
    )
    assert r.status_code == 403
    assert "may look but not change" in r.json()["detail"]


# -- (d) admins --------------------------------------------------------------------------------


async def test_an_admin_lists_departments(client, services, make_staff):
    _, token = await make_staff("admin")
    r = await client.get("/admin/api/tables/department/?__page_size=100", headers=bearer(token))
    assert r.status_code == 200
    names = {row["name"] for row in r.json()["rows"]}
    rows = await services.reader.fetch("SELECT name FROM department")
    assert names == {row["name"] for row in rows}
    assert (await client.get("/admin/api/user/", headers=bearer(token))).json()["username"] == (
        "admin-user"
    )


async def test_the_ui_login_flow_with_cookies(browser, make_staff):
    await make_staff("admin")
    assert (await login(browser, "admin-user", "wrong password!!")).status_code == 401
    r = await login(browser, "ADMIN-user")
    assert r.status_code == 200
    assert {ACCESS_COOKIE, REFRESH_COOKIE} <= set(browser.cookies)
    assert (await browser.get("/admin/api/user/")).json()["username"] == "admin-user"
    r = await browser.get("/admin/api/tables/department/")
    assert r.status_code == 200 and r.json()["rows"]

    # the access cookie expired (the browser dropped it): the refresh cookie gets a new pair
    refresh = browser.cookies[REFRESH_COOKIE]
    browser.cookies.delete(ACCESS_COOKIE)
    r = await browser.get("/admin/api/tables/department/")
    assert r.status_code == 200
    assert browser.cookies[REFRESH_COOKIE] != refresh
    assert ACCESS_COOKIE in browser.cookies

    # writes need the CSRF header
    department = r.json()["rows"][0]
    url = f"/admin/api/tables/department/{department['id']}/"
    assert (await browser.patch(url, json={"name": "X"})).status_code == 403

    r = await browser.post("/admin/public/logout/", headers=csrf(browser))
    assert r.status_code == 200
    assert ACCESS_COOKIE not in browser.cookies and REFRESH_COOKIE not in browser.cookies
    assert (await browser.get("/admin/api/tables/department/")).status_code == 401


async def test_login_needs_the_csrf_cookie(browser, make_staff):
    await make_staff("admin")
    r = await browser.post(
        "/admin/public/login/", json={"username": "admin-user", "password": PASSWORD}
    )
    assert r.status_code == 403
    assert ACCESS_COOKIE not in browser.cookies


# -- what the admin may change ------------------------------------------------------------------


async def test_staff_accounts_without_password_hashes(client, services, make_staff):
    user_id, token = await make_staff("admin")
    r = await client.get("/admin/api/tables/staff_user/", headers=bearer(token))
    assert r.status_code == 200
    assert "password" not in r.text and "$argon2" not in r.text
    r = await client.get(f"/admin/api/tables/staff_user/{user_id}/", headers=bearer(token))
    assert r.status_code == 200 and "password" not in r.text
    schema = await client.get("/admin/api/tables/staff_user/schema/", headers=bearer(token))
    assert "password" not in schema.text

    url = f"/admin/api/tables/staff_user/{user_id}/"
    r = await client.patch(url, json={"password_hash": "plain"}, headers=api(token))
    assert r.status_code == 400
    r = await client.post(
        "/admin/api/tables/staff_user/",
        json={"username": "x-user", "role": "admin", "created_at": "2026-01-01T00:00:00Z"},
        headers=api(token),
    )
    assert r.status_code == 405
    assert (await client.delete(url, headers=api(token))).status_code == 405
    assert (await client.patch(url, json={"role": "king"}, headers=api(token))).status_code == 422
    r = await client.patch(url, json={"username": "someone-else"}, headers=api(token))
    assert r.status_code == 422

    # an operator made supervisor; the password still works
    operator_id, _ = await make_staff("operator")
    url = f"/admin/api/tables/staff_user/{operator_id}/"
    r = await client.patch(url, json={"role": "supervisor"}, headers=api(token))
    assert r.status_code == 200, r.text
    principal = await services.staff.authenticate("operator-user", PASSWORD)
    assert principal.role == "supervisor"


async def test_catalog_rows_are_checked_and_never_deleted(client, services, make_staff):
    _, token = await make_staff("admin")
    auth = api(token)
    row = await services.reader.fetchrow(
        "SELECT id, checklist FROM service_type WHERE code = 'PHF'"
    )
    url = f"/admin/api/tables/service_type/{row['id']}/"

    # deleting a type would cascade to its requests
    assert (await client.delete(url, headers=auth)).status_code == 405
    department = await services.reader.fetchrow("SELECT id FROM department ORDER BY id")
    r = await client.delete(f"/admin/api/tables/department/{department['id']}/", headers=auth)
    assert r.status_code == 405
    assert (await client.delete("/admin/api/tables/service_type/", headers=auth)).status_code == 405
    assert (await client.put(url, json={"sla_days": 3}, headers=auth)).status_code == 405

    checklist = [{"id": "where", "text": "Ask where the pothole is"}]
    r = await client.patch(
        url, json={"sla_days": 3, "checklist": json.dumps(checklist)}, headers=auth
    )
    assert r.status_code == 200, r.text
    stored = await services.reader.fetchrow(
        "SELECT sla_days, checklist FROM service_type WHERE id = $1", row["id"]
    )
    assert stored["sla_days"] == 3
    assert json.loads(stored["checklist"]) == checklist

    for bad in (
        {"sla_days": -1},
        {"checklist": "not json"},
        {"checklist": json.dumps([{"id": "Bad Id", "text": "x"}])},
        {"code": "lower"},
    ):
        r = await client.patch(url, json=bad, headers=auth)
        assert r.status_code == 422, bad
    question = await services.reader.fetchrow(
        "SELECT id FROM service_question WHERE datatype = 'singlevaluelist' ORDER BY id"
    )
    r = await client.patch(
        f"/admin/api/tables/service_question/{question['id']}/",
        json={"choices": "[]"},
        headers=auth,
    )
    assert r.status_code == 422


async def test_concurrent_calls_share_one_refresh(browser, make_staff):
    await make_staff("admin")
    assert (await login(browser, "admin-user")).status_code == 200
    browser.cookies.delete(ACCESS_COOKIE)
    paths = ["/admin/api/user/", "/admin/api/tables/", "/admin/api/tables/department/"]
    responses = await asyncio.gather(*(browser.get(path) for path in paths))
    assert [r.status_code for r in responses] == [200, 200, 200]


async def test_a_session_ends_when_its_account_loses_the_role(browser, make_staff):
    user_id, _ = await make_staff("admin")
    assert (await login(browser, "admin-user")).status_code == 200
    r = await browser.patch(
        f"/admin/api/tables/staff_user/{user_id}/", json={"role": "operator"}, headers=csrf(browser)
    )
    assert r.status_code == 200, r.text
    browser.cookies.delete(ACCESS_COOKIE)  # expired: the refresh re-reads the role
    r = await browser.get("/admin/api/tables/department/")
    assert r.status_code == 401
    assert ACCESS_COOKIE not in browser.cookies and REFRESH_COOKIE not in browser.cookies


async def test_articles_are_edited_through_the_service_with_audit(client, services, make_staff):
    """An article's PATCH is InfoService.update: checked, searchable at once, and audited with
    the admin's id; the indexed words are not writable, and nothing else is allowed."""
    from datetime import date

    from backend.info.models import ArticleData

    await services.info.create(
        ArticleData(
            slug="admin-edit",
            language="en",
            title="Dog licenses",
            sms_answer="Get a dog license from the City Clerk.",
            category="pets",
            keywords=["dog tag"],
            source_url="https://www.chicago.gov/city/en/depts/cdph.html",
            checked_on=date(2026, 12, 1),  # any date
        ),
        "test",
    )
    row = await services.reader.fetchrow(
        "SELECT id FROM info_article WHERE slug = 'admin-edit' AND language = 'en'"
    )
    user_id, token = await make_staff("admin")
    auth = api(token)
    url = f"/admin/api/tables/info_article/{row['id']}/"

    r = await client.patch(
        url, json={"title": "Dog and cat licenses", "keywords": "dog tag, kitten"}, headers=auth
    )
    assert r.status_code == 200, r.text
    article = await services.info.get("admin-edit", "en")
    assert article.title == "Dog and cat licenses"
    assert article.keywords == ["dog tag", "kitten"]
    edits = await services.info.edits("admin-edit", "en")
    assert [e.action for e in edits] == ["created", "updated"]
    assert edits[-1].actor == f"staff:{user_id}"
    assert edits[-1].changes["title"] == ["Dog licenses", "Dog and cat licenses"]
    hits = await services.info.search("kitten", "en")
    assert hits and hits[0].slug == "admin-edit"

    for bad in (
        {"title": ""},
        {"title": "nul\x00"},
        {"body": "bell\x07"},
        {"search_title": "anything"},
        {"slug": "other"},
    ):
        r = await client.patch(url, json=bad, headers=auth)
        assert 400 <= r.status_code < 500, (bad, r.status_code, r.text)
    assert len(await services.info.edits("admin-edit", "en")) == 2
    assert (await services.info.get("admin-edit", "en")).title == "Dog and cat licenses"

    assert (await client.delete(url, headers=auth)).status_code == 405
    assert (await client.put(url, json={"title": "X"}, headers=auth)).status_code == 405
    r = await client.post("/admin/api/tables/info_article/", json={"title": "X"}, headers=auth)
    assert r.status_code == 405
