"""The operator's intake screen in Chromium: olga (an operator) signs in, takes a phone report in
Spanish with an interpreter on the call and the type's checklist ticked, picks one of the address's
candidates (shown as she types), submits, and reads the tracking number out in Spanish; the request
is stored with the caller's language and the interpreter flag (read back through the staff API).
A place she ticked stays ticked while she keeps typing. The other three languages: a quick call
each, the tracking number read out in the caller's language."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from backend.i18n.messages import say
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
    candidate.click()
    expect(candidate).to_be_checked()
    page.get_by_label("Name").fill("Ana Reyes")
    shot(page, "console-intake-desktop")

    # she goes on typing: the candidates are redrawn, the place she ticked stays ticked
    ticked = candidate.get_attribute("value")
    page.get_by_label("Address, cross street or landmark").fill("Damen and Division")
    expect(page.locator("#candidates")).to_have_attribute("data-asked", "Damen and Division")
    expect(page.locator("#candidates input[name=place]:checked")).to_have_value(ticked or "")
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


@pytest.mark.parametrize("language", ["en", "pl", "zh"])
def test_the_tracking_number_is_read_out_in_the_callers_language(
    desktop_page, web_server, language
):
    page = desktop_page
    web_server.console_login(page, "olga")
    page.goto(f"/staff/intake?language={language}&type=PHF")
    expect(page.get_by_label("Caller's language")).to_have_value(language)
    page.get_by_label("Submit with steps left").check()
    page.locator("input[name='answer.LOCATION'][value=curb_lane]").check()
    page.get_by_label("Address, cross street or landmark").fill("1600 N Milwaukee Ave")
    page.get_by_role("button", name="Find the address").click()
    place = page.locator("#candidates input[name=place]").first
    expect(place).to_be_attached()
    if place.get_attribute("type") == "radio":
        place.check()
    page.get_by_role("button", name="Submit the report").click()
    expect(page.get_by_role("heading", name="Report filed")).to_be_visible()
    tracking_number = page.locator("#tracking-number").inner_text().strip()
    readout = page.locator("#readout")
    expect(readout).to_have_attribute("lang", language)
    # the catalog's sentence, word for word, around the type's name in that language
    sentence = say(language, "console.filed", tracking_number=tracking_number, service="\x00")
    for part in sentence.split("\x00"):
        expect(readout).to_contain_text(part.strip())
    if language != "en":
        expect(readout).not_to_contain_text("Your tracking number is")
