"""Staff API: every write route × every role × a request whose work is the department user's own
and one whose work is another department's. A department user changes only the work of its
departments (its queue, its work orders, and the requests they belong to): another department's
is a 403 naming the request or work order, not the role. The routes are read from the app, so a
write route added later fails here until ROUTES says how to call it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest

from backend.app import create_app
from backend.channels.staff.guards import ROLE_FIELD, allowed_roles
from backend.identity.staff import StaffRole
from backend.service_requests.audit import Actor
from tests.channels.staff.conftest import PASSWORD, bearer
from tests.channels.staff.test_role_matrix import PREFIX
from tests.factories import pothole

OWN, OTHER = "PHF", "SGA"  # potholes: CDOT's work; rats: Streets and Sanitation's
ANSWERS = {"PHF": {"LOCATION": "curb_lane"}, "SGA": {"WHERE_SEEN": ["alley"]}}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass
class Target:
    tracking_number: str
    work_order_id: int
    code: str


@dataclass
class Call:
    """How to call one write route on a target: its path values and body (after `prepare`)."""

    body: Callable[[Target], dict]
    prepare: Callable[[object, Target], Awaitable[None]] | None = None
    # the route's other path values ({callback_id}), made for the call
    values: Callable[[object, Target], Awaitable[dict]] | None = None


async def _mark_duplicate(services, target: Target) -> None:
    original = await _submit(services, target.code)
    await services.requests.mark_duplicate(
        target.tracking_number, original.tracking_number, actor=Actor.staff(0, None)
    )


async def _callback(services, target: Target) -> dict:
    """An interpreter callback waiting (the language bank's queue is no department's work)."""
    queued = await services.interpreters.queue(
        "+13125550177", "Перед моим домом яма", language="ru", language_name="Russian"
    )
    return {"callback_id": queued.id}


ROUTES: dict[tuple[str, str], Call] = {
    ("POST", "/requests"): Call(
        lambda t: {
            "serviceCode": t.code,
            "lat": 41.9097,
            "long": -87.6776,
            "answers": ANSWERS[t.code],
        }
    ),
    ("POST", "/requests/{tracking_number}/transitions"): Call(lambda t: {"to": "in_progress"}),
    ("POST", "/requests/{tracking_number}/notes"): Call(lambda t: {"note": "Checked the site."}),
    ("POST", "/requests/{tracking_number}/reclassify"): Call(
        lambda t: {"serviceCode": "SGA" if t.code == "PHF" else "PHF"}
    ),
    ("POST", "/requests/{tracking_number}/move"): Call(lambda t: {"lat": 41.88, "long": -87.63}),
    ("POST", "/requests/{tracking_number}/duplicate-of"): Call(lambda t: {"original": "?"}),
    ("DELETE", "/requests/{tracking_number}/duplicate-of"): Call(lambda t: {}, _mark_duplicate),
    ("PATCH", "/work-orders/{work_order_id}"): Call(lambda t: {"status": "in_progress"}),
    ("POST", "/interpreter-callbacks/{callback_id}/done"): Call(
        lambda t: {"interpreterLanguage": "ru"}, values=_callback
    ),
}


async def _submit(services, code: str):
    result = await services.requests.submit(pothole(service_code=code, answers=ANSWERS[code]))
    return result.request


async def _target(services, code: str) -> Target:
    view = await _submit(services, code)
    [work] = await services.requests.work_orders(view.tracking_number)
    return Target(view.tracking_number, work.id, code)


def write_routes() -> list[tuple[str, str, dict]]:
    """(method, path format under the prefix, opt) of every staff write route that needs a login."""
    app = create_app(scheduler=False)
    found = []
    for route in app.routes:
        if not route.path.startswith(PREFIX):
            continue
        if route.path.startswith(f"{PREFIX}/police/"):
            continue  # police reports: ARS's own, their roles in tests/police/test_reports.py
        if route.path.startswith((f"{PREFIX}/info", f"{PREFIX}/beats/")):
            continue  # articles and beat meetings: no department's work (roles: test_role_matrix)
        for handler in getattr(route, "route_handlers", []):
            for method in sorted(handler.http_methods & WRITES):
                if allowed_roles(handler.opt) is not None:
                    path = route.path_format.removeprefix(PREFIX)
                    found.append((method, path, handler.opt))
    return found


@pytest.fixture
async def people(services):
    """Role -> auth headers; the department user works for the department owing potholes."""
    row = await services.reader.fetchrow(
        "SELECT d.slug FROM department d JOIN service_type st ON st.department = d.id "
        "WHERE st.code = $1",
        OWN,
    )
    headers = {}
    for role in StaffRole:
        departments = [row["slug"]] if role == StaffRole.DEPARTMENT else []
        user = await services.staff.create_user(f"{role}-scope", PASSWORD, role, departments)
        principal = await services.staff.principal(user.id)
        headers[role] = bearer(services.staff_tokens.access_token(principal))
    return headers


def test_every_write_route_has_a_way_to_be_called(settings):
    listed = {(method, path) for method, path, _ in write_routes()}
    assert listed, "no staff write routes found"
    missing = sorted(listed - ROUTES.keys())
    assert not missing, f"add these staff write routes to ROUTES: {missing}"
    assert not ROUTES.keys() - listed, "ROUTES names routes the app no longer has"


async def test_department_users_change_only_their_departments_work(client, services, people):
    failures = []
    for method, path, opt in write_routes():
        call = ROUTES[(method, path)]
        roles = allowed_roles(opt)
        for role, headers in people.items():
            for code in (OWN, OTHER):
                target = await _target(services, code)
                if call.prepare:
                    await call.prepare(services, target)
                body = call.body(target)
                if body.get("original") == "?":
                    body["original"] = (await _submit(services, code)).tracking_number
                values = await call.values(services, target) if call.values else {}
                url = PREFIX + path.format(
                    tracking_number=target.tracking_number,
                    work_order_id=target.work_order_id,
                    **values,
                )
                response = await client.request(method, url, json=body, headers=headers)
                where = f"{method} {path} as {role} on {'own' if code == OWN else 'other'} work"
                status = response.status_code
                fields = [e["field"] for e in response.json().get("errors", [])]
                if role not in roles:
                    expected = status == 403 and fields == [ROLE_FIELD]
                elif role == StaffRole.DEPARTMENT and code == OTHER and "{" in path:
                    expected = status == 403 and fields in (["trackingNumber"], ["workOrderId"])
                else:
                    expected = 200 <= status < 300
                if not expected:
                    failures.append(f"{where}: {status} {response.text[:200]}")
    assert not failures, "\n".join(failures)


async def test_a_department_may_not_note_or_move_another_departments_request(
    client, services, people
):
    crew = people[StaffRole.DEPARTMENT]
    rats = await _target(services, OTHER)
    before = await services.requests.staff_view(rats.tracking_number)
    note = await client.post(
        f"{PREFIX}/requests/{rats.tracking_number}/notes", json={"note": "not ours"}, headers=crew
    )
    moved = await client.post(
        f"{PREFIX}/requests/{rats.tracking_number}/transitions",
        json={"to": "in_progress"},
        headers=crew,
    )
    assert note.status_code == moved.status_code == 403
    assert "department you do not work for" in note.json()["detail"]
    after = await services.requests.staff_view(rats.tracking_number)
    assert after.request.status == before.request.status
    assert len(after.history) == len(before.history)  # nothing written


async def test_the_work_belongs_to_the_department_it_was_moved_to(client, services, people):
    """Reclassified to another department's type: its open work moved there, and so did the
    right to change it; a finished request belongs to whoever did its last work."""
    crew = people[StaffRole.DEPARTMENT]
    operator = people[StaffRole.OPERATOR]
    rats = await _target(services, OTHER)
    url = f"{PREFIX}/requests/{rats.tracking_number}"
    refused = await client.post(f"{url}/notes", json={"note": "ours?"}, headers=crew)
    assert refused.status_code == 403
    moved = await client.post(f"{url}/reclassify", json={"serviceCode": OWN}, headers=operator)
    assert moved.status_code == 200, moved.text
    assert (
        await client.post(f"{url}/notes", json={"note": "ours"}, headers=crew)
    ).status_code == 200
    [_, work] = (await services.requests.staff_view(rats.tracking_number)).work_orders
    done = await client.patch(
        f"{PREFIX}/work-orders/{work.id}", json={"status": "done"}, headers=crew
    )
    assert done.status_code == 200 and done.json()["requestStatus"] == "completed"
    reopened = await client.post(f"{url}/transitions", json={"to": "reopened"}, headers=crew)
    assert reopened.status_code == 200, reopened.text
