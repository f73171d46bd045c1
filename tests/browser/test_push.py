"""Web Push end to end in a real browser. Offline, Chromium cannot reach a browser vendor's push
service, so its `pushManager.subscribe` is replaced (an init script) by one that asks the tests'
push service (tests/fakes/push_service.py) for a subscription bound to the applicationServerKey
the page passed: the page still fetches the server's VAPID key, subscribes with it and registers
the subscription through the real app API. A status change through the staff API then makes the
server's outbox send the encrypted push there; the fake push service checks the VAPID signature
and decrypts it with the subscription's keys, which it generated, and the test hands the plaintext
to the page's service worker (DevTools' ServiceWorker.deliverPushMessage), which shows the
notification in the resident's language; after switching the app to Polish the next push is in
Polish. The settings page's preferences are saved too."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from contextlib import closing

from playwright.sync_api import expect

from tests.browser.conftest import describe, serious
from tests.browser.test_request_page import change, report
from tests.processes import ceiling, wait_for

# pushManager as a browser with a push service would give it, made by the tests' push service.
FAKE_PUSH_MANAGER = """
(() => {
  let current = null;
  const b64url = (bytes) => btoa(String.fromCharCode(...bytes))
    .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  PushManager.prototype.subscribe = async function (options) {
    if (!options || options.userVisibleOnly !== true) {
      throw new DOMException('userVisibleOnly must be true', 'NotAllowedError');
    }
    const key = new Uint8Array(options.applicationServerKey);
    window.__subscribedWith = b64url(key);
    const json = await window.city311Subscribe(window.__subscribedWith);
    current = {
      endpoint: json.endpoint,
      expirationTime: null,
      options: { userVisibleOnly: true, applicationServerKey: key.buffer },
      toJSON: () => json,
      unsubscribe: async () => { current = null; return true; },
    };
    return current;
  };
  PushManager.prototype.getSubscription = async function () { return current; };
})();
"""

NOTIFICATIONS = """async () => {
  const registration = await navigator.serviceWorker.ready;
  const shown = await registration.getNotifications();
  return shown.map((n) => ({ title: n.title, body: n.body, lang: n.lang, tag: n.tag, data: n.data }));
}"""


def outbox(web_server, tn: str) -> list[tuple[int, str, str]]:
    """(event, channel, status) of each outbox row of request `tn`, oldest first, read from the
    served app's SQLite (read-only, beside the running server)."""
    path = web_server.data_dir / "city311.sqlite"
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=ceiling(10))) as db:
        return db.execute(
            "SELECT n.event, n.channel, n.status FROM notification n "
            "JOIN service_request r ON r.id = n.request WHERE r.tracking_number = ? ORDER BY n.id",
            (tn,),
        ).fetchall()


def registration_id(page, cdp, scope: str) -> str:
    """The service worker registration of `scope`, as DevTools names it (its events are read
    while Playwright waits: page.wait_for_timeout lets them in)."""
    found: dict[str, str] = {}

    def seen(event):
        for registration in event["registrations"]:
            if not registration.get("isDeleted"):
                found[registration["scopeURL"]] = registration["registrationId"]

    cdp.on("ServiceWorker.workerRegistrationUpdated", seen)
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + ceiling(10)
    while scope not in found:
        assert time.monotonic() < deadline, f"no service worker registration for {scope}: {found}"
        page.wait_for_timeout(50)
    return found[scope]


def test_a_status_change_is_pushed_and_shown_in_the_residents_language(new_page, web_server, shot):
    page = new_page("phone", locale="es-US", permissions=["notifications"])
    made: list[dict] = []

    def subscribe(key: str) -> dict:
        subscription = web_server.push.new_subscription(application_server_key=key)
        made.append(subscription)
        return subscription

    page.expose_function("city311Subscribe", subscribe)
    page.add_init_script(FAKE_PUSH_MANAGER)
    page.goto("/#/settings")
    expect(page.locator("h1")).to_have_text("Ajustes")
    expect(page.locator("#push-state")).to_have_attribute("data-state", "off")
    page.get_by_role("button", name="Activar las notificaciones").click()
    expect(page.locator("#push-state")).to_have_attribute("data-state", "on")
    expect(page.get_by_role("button", name="Desactivar las notificaciones")).to_be_focused()
    status, key = web_server.api("GET", "/api/v1/push/public-key")
    assert page.evaluate("() => window.__subscribedWith") == key["publicKey"]  # the real VAPID key
    (subscription,) = made
    shot(page, "settings-push-es-phone")

    # paused for the whole device (its push channel off, as another of its browsers may do), then
    # resumed here
    token = page.evaluate("() => localStorage.getItem('city311.device')")
    status, prefs = web_server.api("PUT", "/api/v1/me/preferences", {"channels": []}, token=token)
    assert (status, prefs["channels"]) == (200, []), prefs
    page.get_by_role("link", name="Mis solicitudes").click()  # away and back, no reload: the
    page.get_by_role("link", name="Ajustes").click()  # fake subscription lives in the page
    expect(page.locator("#push-paused")).to_be_visible()
    page.get_by_role("button", name="Reanudar las notificaciones").click()
    expect(page.locator("#push-paused")).to_have_count(0)
    status, prefs = web_server.api("GET", "/api/v1/me/preferences", token=token)
    assert prefs["channels"] == ["push"], prefs

    tn = report(web_server)
    page.goto(f"/#/r/{tn}")
    page.get_by_role("button", name="Seguir esta solicitud").click()
    expect(page.get_by_role("button", name="Dejar de seguir")).to_be_visible()
    expect(page.locator(".follow")).not_to_contain_text("Active las notificaciones")  # they are on

    change(web_server, tn, "in_progress", "Una cuadrilla va en camino.")
    wait_for(
        lambda: web_server.push.deliveries(subscription["endpoint"]),
        seconds=30,
        what="the push at the tests' push service",
    )
    (delivery,) = web_server.push.deliveries(subscription["endpoint"])
    assert delivery.vapid_key == key["publicKey"]  # signed with the key the page subscribed with
    payload = json.loads(delivery.plaintext)  # decrypted with the subscription's own keys
    assert payload["lang"] == "es" and "en curso" in payload["body"], payload

    cdp = page.context.new_cdp_session(page)
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": web_server.base,
            "registrationId": registration_id(page, cdp, web_server.url("/")),
            "data": delivery.plaintext.decode(),
        },
    )
    page.wait_for_function(
        "async () => (await (await navigator.serviceWorker.ready).getNotifications()).length > 0",
        timeout=ceiling(10) * 1000,
    )
    (shown,) = page.evaluate(NOTIFICATIONS)
    assert shown["title"] == f"City311 {tn}"
    assert shown["lang"] == "es"
    assert "en curso" in shown["body"] and "Una cuadrilla va en camino." in shown["body"]
    assert shown["data"]["url"] == web_server.url(f"/#/r/{tn}")  # a tap opens the request's page

    # the resident switches the app to Polish: the subscription is registered again in Polish
    page.locator("#lang").select_option("pl")
    expect(page.get_by_role("button", name="Przestań obserwować")).to_be_visible()
    page.wait_for_function(
        "() => JSON.parse(localStorage.getItem('city311.push')).language === 'pl'",
        timeout=ceiling(10) * 1000,
    )
    change(web_server, tn, "open")
    wait_for(
        lambda: len(web_server.push.deliveries(subscription["endpoint"])) == 2,
        seconds=30,
        what="the second push",
    )
    polish = web_server.push.deliveries(subscription["endpoint"])[1].payload
    assert polish["lang"] == "pl" and "otwarte" in polish["body"], polish

    # turned off: the subscription is removed from City311, so the next change writes no push for
    # it (the outbox writes its rows with the change: there is nothing to send later either)
    page.goto("/#/settings")
    page.get_by_role("button", name="Wyłącz powiadomienia").click()
    expect(page.locator("#push-state")).to_have_attribute("data-state", "off")
    change(web_server, tn, "in_progress")
    status, history = web_server.api("GET", f"/api/v1/requests/{tn}/history")
    assert history["events"][-1]["toStatus"] == "in_progress"
    event = history["events"][-1]["id"]

    def settled() -> list[tuple[int, str, str]] | None:
        """The request's outbox once the dispatcher has been past this change: its row for the
        live event stream sent, and no row of the request waiting (a push wrongly written with
        the change, in the same transaction, would have been sent by then)."""
        rows = outbox(web_server, tn)
        told = any(row == (event, "live", "sent") for row in rows)
        waiting = any(state in ("pending", "sending") for _, _, state in rows)
        return rows if told and not waiting else None

    rows = wait_for(settled, seconds=30, what="the outbox past the third change")
    assert isinstance(rows, list)
    assert [row for row in rows if row[:2] == (event, "push")] == [], rows
    assert len(web_server.push.deliveries(subscription["endpoint"])) == 2


def test_quiet_hours_and_the_digest_are_saved_for_this_device(page, web_server, shot, axe):
    page.goto("/#/settings")
    expect(page.locator("h1")).to_have_text("Settings")
    token = page.evaluate("() => localStorage.getItem('city311.device')")
    expect(page.get_by_label(re.compile("city’s quiet hours"))).to_be_checked()
    page.get_by_label("My own quiet hours").check()
    page.get_by_role("button", name="Save preferences").click()
    expect(page.locator("#quiet-error")).to_have_text("Choose when your quiet hours start and end.")
    page.get_by_label("From").fill("22:30")
    page.get_by_label("Until").fill("07:00")
    page.get_by_label("One summary a day, in the morning").check()
    page.get_by_role("button", name="Save preferences").click()
    expect(page.locator("#status")).to_have_text("Your preferences are saved.")
    status, prefs = web_server.api("GET", "/api/v1/me/preferences", token=token)
    assert (prefs["quietHours"], prefs["digest"]) == ("22:30-07:00", "daily"), prefs
    shot(page, "settings-phone")
    violations = serious(axe(page))
    assert not violations, describe(violations)

    page.reload()
    expect(page.get_by_label("My own quiet hours")).to_be_checked()
    expect(page.get_by_label("From")).to_have_value("22:30")
    page.get_by_label("No quiet hours: tell me at any time").check()
    page.get_by_label("Each update as it happens").check()
    page.get_by_role("button", name="Save preferences").click()
    expect(page.locator("#status")).to_have_text("Your preferences are saved.")
    status, prefs = web_server.api("GET", "/api/v1/me/preferences", token=token)
    assert (prefs["quietHours"], prefs["digest"]) == ("", "instant"), prefs

    page.get_by_label("Language of the app and notifications").select_option("pl")
    expect(page.locator("h1")).to_have_text("Ustawienia")
    expect(page.locator("html")).to_have_attribute("lang", "pl")
