"""No input reaches a 500, anonymous or signed, on either engine: the inputs a hostile client tried
(issue 16), each answered with a 4xx. The channels' own tests hold the details; this is the list."""

from __future__ import annotations

import pytest

from backend.service_requests.tables import ServiceRequest
from tests.factories import WICKER_PARK, pothole

PASSWORD = "correct horse battery"
# Far deeper than msgspec's decoder goes (~1,000 levels), well inside the 1 MB body limit.
TOO_DEEP = "[" * 50_000 + "]" * 50_000
POTHOLE = {
    "serviceCode": "PHF",
    "lat": WICKER_PARK[0],
    "long": WICKER_PARK[1],
    "answers": {"LOCATION": "curb_lane"},
}
JSON = {"content-type": "application/json"}


async def staff_token(services, role: str) -> dict[str, str]:
    user = await services.staff.create_user(f"{role}-no500", PASSWORD, role, [])
    principal = await services.staff.principal(user.id)
    return {"Authorization": f"Bearer {services.staff_tokens.access_token(principal)}"}


async def device_token(client) -> dict[str, str]:
    token = (await client.post("/api/v1/devices", json={"platform": "ios"})).json()["token"]
    return {"Authorization": f"Bearer {token}"}


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()


# -- JSON nested deeper than the decoder goes: 400, never a RecursionError ---------------------

# (method, path, who, body): every JSON body the HTTP channels read; `{deep}` is where it nests
DEEP_BODIES = [
    ("POST", "/api/v1/requests", None, '{"serviceCode":"PHF","answers":{"LOCATION":{deep}}}'),
    ("POST", "/api/v1/requests", None, "{deep}"),
    ("POST", "/api/v1/devices", None, "{deep}"),
    ("PUT", "/api/v1/me/preferences", "device", "{deep}"),
    ("POST", "/api/v1/push-subscriptions", "device", "{deep}"),
    ("POST", "/api/staff/v1/auth/login", None, "{deep}"),
    ("POST", "/api/staff/v1/auth/refresh", None, "{deep}"),
    (
        "POST",
        "/api/staff/v1/requests",
        "supervisor",
        '{"serviceCode":"PHF","answers":{"a":{deep}}}',
    ),
    ("POST", "/api/staff/v1/requests/SR26-00000001/notes", "supervisor", "{deep}"),
    ("POST", "/api/staff/v1/requests/SR26-00000001/transitions", "supervisor", "{deep}"),
    ("PATCH", "/api/staff/v1/work-orders/1", "supervisor", "{deep}"),
]


@pytest.mark.parametrize("method,path,who,template", DEEP_BODIES)
async def test_json_nested_too_deeply_is_400_or_422(client, services, method, path, who, template):
    headers = dict(JSON)
    if who == "device":
        headers |= await device_token(client)
    elif who:
        headers |= await staff_token(services, who)
    body = template.replace("{deep}", TOO_DEEP)
    response = await client.request(method, path, content=body, headers=headers)
    # a deep value where an object must be is refused at its first bracket (422); one where any
    # value may be (answers) is read until the decoder's limit (400)
    expected = 400 if "answers" in template else response.status_code
    assert response.status_code in (400, 422), response.text
    problem(response, expected)


async def test_json_nested_too_deeply_in_a_multipart_submit_is_400(client):
    deep = '{"serviceCode":"PHF","answers":{"LOCATION":' + TOO_DEEP + "}}"
    response = await client.post(
        "/api/v1/requests", files={"request": (None, deep, "application/json")}
    )
    assert problem(response, 400)["errors"][0]["field"] == "request"


# -- what XML 1.0 cannot carry, in any text that can reach the Open311 XML ---------------------

NOT_XML = ["\ufffe", "\uffff", "\x00", "\x01", "\x1b"]


@pytest.mark.parametrize("bad", NOT_XML, ids=[f"U+{ord(c):04X}" for c in NOT_XML])
async def test_texts_xml_cannot_carry_are_refused_in_every_channel(client, services, bad):
    app = await client.post("/api/v1/requests", json={**POTHOLE, "description": f"a{bad}"})
    assert problem(app, 422)["errors"][0]["field"] == "description"
    staff = await staff_token(services, "supervisor")
    intake = {**POTHOLE, "caller": {"name": f"Ann{bad}"}}
    taken = await client.post("/api/staff/v1/requests", json=intake, headers=staff)
    assert problem(taken, 422)["errors"][0]["field"] == "caller.name"
    tracking = (await services.requests.submit(pothole())).request.tracking_number
    for path, body in [
        ("notes", {"note": f"filled{bad}", "public": True}),
        ("transitions", {"to": "open", "publicNote": f"seen{bad}"}),
    ]:
        response = await client.post(
            f"/api/staff/v1/requests/{tracking}/{path}", json=body, headers=staff
        )
        problem(response, 422)
    key = (await services.api_keys.create("no500")).key
    form = {
        "api_key": key,
        "service_code": "PHF",
        "lat": str(WICKER_PARK[0]),
        "long": str(WICKER_PARK[1]),
        "attribute[LOCATION]": "curb_lane",
    }
    for field in ("description", "first_name", "address_string", "account_id"):
        response = await client.post("/open311/v2/requests.json", data={**form, field: f"x{bad}"})
        assert response.status_code == 400, response.text
    assert await ServiceRequest.count() == 1
    feed = await client.get("/open311/v2/requests.xml")
    assert feed.status_code == 200 and bad not in feed.text


# -- paths: a static file's name with NUL or control characters, or too long -------------------


@pytest.mark.parametrize(
    "path",
    [
        "/schema/assets/%00",
        "/schema/assets/swagger-ui.css%00",
        "/schema/assets/a%01b",
        "/schema/assets/%0A",
        "/schema/assets/%7F",
        "/schema/assets/" + "a" * 5000,
        "/schema/assets/%2e%2e/%2e%2e/etc/passwd",
        "/admin/%00",
        "/admin/assets/%00",
        "/healthz%00",
    ],
)
async def test_a_static_path_no_file_can_have_is_404(client, path):
    for method in ("GET", "HEAD"):
        response = await client.request(method, path)
        assert response.status_code == 404, (method, path, response.text)


async def test_the_docs_assets_are_still_served(client):
    response = await client.get("/schema/assets/swagger-ui.css")
    assert response.status_code == 200 and response.content


# -- the back office's table API: huge ids, huge pages, bad ordering, bad filters --------------

TABLE = "/admin/api/tables/service_type"


@pytest.mark.parametrize(
    "path,status",
    [
        (f"{TABLE}/99999999999999999999/", 404),
        (f"{TABLE}/2147483648/", 404),
        (f"{TABLE}/%00/", 404),
        (f"{TABLE}/?__page=99999999999999999999", 400),
        (f"{TABLE}/?__page=0", 400),
        (f"{TABLE}/?__page_size=99999999999", 400),
        (f"{TABLE}/?__order=nonexistent", 400),
        (f"{TABLE}/?__order=-department.name", 400),
        (f"{TABLE}/?__order=-%00", 400),
        (f"{TABLE}/?id=99999999999999999999", 400),
        (f"{TABLE}/?sla_days=3000000000", 400),
        (f"{TABLE}/?code=%00", 400),
        (f"{TABLE}/?__range_header=true&__range_header_name=%0Aset-cookie:x", 400),
        (f"{TABLE}/count/?id=99999999999999999999", 400),
        (f"{TABLE}/ids/?limit=99999999999999999999", 400),
        (f"{TABLE}/ids/?offset=-5&limit=-1", 400),
        (f"{TABLE}/ids/?search=%00", 400),
        ("/admin/api/tables/staff_user/?locked_until=9999-12-31T23:59:59-12:00", 400),
    ],
)
async def test_the_admin_table_api_refuses_what_it_cannot_query(client, services, path, status):
    headers = await staff_token(services, "admin")
    response = await client.get(path, headers=headers)
    assert response.status_code == status, response.text


async def test_the_admin_table_api_refuses_bodies_nested_too_deeply(client, services):
    headers = {
        **(await staff_token(services, "admin")),
        "X-CSRFToken": "script",
        "Cookie": "csrftoken=script",
    }
    deep_column = {"checklist": "[" * 5000 + "]" * 5000}
    for body in (TOO_DEEP, '{"name": ' + TOO_DEEP + "}"):
        response = await client.post(f"{TABLE}/", content=body, headers={**headers, **JSON})
        assert response.status_code == 400, response.text
    response = await client.patch(f"{TABLE}/1/", json=deep_column, headers=headers)
    assert response.status_code == 422, response.text
    response = await client.post(
        "/admin/public/login/",
        content=TOO_DEEP,
        headers={**JSON, "X-CSRFToken": "script", "Cookie": "csrftoken=script"},
    )
    assert response.status_code == 400, response.text


# -- integers from clients: within their column's range, or 422 --------------------------------


@pytest.mark.parametrize(
    "assignee", ["2147483648", "1099511627776", "99999999999999999999999", "0"]
)
async def test_a_work_order_assignee_beyond_the_column_is_422(client, services, assignee):
    headers = {**(await staff_token(services, "supervisor")), **JSON}
    response = await client.patch(
        "/api/staff/v1/work-orders/1", content=f'{{"assigneeId": {assignee}}}', headers=headers
    )
    assert problem(response, 422)["errors"][0]["field"] == "assigneeId"


@pytest.mark.parametrize("count", ["9" * 5000, "9" * 400, 10**30, 2**53, "1e300"])
async def test_a_number_answer_too_large_to_keep_is_422(client, count):
    body = {**POTHOLE, "answers": {"LOCATION": "curb_lane", "NUMBER_OF_POTHOLES": count}}
    response = await client.post("/api/v1/requests", json=body)
    assert problem(response, 422)["errors"][0]["field"] == "answers.NUMBER_OF_POTHOLES"
    assert await ServiceRequest.count() == 0


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/requests?limit=99999999999999999999",
        "/api/v1/requests?near=41.9,-87.6&radius=99999999999999999999",
        "/api/v1/requests?cursor=99999999999999999999",
        "/api/staff/v1/departments/99999999999999999999/queue",
        "/api/staff/v1/departments/1/queue?after=99999999999999999999",
        "/api/staff/v1/audit?before=99999999999999999999",
        "/api/staff/v1/audit?actorId=-1",
        "/open311/v2/requests.json?page=99999999999999999999",
        "/open311/v2/requests.json?page_size=99999999999999999999",
    ],
)
async def test_pages_and_ids_beyond_their_range_are_4xx(client, services, path):
    response = await client.get(path, headers=await staff_token(services, "supervisor"))
    assert response.status_code in (400, 422), response.text


# -- times: a date Python cannot move by a window or into UTC ----------------------------------

FAR = [
    "9999-12-31T23:59:59-12:00",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01",
    "1969-12-31T23:59:59Z",
]


@pytest.mark.parametrize("moment", FAR)
async def test_a_time_out_of_range_is_4xx_wherever_a_client_gives_one(client, services, moment):
    for name in ("start_date", "end_date", "updated_after", "updated_before"):
        response = await client.get("/open311/v2/requests.json", params={name: moment})
        assert response.status_code == 400, (name, response.text)
        assert name in response.json()[0]["description"]
    headers = await staff_token(services, "supervisor")
    queue = await client.get(
        "/api/staff/v1/departments/1/queue", params={"dueBefore": moment}, headers=headers
    )
    assert problem(queue, 422)["errors"][0]["field"] == "dueBefore"
    noise = {"serviceCode": "AVN", "lat": WICKER_PARK[0], "long": WICKER_PARK[1]}
    response = await client.post(
        "/api/v1/requests", json={**noise, "answers": {"NOISE_TIME": moment}}
    )
    assert "answers.NOISE_TIME" in [e["field"] for e in problem(response, 422)["errors"]]


# -- forms whose text is not in its charset; a login name with a NUL ---------------------------


@pytest.mark.parametrize(
    "part",
    [
        b'Content-Disposition: form-data; name="description"\r\n\r\n\xff\xfe',
        b'Content-Disposition: form-data; name="description"\r\n'
        b"Content-Type: text/plain; charset=no-such-codec\r\n\r\nhole",
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/requests", "/open311/v2/requests.json"])
async def test_a_form_part_not_in_its_charset_is_400(client, path, part):
    body = b"--x\r\n" + part + b"\r\n--x--\r\n"
    response = await client.post(
        path, content=body, headers={"content-type": "multipart/form-data; boundary=x"}
    )
    assert response.status_code == 400, response.text


async def test_a_login_name_with_a_nul_is_422(client):
    login = {"username": "ada\x00", "password": "correct horse battery"}
    problem(await client.post("/api/staff/v1/auth/login", json=login), 422)
    await client.get("/admin/")  # the CSRF cookie
    response = await client.post(
        "/admin/public/login/",
        json=login,
        headers={"X-CSRFToken": client.cookies.get("csrftoken", "")},
    )
    assert response.status_code == 422, response.text
