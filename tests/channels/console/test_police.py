"""Police reports in the console: the Alternate Response Section's queue, a report, an RD number
issued or the report declined (the resident told), for ARS members and supervisors only."""

from __future__ import annotations

from tests.police.test_reports import ARS_DEPARTMENT, file_by_phone

from .conftest import csrf_of


async def test_an_ars_member_issues_an_rd_number(sign_in, services):
    tracking_number = await file_by_phone(services)
    browser = await sign_in("department", "ars-crew", [ARS_DEPARTMENT])
    home = await browser.get("/staff/")
    assert 'href="/staff/police"' in home.text
    queue = await browser.get("/staff/police")
    assert queue.status_code == 200 and tracking_number in queue.text
    report = await browser.get(f"/staff/police/{tracking_number}")
    assert "Issue the RD number" in report.text
    issued = await browser.post(
        f"/staff/police/{tracking_number}/rd-number", data={"_csrf_token": csrf_of(report.text)}
    )
    assert issued.status_code == 303
    shown = await browser.get(issued.headers["location"])
    assert 'id="decision">issued<' in shown.text and 'id="rd-number"' in shown.text
    assert tracking_number not in (await browser.get("/staff/police")).text


async def test_a_supervisor_declines_with_a_reason(sign_in, services):
    tracking_number = await file_by_phone(services)
    browser = await sign_in("supervisor")
    report = await browser.get(f"/staff/police/{tracking_number}")
    token = csrf_of(report.text)
    missing = await browser.post(
        f"/staff/police/{tracking_number}/decline", data={"_csrf_token": token}
    )
    assert missing.status_code == 422 and 'id="reason-error"' in missing.text
    declined = await browser.post(
        f"/staff/police/{tracking_number}/decline",
        data={"_csrf_token": token, "reason": "in_person"},
    )
    assert declined.status_code == 303
    found = await services.police.report(tracking_number)
    assert found.decision == "declined" and found.decline_reason == "in_person"


async def test_another_department_neither_sees_nor_opens_the_queue(sign_in, services):
    await file_by_phone(services)
    browser = await sign_in("department")  # the first department by slug: not ARS
    home = await browser.get("/staff/")
    assert 'href="/staff/police"' not in home.text
    assert (await browser.get("/staff/police")).status_code == 403


async def test_an_operator_reads_a_report_but_cannot_review_it(sign_in, services):
    tracking_number = await file_by_phone(services)
    browser = await sign_in("operator")
    assert 'href="/staff/police"' not in (await browser.get("/staff/")).text
    report = await browser.get(f"/staff/police/{tracking_number}")
    assert report.status_code == 200 and "Issue the RD number" not in report.text
    refused = await browser.post(
        f"/staff/police/{tracking_number}/rd-number", data={"_csrf_token": csrf_of(report.text)}
    )
    assert refused.status_code == 403


CALM = {"offender_present": "no", "needs_medical": "no", "firearm": "no",
        "offender_known": "no", "domestic": "no"}  # fmt: skip
REPORT = {
    **CALM,
    "language": "es",
    "interpreter": "on",
    "kind": "theft_from_vehicle",
    "description": "Me rompieron la ventana del carro y se llevaron una mochila",
    "occurred": "anoche como a las 11",
    "address": "1845 W Cortland St",
    "property": "mochila negra",
    "estimated_value": "120",
}


async def post_report(browser, form: dict):
    opened = await browser.get("/staff/police/new")
    assert opened.status_code == 200
    return await browser.post(
        "/staff/police/new", data={**form, "_csrf_token": csrf_of(opened.text)}
    )


async def test_an_operator_takes_a_police_report_by_phone(sign_in, services):
    browser = await sign_in("operator")
    answer = await post_report(browser, REPORT)
    assert answer.status_code == 303, answer.text
    filed = await browser.get(answer.headers["location"])
    assert 'id="readout"' in filed.text and 'lang="es"' in filed.text
    tracking_number = answer.headers["location"].split("/")[-1].split("?")[0]
    found = await services.police.report(tracking_number)
    assert found.decision == "pending" and found.request.channel == "phone"
    assert found.request.language == "es"


async def test_the_screening_refuses_a_911_case_with_what_to_tell_the_caller(sign_in, services):
    browser = await sign_in("operator")
    answer = await post_report(browser, {**REPORT, "offender_present": "yes"})
    assert answer.status_code == 422
    assert 'id="refusal"' in answer.text and "911" in answer.text
    assert await services.police.pending() == []


async def test_unanswered_screening_questions_are_marked(sign_in):
    browser = await sign_in("operator")
    answer = await post_report(browser, {**REPORT, "firearm": ""})
    assert answer.status_code == 422 and 'id="firearm-error"' in answer.text
