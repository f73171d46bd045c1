"""The staff workflow end to end: an operator takes a phone report, the department works it to
completion through its work order, the caller is told through the outbox; races, duplicates,
reclassifying, moving, internal notes and the audit trail."""

from __future__ import annotations

import asyncio

import pytest

from tests.channels.staff.conftest import PASSWORD, bearer
from tests.factories import pothole as pothole_command

API = "/api/staff/v1"
CORTLAND = "1845 W Cortland St"


@pytest.fixture
def staff(services):
    """staff(role, username, department_of=service code) -> (id, headers)."""

    async def make(role: str, username: str, department_of: str | None = None):
        departments = []
        if department_of:
            row = await services.reader.fetchrow(
                "SELECT d.slug FROM department d JOIN service_type st ON st.department = d.id "
                "WHERE st.code = $1",
                department_of,
            )
            departments = [row["slug"]]
        user = await services.staff.create_user(username, PASSWORD, role, departments)
        principal = await services.staff.principal(user.id)
        return user.id, bearer(services.staff_tokens.access_token(principal))

    return make


async def _intake(client, headers, **changes):
    payload = {
        "serviceCode": "PHF",
        "address": CORTLAND,
        "answers": {"LOCATION": "curb_lane"},
        "description": "Deep pothole by the bus stop",
        "caller": {"name": "Ada Caller", "phone": "(312) 555-0142", "email": "ada@example.com"},
        "language": "es",
        "interpreterUsed": True,
        "notifyCaller": True,
    }
    payload.update(changes)
    response = await client.post(f"{API}/requests", json=payload, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_phone_report_worked_to_completion(client, services, staff):
    _, operator = await staff("operator", "olga")
    crew_id, crew = await staff("department", "cdot-crew", department_of="PHF")
    taken = await _intake(client, operator)
    request = taken["request"]
    tn = request["trackingNumber"]
    assert request["channel"] == "phone" and request["language"] == "es"
    assert request["interpreterUsed"] is True
    assert request["caller"]["phone"] == "+13125550142"
    assert request["ward"] and request["policeDistrict"] and request["policeBeat"]
    assert len(request["checklist"]) >= 3  # the type's steps for the operator
    [work] = request["workOrders"]
    assert work["status"] == "new" and work["department"].startswith("CDOT")

    # the caller's contact never reaches the public views
    public = await client.get(f"/api/v1/requests/{tn}")
    open311 = await client.get(f"/open311/v2/requests/{tn}.json?extensions=true")
    for text in (public.text, open311.text):
        assert "555-0142" not in text and "5550142" not in text and "Ada" not in text
    assert open311.json()[0]["extended_attributes"]["channel"] == "phone"

    # the department's queue, oldest first
    queue = await client.get(f"{API}/departments/{work['departmentId']}/queue", headers=crew)
    assert queue.status_code == 200, queue.text
    assert [w["trackingNumber"] for w in queue.json()["items"]] == [tn]

    started = await client.patch(
        f"{API}/work-orders/{work['id']}",
        json={"assigneeId": crew_id, "status": "in_progress"},
        headers=crew,
    )
    assert started.status_code == 200, started.text
    assert started.json()["assignee"] == "cdot-crew"
    assert (await services.requests.get(tn)).status == "in_progress"

    done = await client.patch(
        f"{API}/work-orders/{work['id']}",
        json={"status": "done", "note": "Patched with hot asphalt."},
        headers=crew,
    )
    assert done.status_code == 200, done.text
    view = await services.requests.get(tn)
    assert view.status == "completed" and view.latest_public_note == "Patched with hot asphalt."
    empty = await client.get(f"{API}/departments/{work['departmentId']}/queue", headers=crew)
    assert empty.json()["items"] == []

    # the caller follows it by SMS, in the language the call was taken in: two updates queued
    rows = await services.reader.fetch(
        "SELECT channel, target, body FROM notification WHERE channel = 'sms' ORDER BY id"
    )
    assert [r["target"] for r in rows] == ["+13125550142", "+13125550142"]
    assert "Patched with hot asphalt." in rows[-1]["body"]

    audit = await client.get(
        f"{API}/audit?trackingNumber={tn}", headers=(await staff("supervisor", "sam"))[1]
    )
    kinds = [a["kind"] for a in audit.json()["items"]]
    assert kinds == [
        "status_changed",
        "work_order_changed",
        "status_changed",
        "work_order_changed",
        "request_created",
    ]
    assert all(a["actorKind"] == "staff" and a["ip"] for a in audit.json()["items"])


async def test_two_staff_at_once_the_second_gets_a_409(client, services, staff):
    _, operator = await staff("operator", "olga")
    _, supervisor = await staff("supervisor", "sam")
    tn = (await _intake(client, operator))["request"]["trackingNumber"]
    url = f"{API}/requests/{tn}/transitions"
    first, second = await asyncio.gather(
        client.post(
            url, json={"to": "cancelled", "reasonCode": "caller-withdrew"}, headers=supervisor
        ),
        client.post(
            url,
            json={"to": "completed", "publicNote": "Fixed", "reasonCode": "fixed"},
            headers=supervisor,
        ),
    )
    assert sorted([first.status_code, second.status_code]) == [200, 409]
    loser = first if first.status_code == 409 else second
    assert loser.json()["type"] == "urn:city311:problem:conflict"
    assert "changed it meanwhile" in loser.json()["detail"]
    # saying what it expected to move from: a 409 when that is no longer so
    stale = await client.post(url, json={"to": "reopened", "from": "submitted"}, headers=supervisor)
    assert stale.status_code == 409 and "not 'submitted'" in stale.json()["detail"]
    current = (await services.requests.get(tn)).status
    fresh = await client.post(url, json={"to": "reopened", "from": current}, headers=supervisor)
    if current == "completed":
        assert fresh.status_code == 200, fresh.text
    else:  # a cancelled request stays cancelled: the workflow says so
        assert fresh.json()["type"] == "urn:city311:problem:invalid-transition"


async def test_internal_notes_stay_inside(client, services, staff):
    _, operator = await staff("operator", "olga")
    _, supervisor = await staff("supervisor", "sam")
    tn = (await _intake(client, operator))["request"]["trackingNumber"]
    moved = await client.post(
        f"{API}/requests/{tn}/transitions",
        json={
            "to": "in_progress",
            "publicNote": "A crew is on the way.",
            "internalNote": "Caller is the alderman's cousin",
            "reasonCode": "crew-dispatched",
        },
        headers=supervisor,
    )
    assert moved.status_code == 200, moved.text
    history = moved.json()["history"]
    assert any(
        e["note"] == "reason: crew-dispatched; Caller is the alderman's cousin" and not e["public"]
        for e in history
    )
    for path in (
        f"/api/v1/requests/{tn}/history",
        f"/open311/v2/requests/{tn}.xml?extensions=true",
    ):
        text = (await client.get(path)).text
        assert "cousin" not in text and "A crew is on the way." in text
    noted = await client.post(
        f"{API}/requests/{tn}/notes", json={"note": "Called back"}, headers=operator
    )
    assert noted.status_code == 200
    assert "Called back" not in (await client.get(f"/api/v1/requests/{tn}/history")).text


async def test_duplicates_move_followers_and_show_the_parent(client, services, staff):
    _, operator = await staff("operator", "olga")
    _, supervisor = await staff("supervisor", "sam")
    original = (await _intake(client, operator, caller=None, notifyCaller=False))["request"]
    copy = (await _intake(client, operator))["request"]
    tn, parent = copy["trackingNumber"], original["trackingNumber"]
    taken = await _intake(client, operator, notifyCaller=False, caller=None)
    assert parent in [d["trackingNumber"] for d in taken["possibleDuplicates"]]

    marked = await client.post(
        f"{API}/requests/{tn}/duplicate-of", json={"original": parent}, headers=supervisor
    )
    assert marked.status_code == 200, marked.text
    assert marked.json()["status"] == "duplicate" and marked.json()["duplicateOf"] == parent
    followers = await services.requests.subscribers(parent)
    assert [f.target for f in followers] == ["+13125550142"]
    told = await services.reader.fetch(
        "SELECT body FROM notification WHERE channel = 'sms' ORDER BY id DESC"
    )
    assert parent in told[0]["body"]
    ext = (await client.get(f"/open311/v2/requests/{tn}.json?extensions=true")).json()[0]
    assert ext["extended_attributes"]["duplicate"] is True
    assert ext["extended_attributes"]["parent_service_request_id"] == parent
    assert (await client.get(f"/api/v1/requests/{tn}")).json()["duplicateOf"] == parent

    undone = await client.delete(f"{API}/requests/{tn}/duplicate-of", headers=supervisor)
    assert undone.status_code == 200, undone.text
    assert undone.json()["status"] == "reopened" and undone.json()["duplicateOf"] is None
    assert [w["status"] for w in undone.json()["workOrders"]] == ["done", "new"]
    again = await client.delete(f"{API}/requests/{tn}/duplicate-of", headers=supervisor)
    assert again.status_code == 409


async def test_reclassify_and_move_are_events(client, services, staff):
    _, operator = await staff("operator", "olga")
    tn = (await _intake(client, operator))["request"]["trackingNumber"]
    rats = await client.post(
        f"{API}/requests/{tn}/reclassify", json={"serviceCode": "SGA"}, headers=operator
    )
    assert rats.status_code == 200, rats.text
    body = rats.json()
    assert body["serviceCode"] == "SGA"
    assert [w["status"] for w in body["workOrders"]] == ["done", "new"]
    assert body["workOrders"][-1]["department"] == "Streets and Sanitation"
    moved = await client.post(
        f"{API}/requests/{tn}/move", json={"address": "6200 S Pulaski Rd"}, headers=operator
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["ward"] != body["ward"] and "PULASKI" in moved.json()["address"].upper()
    kinds = [e["kind"] for e in moved.json()["history"]]
    assert kinds[-2:] == ["reclassified", "moved"]
    outside = await client.post(
        f"{API}/requests/{tn}/move", json={"lat": 40.0, "long": -87.6}, headers=operator
    )
    assert outside.status_code == 422


async def test_lookup_by_phone_address_and_number(client, staff):
    _, operator = await staff("operator", "olga")
    tn = (await _intake(client, operator))["request"]["trackingNumber"]
    for query in (f"trackingNumber={tn}", "phone=312.555.0142", f"address={CORTLAND}"):
        found = await client.get(f"{API}/requests?{query}", headers=operator)
        assert found.status_code == 200, found.text
        assert [r["trackingNumber"] for r in found.json()["items"]] == [tn]
    assert (await client.get(f"{API}/requests", headers=operator)).status_code == 422


async def test_department_staff_stay_in_their_department(client, services, staff):
    _, operator = await staff("operator", "olga")
    _, crew = await staff("department", "cdot-crew", department_of="PHF")
    rats = (await _intake(client, operator, serviceCode="SGA", answers={"WHERE_SEEN": ["alley"]}))[
        "request"
    ]
    [work] = rats["workOrders"]
    other = await client.get(f"{API}/departments/{work['departmentId']}/queue", headers=crew)
    assert other.status_code == 403
    touch = await client.patch(
        f"{API}/work-orders/{work['id']}", json={"status": "done"}, headers=crew
    )
    assert touch.status_code == 403
    close = await client.post(
        f"{API}/requests/{rats['trackingNumber']}/transitions",
        json={"to": "completed", "reasonCode": "fixed"},
        headers=operator,
    )
    assert close.status_code == 403  # operators take calls; they do not close work
    _, crew_of_rats = await staff("department", "dss-crew", department_of="SGA")
    by_hand = await client.post(
        f"{API}/requests/{rats['trackingNumber']}/transitions",
        json={"to": "completed", "reasonCode": "fixed"},
        headers=crew_of_rats,
    )
    assert by_hand.status_code == 403 and "work orders" in by_hand.json()["detail"]
    _, supervisor = await staff("supervisor", "sam")
    no_reason = await client.post(
        f"{API}/requests/{rats['trackingNumber']}/transitions",
        json={"to": "closed_not_fixed"},
        headers=supervisor,
    )
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reasonCode"


async def test_logins_are_audited_and_the_trail_cannot_be_changed(client, services, staff):
    _, supervisor = await staff("supervisor", "sam")
    ok = await client.post(f"{API}/auth/login", json={"username": "sam", "password": PASSWORD})
    assert ok.status_code == 200
    bad = await client.post(f"{API}/auth/login", json={"username": "sam", "password": "nope"})
    assert bad.status_code == 401
    trail = await client.get(f"{API}/audit?kind=login_failed", headers=supervisor)
    [failed] = trail.json()["items"]
    assert failed["details"] == {"username": "sam"} and failed["actorId"] is None
    [logged] = (await client.get(f"{API}/audit?kind=login", headers=supervisor)).json()["items"]
    assert logged["actorKind"] == "staff" and logged["actorId"] is not None and logged["ip"]
    # kinds are enumerations: an unknown one is refused, not an empty list (nor a NUL a 500)
    odd = await client.get(f"{API}/audit?actorKind=%00x", headers=supervisor)
    assert odd.status_code == 422
    assert (await client.get(f"{API}/audit?kind=coffee", headers=supervisor)).status_code == 422
    # no route edits or deletes it
    for method in ("DELETE", "PATCH", "PUT", "POST"):
        response = await client.request(method, f"{API}/audit", headers=supervisor)
        assert response.status_code == 405, method
    from backend.app import create_app

    paths = [r.path for r in create_app(scheduler=False).routes if "audit" in r.path]
    assert paths == [f"{API}/audit"]


async def test_queue_filters_follow_a_move_and_a_new_type(client, services, staff):
    _, operator = await staff("operator", "olga")
    _, supervisor = await staff("supervisor", "sam")
    first = (await _intake(client, operator))["request"]
    second = (await _intake(client, operator, address="6200 S Pulaski Rd"))["request"]
    department = first["workOrders"][0]["departmentId"]
    queue = f"{API}/departments/{department}/queue"

    async def listed(query: str) -> list[str]:
        response = await client.get(f"{queue}?{query}", headers=supervisor)
        assert response.status_code == 200, response.text
        return [w["trackingNumber"] for w in response.json()["items"]]

    tn1, tn2 = first["trackingNumber"], second["trackingNumber"]
    assert await listed(f"ward={first['ward']}") == [tn1]
    assert await listed(f"communityArea={second['communityArea']}") == [tn2]
    assert await listed("serviceCode=PHF") == [tn1, tn2]
    assert await listed("limit=1") == [tn1]
    page = (await client.get(f"{queue}?limit=1", headers=supervisor)).json()
    assert await listed(f"limit=1&after={page['nextAfterId']}") == [tn2]

    await client.post(
        f"{API}/requests/{tn1}/move", json={"address": "6200 S Pulaski Rd"}, headers=operator
    )
    assert await listed(f"ward={first['ward']}") == []
    assert await listed(f"ward={second['ward']}") == [tn1, tn2]
    # another type of the same department: the work order stays, its type follows
    await client.post(
        f"{API}/requests/{tn2}/reclassify", json={"serviceCode": "PHB"}, headers=operator
    )
    assert await listed("serviceCode=PHF") == [tn1]
    due = await client.get(f"{queue}?dueBefore=2000-01-01T00:00:00Z", headers=supervisor)
    assert due.json()["items"] == []


@pytest.mark.parametrize("due", ["0.5", "2026-12-01T00:00:00", "tomorrow", ""])
async def test_due_before_needs_a_date_time_with_its_offset(client, staff, due):
    _, supervisor = await staff("supervisor", "sam")
    response = await client.get(f"{API}/departments/1/queue?dueBefore={due}", headers=supervisor)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "dueBefore"


async def test_work_orders_follow_changes_made_by_any_channel(services):
    tn = (await services.requests.submit(pothole_command())).request.tracking_number
    await services.requests.transition(tn, "in_progress", actor="system", channel="system")
    assert [w.status for w in await services.requests.work_orders(tn)] == ["in_progress"]
    await services.requests.transition(tn, "completed", actor="system", channel="system")
    assert [w.status for w in await services.requests.work_orders(tn)] == ["done"]
    await services.requests.transition(tn, "reopened", actor="system", channel="system")
    assert [w.status for w in await services.requests.work_orders(tn)] == ["done", "new"]


async def test_a_bad_parameter_is_named_as_sent(client, make_staff):
    """A parameter's wire name (`actorId`, `Last-Event-ID`), not the handler's argument, is the
    field a 422 names (the fuzzer found `last_event_id`)."""
    _, token = await make_staff("supervisor")
    refused = await client.get("/api/staff/v1/audit?actorId=-1", headers=bearer(token))
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["actorId"]
    events = await client.get(
        "/api/v1/requests/SR26-00000001/events", headers={"Last-Event-ID": "1" * 33}
    )
    assert events.status_code == 422
    assert [e["field"] for e in events.json()["errors"]] == ["Last-Event-ID"]
