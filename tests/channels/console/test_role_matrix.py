"""Every console page × every role, walked from the app's routes under /staff (so pages added later
are covered without a change here): anonymous visitors are sent to the sign-in page; a role the
page does not declare gets the role-refusal page (403); a declared role never does. Every page
declares its roles (staff_route(...)) or is public (the sign-in and sign-out only). And every page
lets in exactly the roles of the staff API route it stands for (MIRRORS), with the same rate-limit
bucket when it files or changes something, so a drift between the two is caught here."""

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


STAFF_API = "/api/staff/v1"
TN = "{tracking_number:str}"
# Each console page (method, path) -> the staff API route (method, path) it does what of.
MIRRORS = {
    ("GET", "/staff/intake"): ("POST", f"{STAFF_API}/requests"),
    ("POST", "/staff/intake"): ("POST", f"{STAFF_API}/requests"),
    ("POST", "/staff/intake/find"): ("POST", f"{STAFF_API}/requests"),
    ("GET", "/staff/intake/places"): ("POST", f"{STAFF_API}/requests"),
    ("GET", f"/staff/intake/filed/{TN}"): ("POST", f"{STAFF_API}/requests"),
    ("GET", "/staff/police/new"): ("POST", f"{STAFF_API}/police/reports"),
    ("POST", "/staff/police/new"): ("POST", f"{STAFF_API}/police/reports"),
    ("GET", "/staff/police"): ("GET", f"{STAFF_API}/police/reports"),
    ("GET", f"/staff/police/{TN}"): ("GET", f"{STAFF_API}/police/reports/{TN}"),
    ("POST", f"/staff/police/{TN}/rd-number"): (
        "POST", f"{STAFF_API}/police/reports/{TN}/rd-number"
    ),
    ("POST", f"/staff/police/{TN}/decline"): ("POST", f"{STAFF_API}/police/reports/{TN}/decline"),
    ("GET", "/staff/queues"): ("GET", f"{STAFF_API}/departments/{{department_id:int}}/queue"),
    ("GET", "/staff/requests"): ("GET", f"{STAFF_API}/requests"),
    ("GET", f"/staff/requests/{TN}"): ("GET", f"{STAFF_API}/requests/{TN}"),
    ("POST", f"/staff/requests/{TN}/status"): ("POST", f"{STAFF_API}/requests/{TN}/transitions"),
    ("POST", f"/staff/requests/{TN}/notes"): ("POST", f"{STAFF_API}/requests/{TN}/notes"),
    ("POST", f"/staff/requests/{TN}/duplicate"): (
        "POST", f"{STAFF_API}/requests/{TN}/duplicate-of"
    ),
    ("POST", f"/staff/requests/{TN}/not-duplicate"): (
        "DELETE", f"{STAFF_API}/requests/{TN}/duplicate-of"
    ),
    ("POST", "/staff/work-orders/{work_order_id:int}"): (
        "PATCH", f"{STAFF_API}/work-orders/{{work_order_id:int}}"
    ),
    ("GET", "/staff/callbacks"): ("GET", f"{STAFF_API}/interpreter-callbacks"),
    ("POST", "/staff/callbacks/{callback_id:int}/done"): (
        "POST", f"{STAFF_API}/interpreter-callbacks/{{callback_id:int}}/done"
    ),
}  # fmt: skip
# Pages with no staff API route of their own: the home page, and the public city information
# (the app API's, for everyone signed in).
OWN = {("GET", "/staff"), ("GET", "/staff/lookup"), ("GET", "/staff/where")}
NOT_COUNTED = {("POST", "/staff/intake/find")}  # finds an address, files nothing


def _handlers(app, prefix: str) -> dict[tuple[str, str], dict]:
    found = {}
    for route in app.routes:
        if not route.path.startswith(prefix) or route.path.startswith(STATIC_PATH):
            continue
        for handler in getattr(route, "route_handlers", []):
            for method in handler.http_methods - {"OPTIONS", "HEAD"}:
                found[(method, route.path)] = handler.opt
    return found


def test_every_console_page_lets_in_the_roles_of_the_staff_api_route_it_mirrors(console_app):
    pages = _handlers(console_app, "/staff")
    api = _handlers(console_app, STAFF_API)
    failures = []
    for key, opt in sorted(pages.items()):
        if allowed_roles(opt) is None or key in OWN:
            continue
        if key not in MIRRORS:
            failures.append(f"{key}: add the staff API route it mirrors to MIRRORS (or to OWN)")
            continue
        mirrored = MIRRORS[key]
        if mirrored not in api:
            failures.append(f"{key}: {mirrored} is not a staff API route")
            continue
        ours, theirs = set(allowed_roles(opt) or ()), set(allowed_roles(api[mirrored]) or ())
        if ours != theirs:
            failures.append(f"{key}: roles {sorted(ours)} but {mirrored} has {sorted(theirs)}")
        if key[0] != "GET" and key not in NOT_COUNTED:
            bucket, api_bucket = opt.get("rate_limit"), api[mirrored].get("rate_limit")
            if bucket != api_bucket:
                failures.append(f"{key}: rate limit {bucket!r}, {mirrored} has {api_bucket!r}")
    assert not failures, "\n".join(failures)
    assert pages[("POST", "/staff/intake")]["rate_limit"] == "intake"
    assert not set(MIRRORS) - set(pages), "MIRRORS names pages that are gone"
