"""The console's request page: a department crew and a supervisor work a request through its page
with the same rules as the staff API — a status change with public and internal notes (the public
history shows only the public one), notes, work orders, duplicates — and every role sees only the
forms its staff API routes let it use, while the routes refuse the others anyway."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.channels.console.conftest import PASSWORD, csrf_of
from tests.factories import pothole

_ACTION = re.compile(r'<form method="post" action="([^"]+)"')


@pytest.fixture
async def staff_browser(console_app, services):
    """staff_browser(role, username, department_of=service code) -> a signed-in client of its
    own (its own cookies), as one member of staff's browser."""
    opened: list[httpx.AsyncClient] = []

    async def make(role: str, username: str, department_of: str | None = None):
        departments = []
        if department_of:
            row = await services.reader.fetchrow(
                "SELECT d.slug FROM department d JOIN service_type st ON st.department = d.id "
                "WHERE st.code = $1",
                department_of,
            )
            departments = [row["slug"]]
        await services.staff.create_user(username, PASSWORD, role, departments)
        transport = httpx.ASGITransport(app=console_app)  # type: ignore[arg-type]
        client = httpx.AsyncClient(transport=transport, base_url="http://testserver.local")
        opened.append(client)
        login = await client.get("/staff/login")
        answer = await client.post(
            "/staff/login",
            data={"username": username, "password": PASSWORD, "_csrf_token": csrf_of(login.text)},
        )
        assert answer.status_code == 303, answer.text
        return client

    yield make
    for client in opened:
        await client.aclose()


async def submit(client: httpx.AsyncClient, page: str, action: str, data: dict) -> httpx.Response:
    opened = await client.get(page)
    assert opened.status_code == 200, opened.text
    return await client.post(action, data={**data, "_csrf_token": csrf_of(opened.text)})


def forms(html: str) -> set[str]:
    """Where the page's forms post to (the sign-out form left out)."""
    return {a.rsplit("/", 1)[-1] for a in _ACTION.findall(html) if not a.endswith("/logout")}


async def new_request(services, **changes) -> str:
    result = await services.requests.submit(pothole(**changes))
    return result.request.tracking_number


async def test_a_crew_changes_the_status_with_a_public_and_an_internal_note(
    services, staff_browser
):
    crew = await staff_browser("department", "cdot-crew", department_of="PHF")
    tn = await new_request(services)
    page = f"/staff/requests/{tn}"
    opened = await crew.get(page)
    assert opened.status_code == 200
    assert forms(opened.text) == {"status", "notes", str(await _work_order_id(services, tn))}
    # department staff close a request by finishing its work: no closing status is offered
    offered = re.findall(
        r'<option value="([a-z_]+)"', opened.text.split('id="to"')[1].split("</select>")[0]
    )
    assert offered == ["in_progress", "open"]

    answer = await submit(
        crew,
        page,
        f"{page}/status",
        {
            "from": "submitted",
            "to": "in_progress",
            "reason_code": "",
            "public_note": "A crew is on the way.",
            "internal_note": "Truck 14, after the Fullerton job.",
        },
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{page}?done=status"
    shown = await crew.get(answer.headers["location"])
    assert "Status changed." in shown.text and 'data-status="in_progress"' in shown.text
    assert "A crew is on the way." in shown.text and "Truck 14" in shown.text

    view = await services.requests.get(tn)
    assert view.status == "in_progress" and view.latest_public_note == "A crew is on the way."
    public = await services.requests.history(tn, public_only=True)
    notes = " ".join(e.note or "" for e in public)
    assert "A crew is on the way." in notes and "Truck 14" not in notes
    internal = [e for e in await services.requests.history(tn, public_only=False) if not e.public]
    assert [e.note for e in internal] == ["Truck 14, after the Fullerton job."]


async def _work_order_id(services, tn: str) -> int:
    [work] = await services.requests.work_orders(tn)
    return work.id


async def test_each_role_sees_the_forms_its_staff_api_routes_allow(services, staff_browser):
    tn = await new_request(services)
    work_id = str(await _work_order_id(services, tn))
    page = f"/staff/requests/{tn}"
    expected = {
        "operator": {"notes"},
        "department": {"status", "notes", work_id},
        "supervisor": {"status", "notes", work_id, "duplicate"},
        "admin": {"status", "notes", work_id, "duplicate"},
    }
    for role, seen in expected.items():
        client = await staff_browser(role, f"{role}-1", "PHF" if role == "department" else None)
        opened = await client.get(page)
        assert opened.status_code == 200, role
        assert forms(opened.text) == seen, role
    # a crew of another department reads the request but acts on nothing of it
    other = await staff_browser("department", "streets-crew", department_of="SCB")
    opened = await other.get(page)
    assert opened.status_code == 200 and forms(opened.text) == set()


async def test_the_routes_refuse_what_the_page_does_not_offer(services, staff_browser):
    tn = await new_request(services)
    page = f"/staff/requests/{tn}"
    operator = await staff_browser("operator", "olga")
    refused = await submit(operator, page, f"{page}/status", {"to": "in_progress"})
    assert refused.status_code == 403 and "cannot open this page" in refused.text
    other = await staff_browser("department", "streets-crew", department_of="SCB")
    refused = await submit(other, page, f"{page}/status", {"to": "in_progress"})
    assert refused.status_code == 403
    assert "belongs to a department you do not work for" in refused.text
    crew = await staff_browser("department", "cdot-crew", department_of="PHF")
    refused = await submit(crew, page, f"{page}/status", {"to": "completed", "reason_code": "x"})
    assert refused.status_code == 403 and "finishing its work orders" in refused.text
    refused = await submit(crew, page, f"{page}/duplicate", {"original": tn})
    assert refused.status_code == 403
    assert (await services.requests.get(tn)).status == "submitted"


async def test_a_refused_change_shows_the_page_again_with_why_and_what_was_typed(
    services, staff_browser
):
    supervisor = await staff_browser("supervisor", "sam")
    tn = await new_request(services)
    page = f"/staff/requests/{tn}"
    answer = await submit(
        supervisor, page, f"{page}/status", {"to": "completed", "public_note": "Fixed it."}
    )
    assert answer.status_code == 422
    assert "closing a request needs a reasonCode" in answer.text
    assert 'role="alert"' in answer.text and "Fixed it.</textarea>" in answer.text
    too_long = await submit(
        supervisor, page, f"{page}/status", {"to": "open", "reason_code": "r" * 41}
    )
    assert too_long.status_code == 422
    assert "Reason code: Expected `str` of length &lt;= 40" in too_long.text
    # what the page showed has changed meanwhile: a 409, not overwritten
    await services.requests.staff_transition(
        tn, "open", actor=_actor(), expected_status="submitted"
    )
    stale = await submit(
        supervisor, page, f"{page}/status", {"from": "submitted", "to": "in_progress"}
    )
    assert stale.status_code == 409 and "changed it meanwhile" in stale.text
    assert (await services.requests.get(tn)).status == "open"


def _actor():
    from backend.service_requests.audit import Actor

    return Actor.staff(1, None)


async def test_a_crew_works_the_work_order_to_completion(services, staff_browser):
    crew = await staff_browser("department", "cdot-crew", department_of="PHF")
    tn = await new_request(services)
    work_id = await _work_order_id(services, tn)
    page = f"/staff/requests/{tn}"
    form = {"tracking_number": tn, "status": "in_progress", "assignee": "me", "note": ""}
    started = await submit(crew, page, f"/staff/work-orders/{work_id}", form)
    assert started.status_code == 303 and started.headers["location"] == f"{page}?done=work"
    [work] = await services.requests.work_orders(tn)
    assert work.status == "in_progress" and work.assignee == "cdot-crew"
    assert (await services.requests.get(tn)).status == "in_progress"
    form = {"tracking_number": tn, "status": "done", "note": "Patched with hot asphalt."}
    finished = await submit(crew, page, f"/staff/work-orders/{work_id}", form)
    assert finished.status_code == 303
    view = await services.requests.get(tn)
    assert view.status == "completed" and view.latest_public_note == "Patched with hot asphalt."
    # a supervisor reads the work order's changes (the audit trail is theirs)
    supervisor = await staff_browser("supervisor", "sam")
    shown = (await supervisor.get(page)).text
    assert "Its changes (2)" in shown and "Patched with hot asphalt." in shown
    assert "Its changes" not in (await crew.get(page)).text
    # a work order named with another request's number is not found
    other = await new_request(services)
    wrong = await submit(crew, page, f"/staff/work-orders/{work_id}", {"tracking_number": other})
    assert wrong.status_code == 404


async def test_a_supervisor_marks_and_unmarks_a_duplicate(services, staff_browser):
    supervisor = await staff_browser("supervisor", "sam")
    original = await new_request(services)
    tn = await new_request(services)
    page = f"/staff/requests/{tn}"
    # the open requests of its type nearby are offered as the original, a button each
    offered = (await supervisor.get(page)).text
    assert f"Mark a duplicate of {original}</button>" in offered
    itself = await submit(supervisor, page, f"{page}/duplicate", {"original": tn})
    assert itself.status_code == 422 and "cannot duplicate itself" in itself.text
    marked = await submit(
        supervisor, page, f"{page}/duplicate", {"original": original, "note": "same hole"}
    )
    assert marked.status_code == 303
    view = await services.requests.get(tn)
    assert view.status == "duplicate" and view.duplicate_of == original
    shown = (await supervisor.get(marked.headers["location"])).text
    assert f'href="/staff/requests/{original}"' in shown and "not-duplicate" in shown
    unmarked = await submit(supervisor, page, f"{page}/not-duplicate", {})
    assert unmarked.status_code == 303
    assert (await services.requests.get(tn)).status == "reopened"


async def test_an_unknown_request_is_a_404_page(staff_browser):
    operator = await staff_browser("operator", "olga")
    missing = await operator.get("/staff/requests/SR26-99999999")
    assert missing.status_code == 404 and "<html" in missing.text
    found = await operator.get("/staff/requests?tracking_number=SR26-99999999")
    assert found.status_code == 303
    assert found.headers["location"] == "/staff/requests/SR26-99999999"
    # whatever is typed stays inside the page's path (quoted: no header of its own)
    typed = {"tracking_number": "x\r\nSet-Cookie: a=b/../?"}
    odd = await operator.get("/staff/requests", params=typed)
    assert odd.status_code == 303
    assert odd.headers["location"] == "/staff/requests/x%0D%0ASet-Cookie%3A%20a%3Db%2F..%2F%3F"
