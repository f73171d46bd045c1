"""Staff API: every route × every role. Walks all routes under /api/staff/v1 (so routes added later
are covered without a change here): no token and a resident device token get 401; a staff token
gets the guard's 403 (naming the field `role`) exactly when its role is not among the route's
`opt["roles"]`; an allowed role may still meet a handler's own 403 (another department's queue),
404 or 422 with the dummy path values. Public routes are skipped.
The same walk runs on a probe router built like the staff router, whose routes refuse some roles."""

from __future__ import annotations

import datetime
import uuid

import httpx
import pytest
from litestar import Litestar, Router, get, post

from backend.app import create_app
from backend.channels.app_api.errors import app_api_error_handler
from backend.channels.problems import EXCEPTION_HANDLERS
from backend.channels.staff.guards import (
    GUARDS,
    ROLE_FIELD,
    STAFF_DEPENDENCIES,
    allowed_roles,
    staff_route,
)
from backend.errors import DomainError, Forbidden
from backend.identity.staff import StaffPrincipal, StaffRole
from tests.channels.staff.conftest import bearer

PREFIX = "/api/staff/v1"
DUMMY = {int: "987654", str: "x", uuid.UUID: str(uuid.uuid4()), datetime.date: "2026-01-01"}


def staff_routes(app: Litestar) -> list[tuple[str, str, dict]]:
    """(method, a concrete path, opt) of every staff route of the app."""
    found = []
    for route in app.routes:
        if not route.path.startswith(PREFIX):
            continue
        path = route.path_format
        for name, param in route.path_parameters.items():
            path = path.replace("{" + name + "}", DUMMY.get(param.type, "1"))
        for handler in getattr(route, "route_handlers", []):
            for method in sorted(handler.http_methods - {"OPTIONS"}):
                found.append((method, path, handler.opt))
    return found


async def _call(client, method: str, path: str, headers: dict[str, str]):
    body = b"{}" if method in ("POST", "PUT", "PATCH") else None
    return await client.request(
        method, path, content=body, headers={"content-type": "application/json", **headers}
    )


def _role_refusal(response) -> bool:
    """The guard's 403: a problem whose errors name the field `role`."""
    if response.status_code != 403:
        return False
    body = response.json()
    return body.get("status") == 403 and [e["field"] for e in body.get("errors", [])] == [
        ROLE_FIELD
    ]


async def walk(app: Litestar, client, tokens: dict[StaffRole, str], device: str) -> list[str]:
    """What breaks the rule, one line each (nothing when every route keeps it)."""
    failures = []
    for method, path, opt in staff_routes(app):
        where = f"{method} {path}"
        if "roles" not in opt and not opt.get("public"):
            failures.append(f"{where} declares neither opt=staff_route(...) nor PUBLIC")
        roles = allowed_roles(opt)
        if roles is None:
            continue
        for label, headers in (("no token", {}), ("a device token", bearer(device))):
            response = await _call(client, method, path, headers)
            if response.status_code != 401 or response.json().get("status") != 401:
                failures.append(f"{where} with {label}: {response.status_code}, not 401")
        for role, token in tokens.items():
            response = await _call(client, method, path, bearer(token))
            refused = _role_refusal(response)
            if role in roles and (response.status_code == 401 or refused):
                failures.append(f"{where} as {role}: {response.status_code}, but it is allowed")
            if role not in roles and not refused:
                failures.append(f"{where} as {role}: {response.status_code}, not the role's 403")
    return failures


@pytest.fixture
async def tokens(make_staff):
    return {role: (await make_staff(role.value))[1] for role in StaffRole}


@pytest.fixture
async def device(client):
    return (await client.post("/api/v1/devices", json={})).json()["token"]


async def test_every_staff_route_lets_in_exactly_its_roles(client, settings, tokens, device):
    app = create_app(settings, scheduler=False)
    assert any(path == f"{PREFIX}/me" for _, path, _ in staff_routes(app))
    failures = await walk(app, client, tokens, device)
    assert not failures, "\n".join(failures)


@get("/probe/items/{item:int}", opt=staff_route(StaffRole.SUPERVISOR))
async def supervisors_only(item: int, staff: StaffPrincipal) -> dict:
    return {"item": item, "who": staff.username, "role": staff.role, "ip": staff.ip}


@post("/probe/intake", opt=staff_route(StaffRole.OPERATOR, StaffRole.DEPARTMENT), status_code=200)
async def operators_and_departments(staff: StaffPrincipal) -> dict:
    return {"who": staff.username}


@get("/probe/departments/{department_id:int}", opt=staff_route(StaffRole.DEPARTMENT))
async def own_check(department_id: int, staff: StaffPrincipal) -> dict:
    if department_id not in staff.department_ids and staff.role != StaffRole.ADMIN:
        raise Forbidden.for_field("departmentId", "you do not work for this department")
    return {}


@get("/probe/undeclared")
async def undeclared() -> dict:
    return {}


def probe_app(services, *handlers) -> Litestar:
    """A router set up like the staff router (its guard, dependency and error handler)."""
    router = Router(
        path=PREFIX,
        route_handlers=list(handlers),
        guards=GUARDS,
        dependencies=STAFF_DEPENDENCIES,
        exception_handlers={DomainError: app_api_error_handler},
    )
    app = Litestar(route_handlers=[router], exception_handlers=EXCEPTION_HANDLERS)  # type: ignore[arg-type]
    app.state.services = services
    return app


async def test_the_guard_refuses_roles_a_route_does_not_let_in(services, tokens, device):
    app = probe_app(services, supervisors_only, operators_and_departments, own_check)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 5000))  # type: ignore[arg-type]  # Litestar's ASGI types are not httpx's
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as c:
        assert await walk(app, c, tokens, device) == []
        seen = await c.get(f"{PREFIX}/probe/items/7", headers=bearer(tokens[StaffRole.SUPERVISOR]))
        assert seen.json() == {
            "item": 7,
            "who": "supervisor-user",
            "role": "supervisor",
            "ip": "203.0.113.9",
        }
        refused = await c.get(f"{PREFIX}/probe/items/7", headers=bearer(tokens[StaffRole.OPERATOR]))
        assert refused.status_code == 403
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert "needs one of: supervisor, admin" in refused.json()["detail"]
        # a handler's own refusal of an allowed role is not the guard's (the walk above let it by)
        own = await c.get(
            f"{PREFIX}/probe/departments/0", headers=bearer(tokens[StaffRole.DEPARTMENT])
        )
        assert own.status_code == 403 and own.json()["errors"][0]["field"] == "departmentId"


async def test_a_route_that_declares_no_roles_is_for_admins_only(services, tokens, device):
    app = probe_app(services, undeclared)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]  # Litestar's ASGI types are not httpx's
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as c:
        assert await walk(app, c, tokens, device) == [
            f"GET {PREFIX}/probe/undeclared declares neither opt=staff_route(...) nor PUBLIC"
        ]
        for role, token in tokens.items():
            response = await c.get(f"{PREFIX}/probe/undeclared", headers=bearer(token))
            assert response.status_code == (200 if role == StaffRole.ADMIN else 403)


@pytest.mark.parametrize(
    "opt, expected",
    [
        ({"public": True}, None),
        ({"roles": (StaffRole.OPERATOR, StaffRole.ADMIN)}, (StaffRole.OPERATOR, StaffRole.ADMIN)),
        ({}, (StaffRole.ADMIN,)),
    ],
)
def test_allowed_roles_reads_a_routes_opt(opt, expected):
    assert allowed_roles(opt) == expected


def test_staff_route_always_lets_admins_in():
    assert staff_route(StaffRole.OPERATOR) == {"roles": (StaffRole.OPERATOR, StaffRole.ADMIN)}
    by_name = staff_route("supervisor", "admin")  # type: ignore[arg-type]  # as strings too
    assert by_name == {"roles": (StaffRole.SUPERVISOR, StaffRole.ADMIN)}
