"""The request page (#/r/<tracking number>) in a real browser: public facts only, the history, live
updates from the event stream when staff change the status through the staff API (and catching up,
each event once, after the stream was cut), follow/unfollow and "My requests" in Spanish, and the
lookup form."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import describe, serious
from tests.factories import WICKER_PARK

REPORTER = {"name": "Ana Resident", "email": "ana@example.org", "phone": "+13125550123"}


def report(web_server, token: str | None = None) -> str:
    """A pothole reported through the app API (by the device of `token`, if given)."""
    status, answer = web_server.api(
        "POST",
        "/api/v1/requests",
        {
            "serviceCode": "PHF",
            "lat": WICKER_PARK[0],
            "long": WICKER_PARK[1],
            "answers": {"LOCATION": "curb_lane"},
            "description": "Deep hole by the bus stop",
            **REPORTER,
        },
        token=token,
    )
    assert status == 201, answer
    return answer["trackingNumber"]


def change(
    web_server, tn: str, to: str, note: str | None = None, reason: str | None = None
) -> None:
    """A supervisor changes the status through the staff API (closing needs a reason)."""
    body = {"to": to, **({"publicNote": note} if note else {})}
    if reason:
        body["reasonCode"] = reason
    status, answer = web_server.api(
        "POST",
        f"/api/staff/v1/requests/{tn}/transitions",
        body,
        token=web_server.staff_token("sam"),
    )
    assert status == 200, answer


def test_the_open_page_updates_live_when_staff_change_the_status(page, web_server, shot, axe):
    tn = report(web_server)
    page.goto(f"/#/r/{tn}")
    expect(page.locator("h1")).to_have_text("Pothole in Street Complaint")
    expect(page.locator(".tracking")).to_have_text(tn)
    status = page.locator("#request-status")
    expect(status).to_contain_text("Received")
    expect(page.locator("#history li")).to_have_count(1)
    expect(page.locator("#live")).to_have_attribute("data-live", "on")
    html = page.content()
    for secret in ("Ana Resident", "ana@example.org", "5550123"):
        assert secret not in html  # the public page never shows who reported it

    change(web_server, tn, "in_progress", "A crew is on the way.")
    expect(status).to_have_attribute("data-status", "in_progress")
    expect(status).to_contain_text("In progress")
    expect(page.locator("#history li")).to_have_count(2)
    expect(page.locator("#history li").last).to_contain_text("A crew is on the way.")
    expect(page.locator("#status")).to_contain_text(f"{tn} is now In progress")  # read out
    shot(page, "request-live-phone")
    violations = serious(axe(page))
    assert not violations, describe(violations)

    change(web_server, tn, "completed", "Patched.", reason="fixed")
    expect(status).to_contain_text("Completed")
    expect(page.locator("#history li")).to_have_count(3)
    expect(page.locator(".facts")).to_contain_text("Patched.")


# Keeps the page's event streams reachable, so a test can cut one as a dropped connection would.
KEEP_STREAMS = """
(() => {
  const Original = window.EventSource;
  window.__streams = [];
  window.EventSource = class extends Original {
    constructor(...args) { super(...args); window.__streams.push(this); }
  };
})();
"""
CUT_STREAM = """() => {
  const es = window.__streams.at(-1);
  es.close();  // as when the server went away: CLOSED, then an error
  es.dispatchEvent(new Event('error'));
  return window.__streams.length;
}"""


def test_a_cut_stream_is_opened_again_and_catches_up_once(page, web_server):
    page.add_init_script(KEEP_STREAMS)
    tn = report(web_server)
    page.goto(f"/#/r/{tn}")
    live = page.locator("#live")
    expect(live).to_have_attribute("data-live", "on")
    opened = page.evaluate(CUT_STREAM)
    expect(live).to_have_attribute("data-live", "off")
    change(web_server, tn, "open")  # while no stream is open
    change(web_server, tn, "in_progress", "Scheduled for Monday.")
    expect(live).to_have_attribute("data-live", "on")  # opened again by the page
    assert page.evaluate("() => window.__streams.length") == opened + 1
    expect(page.locator("#request-status")).to_have_attribute("data-status", "in_progress")
    expect(page.locator("#history li")).to_have_count(3)  # the new stream resent all: each once
    ids = page.locator("#history li").evaluate_all("items => items.map(li => li.dataset.id)")
    assert len(set(ids)) == 3, ids


def test_following_from_the_page_and_my_requests_in_spanish(new_page, web_server, shot, axe):
    page = new_page("phone", locale="es-MX")
    mine = report(web_server)
    page.goto("/#/settings")  # registers this install (a device) and reads its preferences
    expect(page.locator("h1")).to_have_text("Ajustes")
    token = page.evaluate("() => localStorage.getItem('city311.device')")
    own = report(web_server, token)  # reported from this device: followed from the start
    page.goto(f"/#/r/{mine}")
    expect(page.locator("h1")).not_to_have_text(
        "Pothole in Street Complaint"
    )  # the type in Spanish
    expect(page.locator("#request-status")).to_contain_text("Recibido")
    follow = page.get_by_role("button", name="Seguir esta solicitud")
    expect(follow).to_have_attribute("aria-pressed", "false")
    follow.click()
    stop = page.get_by_role("button", name="Dejar de seguir")
    expect(stop).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#status")).to_contain_text(f"Ahora sigue {mine}")
    expect(page.locator(".follow")).to_contain_text("Active las notificaciones en Ajustes")
    status, answer = web_server.api("GET", f"/api/v1/requests/{mine}/follow", token=token)
    assert (status, answer["following"]) == (200, True)

    page.get_by_role("link", name="Mis solicitudes").click()
    expect(page.locator("h1")).to_have_text("Mis solicitudes")
    expect(page.locator("#reported li")).to_have_count(1)
    expect(page.locator("#reported")).to_contain_text(own)
    expect(page.locator("#following li")).to_have_count(1)  # its own request is not listed twice
    expect(page.locator("#following")).to_contain_text(mine)
    shot(page, "mine-es-phone")
    violations = serious(axe(page))
    assert not violations, describe(violations)
    page.get_by_role("button", name=f"Dejar de seguir {mine}").click()
    expect(page.locator("#following li")).to_have_count(0)
    status, answer = web_server.api("GET", f"/api/v1/requests/{mine}/follow", token=token)
    assert answer["following"] is False

    page.locator("#reported a").first.click()
    expect(page).to_have_url(re.compile(rf"#/r/{own}$"))
    expect(page.get_by_role("button", name="Dejar de seguir")).to_be_visible()


def test_the_lookup_form_finds_a_request_or_says_it_is_unknown(page, web_server, axe):
    tn = report(web_server)
    page.goto("/#/r/")
    field = page.get_by_label("Tracking number")
    field.fill("SR26-99999999")
    page.get_by_role("button", name="Show the request").click()
    expect(page.locator("#tn-error")).to_contain_text("no request with the number SR26-99999999")
    expect(page.get_by_label("Tracking number")).to_have_attribute("aria-invalid", "true")
    violations = serious(axe(page))
    assert not violations, describe(violations)
    page.get_by_label("Tracking number").fill(tn.lower())
    page.get_by_role("button", name="Show the request").click()
    expect(page.locator(".tracking")).to_have_text(tn)
    expect(page).to_have_url(re.compile(rf"#/r/{tn}$"))  # the number as the city writes it
