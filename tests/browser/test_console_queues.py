"""A staff member works a request in the console while its resident watches: the crew signs in,
opens its department's queue, finds the request there, opens it and changes its status with a
public and an internal note; the resident's page (#/r/<tracking number>), open in another browser
context, updates live with the new status and the public note, and never shows the internal one.
The console's request and queue pages pass axe-core with no serious violation."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import describe, run_axe, serious
from tests.factories import WICKER_PARK

PUBLIC_NOTE = "A crew is on the way."
INTERNAL_NOTE = "Truck 14 after the Fullerton job; staff only."
MAX_PAGES = 40  # the demo data's queue is a few pages long; more means a broken "Next page"


def report(web_server) -> str:
    """A pothole reported through the app API, as the resident's app does."""
    status, answer = web_server.api(
        "POST",
        "/api/v1/requests",
        {
            "serviceCode": "PHF",
            "lat": WICKER_PARK[0],
            "long": WICKER_PARK[1],
            "answers": {"LOCATION": "curb_lane"},
            "description": "Deep hole by the bus stop",
        },
    )
    assert status == 201, answer
    return answer["trackingNumber"]


def no_serious_violations(page, where: str) -> None:
    found = serious(run_axe(page))
    assert not found, f"{where}:\n{describe(found)}"


def test_a_status_change_in_the_console_reaches_the_residents_open_page(new_page, web_server, shot):
    tn = report(web_server)
    resident = new_page("phone")
    resident.goto(f"/#/r/{tn}")
    expect(resident.locator(".tracking")).to_have_text(tn)
    expect(resident.locator("#live")).to_have_attribute("data-live", "on")
    history = resident.locator("#history li")
    expect(history).to_have_count(1)

    crew = new_page("desktop")  # another browser context: its own cookies and storage
    web_server.console_login(crew, "crew1")  # a CDOT crew: potholes are its work
    crew.locator("header nav").get_by_role("link", name="Queues").click()
    expect(crew.locator("h1")).to_contain_text("Queue: CDOT")
    crew.get_by_label("Type").select_option(label="Pothole in Street Complaint")
    crew.get_by_role("button", name="Show").click()
    crew.wait_for_url(re.compile(r"service=PHF"))
    row_link = crew.get_by_role("link", name=tn, exact=True)
    for _ in range(MAX_PAGES):  # oldest first: the new request is on the last page
        if row_link.count():
            break
        shown = crew.url
        crew.get_by_role("link", name="Next page").click()
        crew.wait_for_url(lambda url, shown=shown: url != shown)
    no_serious_violations(crew, "/staff/queues")
    shot(crew, "console-queue-desktop")
    row_link.click()

    expect(crew.locator("h1")).to_contain_text(tn)
    expect(crew.locator("#status")).to_have_attribute("data-status", "submitted")
    crew.get_by_label("New status").select_option("in_progress")
    crew.get_by_label(re.compile("^Public note")).fill(PUBLIC_NOTE)
    crew.get_by_label(re.compile("^Internal note")).fill(INTERNAL_NOTE)
    crew.get_by_role("button", name="Change the status").click()
    expect(crew.get_by_role("status")).to_have_text("Status changed.")
    expect(crew.locator("#status")).to_have_attribute("data-status", "in_progress")
    staff_history = crew.locator("table.history tbody tr")
    expect(staff_history.filter(has_text=INTERNAL_NOTE)).to_contain_text("Internal")
    expect(staff_history.filter(has_text=PUBLIC_NOTE)).to_contain_text("Public")
    no_serious_violations(crew, f"/staff/requests/{tn}")
    shot(crew, "console-request-desktop")

    # the resident's page, never reloaded, has the news from the event stream
    status = resident.locator("#request-status")
    expect(status).to_have_attribute("data-status", "in_progress")
    expect(history.last).to_contain_text(PUBLIC_NOTE)
    expect(history).to_have_count(2)
    assert "Truck 14" not in resident.content()
    shot(resident, "request-live-from-console-phone")


def test_a_supervisor_marks_a_duplicate_from_the_nearby_ones_on_a_phone(new_page, web_server, shot):
    original = report(web_server)
    tn = report(web_server)
    supervisor = new_page("phone")
    web_server.console_login(supervisor, "sam")
    supervisor.goto(f"/staff/requests/{tn}")
    expect(supervisor.locator("h1")).to_contain_text(tn)
    no_serious_violations(supervisor, f"/staff/requests/{tn} (a supervisor's, phone)")
    shot(supervisor, "console-request-supervisor-phone")
    supervisor.get_by_role("button", name=f"Mark a duplicate of {original}").click()
    expect(supervisor.get_by_role("status")).to_have_text("Marked a duplicate.")
    expect(supervisor.locator("#status")).to_have_attribute("data-status", "duplicate")
    expect(supervisor.get_by_role("link", name=original, exact=True).first).to_be_visible()
    supervisor.get_by_role("button", name="Not a duplicate: reopen it").click()
    expect(supervisor.locator("#status")).to_have_attribute("data-status", "reopened")
