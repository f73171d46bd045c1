"""A public note staff add without changing the status is news: its followers hear of it once, by
SMS and push, under the same rules as a status change (quiet hours, channels, digest, superseding);
an internal note reaches nobody. Both engines, an injected clock."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from backend.i18n.messages import status_name
from backend.notify.digest import send_digests
from backend.notify.dispatch import Dispatcher
from backend.notify.live import LiveTransport
from backend.notify.push import PushTransport
from backend.notify.segments import segments
from backend.notify.store import OutboxStore
from backend.notify.tables import Notification
from backend.notify.templates import status_changed
from backend.notify.transports import SmsTransport
from backend.notify.webpush import WebPushSender
from backend.service_requests.models import Subscriber
from backend.transports.twilio import TwilioApi
from sms.store import SmsStore
from tests.factories import pothole
from tests.fakes.push_service import FakePushService
from tests.fakes.twilio_server import FakeTwilio

API = "/api/staff/v1"
ANA, BOB = "+13125550101", "+13125550102"
NOON = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)  # any date; noon in Chicago
THREE_AM = datetime(
    2026, 12, 1, 9, 0, tzinfo=UTC
)  # any date; 3 a.m. in Chicago: the city's quiet hours
EIGHT_AM = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)  # any date


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(services, monkeypatch):
    clock = Clock(NOON)
    monkeypatch.setattr(services.requests, "clock", clock)
    monkeypatch.setattr(services.preferences, "clock", clock)
    return clock


@pytest.fixture
def twilio():
    with FakeTwilio() as fake:
        yield fake


@pytest.fixture
def push_service(services, monkeypatch):
    with FakePushService() as fake:
        monkeypatch.setattr(services.push, "extra_origins", (fake.origin,))
        yield fake


@pytest.fixture
async def supervisor(services) -> dict[str, str]:
    user = await services.staff.create_user("sam", "correct horse battery", "supervisor", [])
    token = services.staff_tokens.access_token(await services.staff.principal(user.id))
    return {"Authorization": f"Bearer {token}"}


def dispatcher(services, twilio, clock) -> Dispatcher:
    api = TwilioApi(
        twilio.account_sid, twilio.auth_token, "+13125550000", api_base_url=twilio.base_url
    )
    consent = SmsStore(services.reader, services.writer)
    return Dispatcher(
        OutboxStore(services.reader, services.writer),
        {
            "sms": SmsTransport(api, None, None),
            "push": PushTransport(WebPushSender(services.vapid), services.push),
            "live": LiveTransport(),
        },
        opted_out=consent.opted_out_among,
        opt_out=lambda phone, at: consent.set_opted_out(phone, True, at),
        forget_subscription=services.push.forget,
        clock=clock,
    )


async def followed_by_a_phone_and_a_browser(client, services, push_service) -> tuple[str, dict]:
    """A request followed by ANA's phone (in Spanish) and a device's browser; the device's
    headers."""
    token = (await client.post("/api/v1/devices")).json()["token"]
    device = {"Authorization": f"Bearer {token}"}
    subscription = push_service.new_subscription(application_server_key=services.vapid.public_key)
    created = await client.post("/api/v1/push-subscriptions", json=subscription, headers=device)
    assert created.status_code == 201, created.text
    command = pothole(subscriber=Subscriber.phone(ANA, "es"))
    tn = (await services.requests.submit(command)).request.tracking_number
    assert (await client.post(f"/api/v1/requests/{tn}/follow", headers=device)).is_success
    return tn, device


async def note(client, headers, tn: str, text: str, public: bool = True):
    response = await client.post(
        f"{API}/requests/{tn}/notes", json={"note": text, "public": public}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response


async def rows() -> list[dict]:
    return await Notification.select(
        Notification.kind, Notification.channel, Notification.status, Notification.body
    ).order_by(Notification._meta.primary_key)


async def test_a_public_note_reaches_every_follower_once(
    client, services, clock, twilio, push_service, supervisor
):
    tn, _ = await followed_by_a_phone_and_a_browser(client, services, push_service)
    await note(client, supervisor, tn, "The crew comes on Monday.")
    assert [(r["kind"], r["channel"]) for r in await rows()] == [
        ("note", "sms"),
        ("note", "push"),
        ("note", "live"),  # open pages show it at once
    ]
    d = dispatcher(services, twilio, clock)
    assert await d.run_once() == {"sent": 2}
    assert await d.run_once() == {}  # once
    # in each follower's language, with the request's status (what it is now) and the note
    (sms,) = twilio.messages
    assert sms.to == ANA
    view = await services.requests.get(tn)
    assert sms.body == status_changed("es", view, "The crew comes on Monday.")
    (push,) = push_service.received
    assert push.payload["title"] == f"City311 {tn}"
    assert push.payload["body"] == status_changed("en", view, "The crew comes on Monday.")
    history = await services.requests.history(tn)
    assert history[-1].kind == "note" and history[-1].note == "The crew comes on Monday."


async def test_an_internal_note_reaches_nobody(
    client, services, clock, twilio, push_service, supervisor
):
    tn, _ = await followed_by_a_phone_and_a_browser(client, services, push_service)
    await note(client, supervisor, tn, "Caller is the alderman's cousin", public=False)
    assert await rows() == []
    assert await dispatcher(services, twilio, clock).run_once() == {}
    assert twilio.messages == [] and push_service.received == []
    staff_view = await services.requests.staff_view(tn)
    assert staff_view.history[-1].note == "Caller is the alderman's cousin"


async def test_a_note_keeps_the_rules_of_a_change(
    client, services, clock, twilio, push_service, supervisor
):
    """Quiet hours hold it and a later note supersedes it; a follower who turned push off or
    chose a digest gets no separate push or text."""
    tn, device = await followed_by_a_phone_and_a_browser(client, services, push_service)
    await services.requests.follow(tn, Subscriber.phone(BOB), channel="sms")
    await services.preferences.set("phone", BOB, digest=True)
    off = await client.put("/api/v1/me/preferences", json={"channels": []}, headers=device)
    assert off.status_code == 200, off.text
    clock.now = THREE_AM
    await services.requests.transition(tn, "open", actor="staff:1", channel="staff")
    clock.now += timedelta(minutes=20)
    await note(client, supervisor, tn, "Marked for the Monday crew.")
    messages = [
        (r["kind"], r["channel"], r["status"]) for r in await rows() if r["channel"] != "live"
    ]
    assert messages == [
        ("status_changed", "sms", "superseded"),  # ANA's: the note tells the latest state
        ("status_changed", "sms", "held"),  # BOB's digest keeps the day's updates
        ("note", "sms", "pending"),
        ("note", "sms", "held"),
    ]
    d = dispatcher(services, twilio, clock)
    assert await d.run_once() == {}  # 3 a.m.
    clock.now = EIGHT_AM
    assert await d.run_once() == {"sent": 1}
    (sms,) = twilio.messages
    view = await services.requests.get(tn)
    assert view.status == "open"  # the note's message tells it: one message, the latest state
    assert sms.to == ANA and sms.body == status_changed("es", view, "Marked for the Monday crew.")
    assert push_service.received == []


async def test_a_note_racing_a_change_leaves_one_message_with_the_latest_state(
    client, services, clock, twilio, push_service, supervisor
):
    tn, _ = await followed_by_a_phone_and_a_browser(client, services, push_service)
    clock.now = THREE_AM
    for i in range(4):
        status = "in_progress" if i % 2 == 0 else "open"
        await asyncio.gather(
            note(client, supervisor, tn, f"note {i}"),
            services.requests.transition(
                tn, status, actor="staff:1", channel="staff", note=f"change {i}"
            ),
        )
    pending = [r for r in await rows() if r["status"] == "pending" and r["channel"] != "live"]
    assert sorted(r["channel"] for r in pending) == ["push", "sms"]  # one each
    latest = (await services.requests.get(tn)).latest_public_note
    assert all(r["body"].endswith(latest) for r in pending)
    clock.now = EIGHT_AM
    assert await dispatcher(services, twilio, clock).run_once() == {"sent": 2}
    (sms,) = twilio.messages
    assert sms.body.endswith(latest)


LONG_NOTE = (
    "The crew found the hole deeper than it looked, a water main runs under it, so the Department "
    "of Water Management inspects it first and the patch crew comes back next week after that."
)


@pytest.mark.parametrize("language", ["zh", "pl", "es"])
async def test_a_long_note_is_told_in_the_followers_language_within_two_segments(
    client, services, clock, twilio, push_service, supervisor, language
):
    tn = (
        await services.requests.submit(pothole(subscriber=Subscriber.phone(BOB, language)))
    ).request.tracking_number
    await note(client, supervisor, tn, LONG_NOTE)
    assert await dispatcher(services, twilio, clock).run_once() == {"sent": 1}
    (sms,) = twilio.messages
    view = await services.requests.get(tn)
    assert sms.to == BOB and sms.body == status_changed(language, view, LONG_NOTE)
    assert segments(sms.body) <= 2
    assert LONG_NOTE[:20] in sms.body  # staff's words, cut to fit, never dropped
    assert status_name(language, view.status) in sms.body  # the rest in the follower's language


async def test_a_held_note_reaches_a_digest_and_quiet_off_releases_a_held_one(
    client, services, clock, twilio, push_service, supervisor
):
    tn = (
        await services.requests.submit(
            pothole(subscriber=Subscriber.phone(ANA, "es"))  # quiet hours: the city's
        )
    ).request.tracking_number
    await services.requests.follow(tn, Subscriber.phone(BOB), channel="sms")
    await services.preferences.set("phone", BOB, digest=True)
    clock.now = THREE_AM
    await note(client, supervisor, tn, "Marked for the Monday crew.")
    d = dispatcher(services, twilio, clock)
    assert await d.run_once() == {}  # ANA's night, BOB's digest
    await services.preferences.set("phone", ANA, quiet_hours="off")  # QUIET OFF
    assert await d.run_once() == {"sent": 1}
    (released,) = twilio.messages
    assert released.to == ANA and released.body.endswith("Marked for the Monday crew.")
    clock.now = EIGHT_AM
    assert await send_digests(OutboxStore(services.reader, services.writer), clock.now) == 1
    assert await d.run_once() == {"sent": 1}
    digest = twilio.messages[-1]
    assert digest.to == BOB and "Marked for the Monday crew." in digest.body
