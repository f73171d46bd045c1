"""Every console page × every role, walked from the app's routes under /staff (so pages added later
are covered without a change here): anonymous visitors are sent to the sign-in page; a role the
page does not declare gets the role-refusal page (403); a declared role never does. Every page
declares its roles (staff_route(...)) or is public (the sign-in and sign-out only)."""

from __future__ import annotations

import uuid

from backend.channels.console.router import STATIC_PATH
from backend.channels.staff.guards import allowed_roles
from backend.identity.staff import StaffRole

from .conftest import PASSWORD, csrf_of

DUMMY = {int: "987654", str: "SR26-00000001", uuid.UUID: str(uuid.uuid4())}
PUBLIC_PAGES = {"/staff/login", "/staff/logout"}
REFUSED = "Not for your role"


def console_routes(app) -> list[tuple[str, str, dict]]:
    found = []
    for route in app.routes:
        if not route.path.startswith("/staff") or route.path.startswith(STATIC_PATH):
            continue
        path = route.path_format
        for name, param in route.path_parameters.items():
            path = path.replace("{" + name + "}", DUMMY.get(param.type, "1"))
        for handler in getattr(route, "route_handlers", []):
            for method in sorted(handler.http_methods - {"OPTIONS", "HEAD"}):
                found.append((method, path, handler.opt))
    return found


async def test_every_console_page_lets_in_exactly_its_roles(console_app, browser, make_staff):
    routes = console_routes(console_app)
    assert any(path == "/staff/intake" for _, path, _ in routes) and len(routes) > 10
    failures = []
    login = await browser.get("/staff/login")
    anonymous_token = csrf_of(login.text)
    for method, path, opt in routes:
        roles = allowed_roles(opt)
        if roles is None:
            if path not in PUBLIC_PAGES:
                failures.append(f"{method} {path} is public")
            continue
        answer = await browser.request(method, path, data={"_csrf_token": anonymous_token})
        if answer.status_code != 303 or "/staff/login" not in answer.headers.get("location", ""):
            failures.append(f"{method} {path} anonymous: {answer.status_code}")
    for role in StaffRole:
        await make_staff(role.value, f"{role.value}-matrix")
        browser.cookies.clear()
        opened = await browser.get("/staff/login")
        signed = await browser.post(
            "/staff/login",
            data={"username": f"{role.value}-matrix", "password": PASSWORD,
                  "_csrf_token": csrf_of(opened.text)},
        )  # fmt: skip
        assert signed.status_code == 303
        token = csrf_of((await browser.get("/staff/login")).text)
        for method, path, opt in routes:
            roles = allowed_roles(opt)
            if roles is None:
                continue
            answer = await browser.request(method, path, data={"_csrf_token": token})
            refused = answer.status_code == 403 and REFUSED in answer.text
            if role in roles and (refused or answer.status_code >= 500):
                failures.append(f"{method} {path} as {role}: {answer.status_code}")
            if role not in roles and not refused:
                failures.append(f"{method} {path} as {role}: {answer.status_code}, not refused")
    assert not failures, "\n".join(failures)
