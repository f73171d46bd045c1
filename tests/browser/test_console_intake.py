"""The operator's intake screen in Chromium: olga (an operator) signs in, takes a phone report in
Spanish with an interpreter on the call and the type's checklist ticked, picks one of the address's
candidates (shown as she types), submits, and reads the tracking number out in Spanish; the request
is stored with the caller's language and the interpreter flag (read back through the staff API)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import describe, serious


def test_an_operator_takes_a_phone_report_in_spanish(desktop_page, web_server, shot, axe):
    page = desktop_page
    web_server.console_login(page, "olga")
    page.get_by_role("link", name="Intake").first.click()
    expect(page.get_by_role("heading", name="Take a report")).to_be_visible()

    # the call: Spanish, with an interpreter; the type found by the caller's word for it
    page.get_by_label("Caller's language").select_option("es")
    page.get_by_label(re.compile("interpreter .*is on the call")).check()
    page.get_by_label("Search the request types").fill("bache")
    page.get_by_role("button", name="Search").click()
    page.locator("button[name=type][value=PHF]").click()
    expect(page.get_by_role("heading", name=re.compile("Take a report: "))).to_be_visible()
    expect(page.get_by_label("Caller's language")).to_have_value("es")
    expect(page.get_by_label(re.compile("interpreter .*is on the call"))).to_be_checked()
    assert not serious(found := axe(page)), describe(found)

    # the checklist, every step ticked; the questions
    steps = page.locator("#checklist input[name=checklist]")
    assert steps.count() >= 3
    for i in range(steps.count()):
        steps.nth(i).check()
    page.locator("input[name='answer.LOCATION'][value=curb_lane]").check()
    page.get_by_label("What the caller says").fill("Un bache grande frente a la casa")

    # the address: the candidates appear as the operator types; she picks one
    page.get_by_label("Address, cross street or landmark").fill("1845 W Cortland")
    candidate = page.locator("#candidates input[name=place]").first
    expect(candidate).to_be_visible()
    candidate.check()
    page.get_by_label("Name").fill("Ana Reyes")
    shot(page, "console-intake-desktop")
    page.get_by_role("button", name="Submit the report").click()

    # the tracking number, and the sentence to read out in Spanish
    expect(page.get_by_role("heading", name="Report filed")).to_be_visible()
    tracking_number = page.locator("#tracking-number").inner_text().strip()
    assert re.fullmatch(r"SR\d\d-\d{8}", tracking_number), tracking_number
    readout = page.locator("#readout")
    expect(readout).to_have_attribute("lang", "es")
    expect(readout).to_contain_text(f"Su número de seguimiento es {tracking_number}")
    shot(page, "console-intake-filed-desktop")
    assert not serious(found := axe(page)), describe(found)

    # stored as the staff API's phone intake stores it
    status, stored = web_server.api(
        "GET", f"/api/staff/v1/requests/{tracking_number}", token=web_server.staff_token("olga")
    )
    assert status == 200, stored
    assert stored["language"] == "es"
    assert stored["interpreterUsed"] is True
    assert stored["channel"] == "phone"
    assert stored["answers"]["LOCATION"] == "curb_lane"
    assert stored["address"].startswith("1845 W Cortland")
