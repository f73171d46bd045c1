"""Staff API: login, /me, wrong passwords, lockout, refresh rotation, logout, expired tokens, and
resident device tokens refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backend.identity.staff_tokens import StaffTokens
from tests.channels.staff.conftest import PASSWORD, bearer

API = "/api/staff/v1"


async def _create(services, username="ops1", role="operator", departments=()):
    return await services.staff.create_user(username, PASSWORD, role, list(departments))


async def _login(client, username="ops1", password=PASSWORD):
    return await client.post(f"{API}/auth/login", json={"username": username, "password": password})


def _is_problem(response, status: int, slug: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"] == f"urn:city311:problem:{slug}" and body["status"] == status
    return body


async def test_login_gives_tokens_that_open_me(client, services):
    slug = await services.reader.fetchrow("SELECT slug, name FROM department ORDER BY slug")
    user = await _create(services, "dept1", "department", [slug["slug"]])
    response = await _login(client, "Dept1")
    assert response.status_code == 200, response.text
    tokens = response.json()
    assert set(tokens) == {"accessToken", "refreshToken", "expiresIn"}
    assert tokens["expiresIn"] == 15 * 60
    me = await client.get(f"{API}/me", headers=bearer(tokens["accessToken"]))
    assert me.status_code == 200, me.text
    body = me.json()
    assert (body["id"], body["username"], body["role"]) == (user.id, "dept1", "department")
    assert [(d["slug"], d["name"]) for d in body["departments"]] == [(slug["slug"], slug["name"])]


async def test_a_wrong_password_or_unknown_user_is_a_401_problem(client, services):
    await _create(services)
    wrong = _is_problem(await _login(client, password="not the password"), 401, "unauthorized")
    unknown = _is_problem(await _login(client, "nobody"), 401, "unauthorized")
    assert wrong["detail"] == unknown["detail"] == "wrong username or password"
    assert wrong["errors"] == [{"field": "password", "message": "wrong username or password"}]


async def test_a_login_body_that_breaks_a_rule_names_the_field(client, services):
    response = await client.post(f"{API}/auth/login", json={"username": "ops1"})
    body = _is_problem(response, 422, "invalid-input")
    assert body["errors"][0]["field"] == "password"
    response = await client.post(
        f"{API}/auth/login", content=b"{", headers={"content-type": "application/json"}
    )
    _is_problem(response, 400, "malformed-request")


async def test_repeated_failures_lock_the_account_with_retry_after(client, services):
    await _create(services)
    for _ in range(5):
        _is_problem(await _login(client, password="not the password"), 401, "unauthorized")
    locked = await _login(client)
    body = _is_problem(locked, 429, "rate-limited")
    assert 14 * 60 < int(locked.headers["retry-after"]) <= 15 * 60
    assert "too many failed logins" in body["detail"]
    assert body["errors"][0]["field"] == "username"


async def test_an_unknown_username_is_locked_out_like_an_account(client, services):
    """Side by side, attempt by attempt: an account and a name nobody has get the same statuses,
    bodies and Retry-After, so a login cannot tell whether a username exists."""
    await _create(services)

    for attempt in range(7):
        password = PASSWORD if attempt >= 5 else "not the password"
        known = await _login(client, "ops1", password)
        unknown = await _login(client, "nobody-here", password)
        assert known.status_code == unknown.status_code == (401 if attempt < 5 else 429)
        assert known.json() == unknown.json(), attempt
        assert set(known.headers) == set(unknown.headers)
        if attempt >= 5:  # the wait counts down between the two calls: seconds apart at most
            waits = [int(r.headers["retry-after"]) for r in (known, unknown)]
            assert abs(waits[0] - waits[1]) <= 5 and min(waits) > 14 * 60


async def test_refresh_rotates_and_the_old_token_is_refused(client, services):
    await _create(services)
    first = (await _login(client)).json()
    response = await client.post(
        f"{API}/auth/refresh", json={"refreshToken": first["refreshToken"]}
    )
    assert response.status_code == 200, response.text
    second = response.json()
    assert second["refreshToken"] != first["refreshToken"]
    assert (await client.get(f"{API}/me", headers=bearer(second["accessToken"]))).status_code == 200
    again = await client.post(f"{API}/auth/refresh", json={"refreshToken": first["refreshToken"]})
    body = _is_problem(again, 401, "unauthorized")
    assert body["errors"][0]["field"] == "refreshToken"


async def test_logout_revokes_the_refresh_token(client, services):
    await _create(services)
    tokens = (await _login(client)).json()
    out = await client.post(f"{API}/auth/logout", json={"refreshToken": tokens["refreshToken"]})
    assert out.status_code == 200 and out.json() == {"loggedOut": True}
    again = await client.post(f"{API}/auth/logout", json={"refreshToken": tokens["refreshToken"]})
    assert again.json() == {"loggedOut": False}
    refused = await client.post(
        f"{API}/auth/refresh", json={"refreshToken": tokens["refreshToken"]}
    )
    _is_problem(refused, 401, "unauthorized")


async def test_an_expired_access_token_is_a_401(client, services, settings):
    user = await _create(services)
    principal = await services.staff.principal(user.id)
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    past = StaffTokens(
        settings.secret_key,
        services.reader,
        services.writer,
        services.staff,
        clock=lambda: an_hour_ago,
    )
    response = await client.get(f"{API}/me", headers=bearer(past.access_token(principal)))
    body = _is_problem(response, 401, "unauthorized")
    assert "expired" in body["detail"]


async def test_a_disabled_accounts_token_is_refused_at_once(client, services, make_staff):
    _, token = await make_staff("supervisor", "sup1")
    assert (await client.get(f"{API}/me", headers=bearer(token))).status_code == 200
    await services.staff.disable_user("sup1")
    _is_problem(await client.get(f"{API}/me", headers=bearer(token)), 401, "unauthorized")
    _is_problem(await _login(client, "sup1"), 401, "unauthorized")


async def test_a_resident_device_token_never_reaches_a_staff_route(client):
    device = await client.post("/api/v1/devices", json={"platform": "ios"})
    token = device.json()["token"]
    body = _is_problem(await client.get(f"{API}/me", headers=bearer(token)), 401, "unauthorized")
    assert "not a staff access token" in body["detail"]
    assert body["errors"][0]["field"] == "Authorization"
    _is_problem(await client.get(f"{API}/me"), 401, "unauthorized")
