"""The console's department queues: a crew sees its own department's open work orders, oldest
first, filtered as the staff API filters them and paged by its keyset; other departments' queues
and roles without queues are refused, as by the staff API."""

from __future__ import annotations

import re
from datetime import timedelta

from backend.channels.console import queues
from tests.channels.console.test_request_page import new_request
from tests.channels.console.test_request_page import staff_browser as signed_in_browser

staff_browser = signed_in_browser  # the fixture, by its name here

_LISTED = re.compile(r'<td><a href="/staff/requests/(SR[0-9-]+)">')


async def _department_id(services, code: str) -> int:
    row = await services.reader.fetchrow(
        "SELECT department FROM service_type WHERE code = $1", code
    )
    return int(row["department"])


async def test_a_crew_works_its_queue_with_filters_and_pages(services, staff_browser, monkeypatch):
    crew = await staff_browser("department", "cdot-crew", department_of="PHF")
    first = await new_request(services)
    second = await new_request(services, language="es")
    third = await new_request(services)
    department = await _department_id(services, "PHF")
    opened = await crew.get("/staff/queues")  # a crew's own department by default
    assert opened.status_code == 200
    assert _LISTED.findall(opened.text) == [first, second, third]
    assert 'aria-current="page"' in opened.text  # the navigation says where it is

    spanish = await crew.get(f"/staff/queues?department={department}&language=es")
    assert _LISTED.findall(spanish.text) == [second]
    ward = (await services.requests.get(first)).ward
    other_ward = 1 if ward != 1 else 2
    assert _LISTED.findall((await crew.get(f"/staff/queues?ward={ward}")).text) == [
        first,
        second,
        third,
    ]
    nothing = await crew.get(f"/staff/queues?ward={other_ward}")
    assert _LISTED.findall(nothing.text) == [] and "Nothing here" in nothing.text
    assert _LISTED.findall((await crew.get("/staff/queues?status=done")).text) == []
    assert _LISTED.findall((await crew.get("/staff/queues?due=overdue")).text) == []

    monkeypatch.setattr(queues, "PAGE_SIZE", 2)
    page_one = await crew.get("/staff/queues?language=&status=new")
    assert _LISTED.findall(page_one.text) == [first, second]
    [next_link] = re.findall(r'<a href="([^"]+)" rel="next">', page_one.text)
    page_two = await crew.get(next_link.replace("&amp;", "&"))
    assert _LISTED.findall(page_two.text) == [third]
    assert "status=new" in next_link and 'rel="next"' not in page_two.text

    now = services.requests.clock()
    monkeypatch.setattr(services.requests, "clock", lambda: now - timedelta(days=10))
    old = await new_request(services, language="es")
    monkeypatch.setattr(services.requests, "clock", lambda: now)
    aged = await crew.get("/staff/queues?age=7d")
    assert _LISTED.findall(aged.text) == [old] and "<td>10 d</td>" in aged.text
    assert _LISTED.findall((await crew.get("/staff/queues?age=30d")).text) == []


async def test_queues_are_refused_as_the_staff_api_refuses_them(services, staff_browser):
    cdot = await _department_id(services, "PHF")
    streets = await staff_browser("department", "streets-crew", department_of="SCB")
    refused = await streets.get(f"/staff/queues?department={cdot}")
    assert refused.status_code == 403 and "you do not work for this department" in refused.text
    operator = await staff_browser("operator", "olga")
    assert (await operator.get("/staff/queues")).status_code == 403
    assert 'href="/staff/queues"' not in (await operator.get("/staff/")).text
    supervisor = await staff_browser("supervisor", "sam")
    seen = await supervisor.get(f"/staff/queues?department={cdot}")
    assert seen.status_code == 200 and 'href="/staff/queues"' in seen.text
    # a supervisor may choose any department
    assert seen.text.count('<option value="') > 10


async def test_bad_filters_are_a_4xx_page(staff_browser):
    supervisor = await staff_browser("supervisor", "sam")
    bad = (
        "status=closed",
        "service=NOPE",
        "due=soon",
        "age=old",
        "ward=99",
        "after=x",
        "department=0",
    )
    for query in bad:
        answer = await supervisor.get(f"/staff/queues?{query}")
        assert answer.status_code == 422 and "<html" in answer.text, query
    # a GET form's fields left at "any" are sent empty: no filter
    everything = "department=&service=&ward=&area=&language=&due=&after="
    assert (await supervisor.get(f"/staff/queues?{everything}")).status_code == 200
