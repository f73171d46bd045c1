"""Updates reach each follower in order, on both engines: one held by quiet hours is superseded
by a newer one (a single message with the latest state when the quiet hours end), a newer one
waits for an older one being sent, and neither two changes racing nor a dispatcher claiming while
a change arrives ever sends a stale state after a newer one. The clock is injected: no test
depends on the day it runs."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from backend.notify.dispatch import Dispatcher
from backend.notify.live import LiveTransport
from backend.notify.push import PushTransport
from backend.notify.store import OutboxStore
from backend.notify.tables import Notification
from backend.notify.transports import SmsTransport
from backend.notify.webpush import WebPushSender
from backend.service_requests.models import Subscriber
from backend.transports.twilio import TwilioApi
from sms.channel import sms_bot
from sms.dialog import Inbound
from sms.store import SmsStore
from tests.factories import pothole
from tests.fakes.push_service import FakePushService
from tests.fakes.twilio_server import FakeTwilio

ANA, BOB = "+13125550101", "+13125550102"
NOON = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)  # any date; noon in Chicago
THREE_AM = datetime(
    2026, 12, 1, 9, 0, tzinfo=UTC
)  # any date; 3 a.m. in Chicago: the city's quiet hours
EIGHT_AM = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)  # any date; they end


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


def dispatcher(services, twilio, clock) -> Dispatcher:
    api = TwilioApi(
        twilio.account_sid, twilio.auth_token, "+13125550000", api_base_url=twilio.base_url
    )
    consent = SmsStore(services.reader, services.writer)
    return Dispatcher(
        OutboxStore(services.reader, services.writer),
        {"sms": SmsTransport(api, None, None), "live": LiveTransport()},
        opted_out=consent.opted_out_among,
        opt_out=lambda phone, at: consent.set_opted_out(phone, True, at),
        clock=clock,
    )


async def followed(services, *followers: Subscriber) -> str:
    tn = (await services.requests.submit(pothole(subscriber=followers[0]))).request.tracking_number
    for follower in followers[1:]:
        await services.requests.follow(tn, follower, channel="sms")
    return tn


async def change(services, tn: str, status: str, note: str | None = None):
    return await services.requests.transition(
        tn, status, actor="staff:1", channel="staff", note=note
    )


async def sms_rows() -> list[dict]:
    return (
        await Notification.select(
            Notification._meta.primary_key,
            Notification.target,
            Notification.status,
            Notification.body,
            Notification.next_attempt_at,
        )
        .where(Notification.channel == "sms")
        .order_by(Notification._meta.primary_key)
    )


async def send_all(d: Dispatcher) -> None:
    while await d.run_once():
        pass


async def test_an_update_held_for_quiet_hours_is_superseded_by_a_newer_one(services, twilio, clock):
    tn = await followed(services, Subscriber.phone(ANA), Subscriber.phone(BOB, "es"))
    clock.now = THREE_AM
    await change(services, tn, "open", "we will look at it")
    clock.now += timedelta(minutes=40)
    await change(services, tn, "in_progress", "crew at 9")
    rows = await sms_rows()
    assert [(r["target"], r["status"]) for r in rows] == [
        (ANA, "superseded"),
        (BOB, "superseded"),
        (ANA, "pending"),
        (BOB, "pending"),
    ]
    assert {r["next_attempt_at"].astimezone(UTC) for r in rows[2:]} == {EIGHT_AM}
    d = dispatcher(services, twilio, clock)
    assert await d.run_once() == {}  # quiet hours: nothing yet
    clock.now = EIGHT_AM
    assert await d.run_once() == {"sent": 2}
    assert await d.run_once() == {}
    sent = {m.to: m.body for m in twilio.messages}
    assert len(twilio.messages) == 2  # one message each, not the stale one, not both
    assert sent[ANA] == (
        f"City311: {tn} (Pothole in Street Complaint) is now in progress. Note: crew at 9"
    )
    assert "en curso" in sent[BOB] and "crew at 9" in sent[BOB]


async def test_a_newer_update_waits_for_the_one_being_sent(services, twilio, clock):
    tn = await followed(services, Subscriber.phone(ANA))
    d = dispatcher(services, twilio, clock)
    await change(services, tn, "open")
    store = OutboxStore(services.reader, services.writer)
    # another dispatcher claims it and is sending it when the next change arrives
    (taken,) = [
        c for c in await store.claim(NOON, NOON + timedelta(minutes=2), 10) if c.channel == "sms"
    ]
    await change(services, tn, "in_progress")
    assert [r["status"] for r in await sms_rows()] == ["sending", "pending"]  # not superseded
    assert await d.run_once() == {}  # the newer one waits: it must not overtake
    await d.transports["sms"].send(taken)
    await store.sent(taken.id, "SM-first", NOON)
    assert await d.run_once() == {"sent": 1}
    assert [m.body.split(" is now ")[1] for m in twilio.messages] == ["open.", "in progress."]
    # a dispatcher that died while sending: the newer one waits for its lease, then both go, in order
    await change(services, tn, "completed")
    await store.claim(NOON, NOON + timedelta(minutes=2), 10)
    await change(services, tn, "reopened")
    assert await d.run_once() == {}
    clock.now = NOON + timedelta(minutes=3)
    await send_all(d)
    assert [m.body.split(" is now ")[1] for m in twilio.messages] == [
        "open.",
        "in progress.",
        "completed.",
        "reopened.",
    ]


async def test_several_updates_through_a_night_and_a_day_arrive_in_order(services, twilio, clock):
    tn = await followed(services, Subscriber.phone(ANA))
    d = dispatcher(services, twilio, clock)
    clock.now = THREE_AM
    for minutes, status in [(0, "open"), (30, "in_progress"), (60, "open"), (90, "in_progress")]:
        clock.now = THREE_AM + timedelta(minutes=minutes)
        await change(services, tn, status, f"step {minutes}")
        await send_all(d)
    assert twilio.messages == []
    clock.now = EIGHT_AM
    await send_all(d)
    clock.now = EIGHT_AM + timedelta(hours=2)
    await change(services, tn, "completed", "filled")
    await send_all(d)
    assert [m.body.split(" is now ")[1] for m in twilio.messages] == [
        "in progress. Note: step 90",
        "completed. Note: filled",
    ]


async def test_two_changes_racing_leave_one_message_with_the_latest_state(services, twilio, clock):
    """From submitted, open and in progress may come in either order: whichever commits last
    is the request's state, and the only message each follower is sent tells it."""
    d = dispatcher(services, twilio, clock)
    for round_ in range(6):
        clock.now = THREE_AM
        tn = await followed(services, Subscriber.phone(ANA), Subscriber.phone(BOB))
        await asyncio.gather(
            change(services, tn, "open", f"A{round_}"),
            change(services, tn, "in_progress", f"B{round_}"),
        )
        final = await services.requests.get(tn)
        pending = [r for r in await sms_rows() if r["status"] == "pending"]
        assert sorted(r["target"] for r in pending) == [ANA, BOB]
        assert all(final.latest_public_note in r["body"] for r in pending)
        clock.now = EIGHT_AM
        twilio.messages.clear()
        await send_all(d)
        assert sorted(m.to for m in twilio.messages) == [ANA, BOB]
        status = "in progress" if final.status == "in_progress" else "open"
        assert all(f"is now {status}." in m.body for m in twilio.messages)


async def test_a_dispatcher_claiming_while_changes_arrive_never_sends_a_stale_state(
    services, twilio, clock
):
    """Two dispatchers: while one is slowly sending an update, a change arrives and the other
    claims. The newer update must neither overtake the one in flight nor be lost."""
    tn = await followed(services, Subscriber.phone(ANA))
    first, second = dispatcher(services, twilio, clock), dispatcher(services, twilio, clock)

    async def change_then_claim(status: str, note: str) -> None:
        await change(services, tn, status, note)
        await second.run_once()

    steps = ["open", "in_progress", "open", "in_progress", "open", "in_progress", "completed"]
    await change(services, tn, steps[0], "step 0")
    for i, status in enumerate(steps[1:], start=1):
        twilio.slow(ANA, seconds=0.2, times=1)  # the send in flight is slow, the next one is not
        await asyncio.gather(first.run_once(), change_then_claim(status, f"step {i}"))
        clock.now += timedelta(seconds=5)
    await send_all(first)
    told = [int(m.body.rsplit("step ", 1)[1]) for m in twilio.messages]
    assert told == sorted(told) and len(set(told)) == len(told), told  # in order, none twice
    assert told[-1] == len(steps) - 1  # the latest state was told last
    assert {r["status"] for r in await sms_rows()} <= {"sent", "superseded"}


async def test_quiet_off_by_text_releases_what_is_held_in_order(services, twilio, clock):
    first = await followed(services, Subscriber.phone(ANA))
    second = await followed(services, Subscriber.phone(ANA))
    clock.now = THREE_AM
    await change(services, first, "open", "one")
    await change(services, second, "in_progress", "two")
    await change(services, first, "in_progress", "three")  # "one" is stale now
    d = dispatcher(services, twilio, clock)
    bot = sms_bot(services)

    async def text(body: str) -> str | None:
        sid = f"SM{clock.now.timestamp():.0f}{body.replace(' ', '')}"
        return await bot.handle(Inbound(sid[:34], ANA, body, received_at=clock.now))

    clock.now = THREE_AM + timedelta(minutes=10)
    assert "22:00-04:00" in await text("QUIET 22-4")  # their own, shorter: held until 4 only
    assert await d.run_once() == {}
    held = [r for r in await sms_rows() if r["status"] == "pending"]
    assert {r["next_attempt_at"].astimezone(UTC) for r in held} == {THREE_AM + timedelta(hours=1)}
    clock.now = THREE_AM + timedelta(minutes=20)
    assert "any hour" in await text("QUIET OFF")
    assert await d.run_once() == {"sent": 2}
    assert [m.body.rsplit("Note: ", 1)[1] for m in twilio.messages] == ["two", "three"]
    # from now on nothing waits for the morning
    await change(services, second, "completed", "four")
    assert await d.run_once() == {"sent": 1}


async def test_quiet_hours_turned_off_in_the_app_release_what_is_held(client, services, clock):
    with FakePushService() as push_service:
        services.push.extra_origins, origins = (push_service.origin,), services.push.extra_origins
        try:
            token = (await client.post("/api/v1/devices")).json()["token"]
            auth = {"Authorization": f"Bearer {token}"}
            subscription = push_service.new_subscription(
                application_server_key=services.vapid.public_key
            )
            created = await client.post(
                "/api/v1/push-subscriptions", json=subscription, headers=auth
            )
            assert created.status_code == 201, created.text
            tn = (await services.requests.submit(pothole())).request.tracking_number
            assert (await client.post(f"/api/v1/requests/{tn}/follow", headers=auth)).is_success
            clock.now = THREE_AM
            await change(services, tn, "open")
            await change(services, tn, "in_progress")
            d = push_dispatcher(services, clock)
            assert await d.run_once() == {}
            put = await client.put("/api/v1/me/preferences", json={"quietHours": ""}, headers=auth)
            assert put.status_code == 200, put.text
            assert await d.run_once() == {"sent": 1}
            (delivery,) = push_service.received
            assert delivery.payload["body"].endswith("is now in progress.")
        finally:
            services.push.extra_origins = origins


async def _no_opt_out(phone: str, at: datetime) -> None:
    return None


def push_dispatcher(services, clock) -> Dispatcher:
    return Dispatcher(
        OutboxStore(services.reader, services.writer),
        {
            "push": PushTransport(WebPushSender(services.vapid), services.push),
            "live": LiveTransport(),
        },
        opted_out=SmsStore(services.reader, services.writer).opted_out_among,
        opt_out=_no_opt_out,
        clock=clock,
    )


async def test_what_follows_an_update_waiting_for_a_retry_is_not_due_before_it(
    services, twilio, clock
):
    """Twilio is down: the change waits for its retry, and "running late" (which does not make it
    stale) is due no sooner, each time the retry moves; both go, in order, when Twilio is back.
    (So what waits at the head of the dispatcher's queue is only what waits for a send in flight.)"""
    sla = services.catalog.by_code("PHF").sla_days
    clock.now = NOON - timedelta(days=sla, hours=1)
    tn = await followed(services, Subscriber.phone(ANA))
    clock.now = NOON
    await change(services, tn, "open")
    twilio.down(status=503)
    d = dispatcher(services, twilio, clock)
    assert await d.run_once() == {"retried": 1}
    clock.now = NOON + timedelta(seconds=1)
    assert await services.requests.flag_late() == 1
    due = [r["next_attempt_at"].astimezone(UTC) for r in await sms_rows()]
    assert due == [NOON + timedelta(seconds=30)] * 2
    clock.now = NOON + timedelta(seconds=31)
    assert await d.run_once() == {"retried": 1}
    retry = clock.now + timedelta(seconds=120)
    assert [r["next_attempt_at"].astimezone(UTC) for r in await sms_rows()] == [retry] * 2
    twilio.clear_scripts()
    clock.now = retry
    assert await d.run_once() == {"sent": 2}
    assert ["is now open" in m.body for m in twilio.messages] == [True, False]
    assert "longer than expected" in twilio.messages[1].body
