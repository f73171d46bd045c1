"""The notification outbox on both engines: rows written with the change (and only with it), in
each follower's language, held through quiet hours; dispatched through the real Twilio SDK to a
loopback Twilio — sent once, retried after an outage, never to a number that said STOP, and never
twice when two dispatchers run or one dies mid-batch."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest

from backend.notify.dispatch import Dispatcher
from backend.notify.live import LiveTransport
from backend.notify.store import OutboxStore
from backend.notify.tables import Notification
from backend.notify.transports import SmsTransport
from backend.service_requests.models import Subscriber
from backend.transports.twilio import TwilioApi
from sms.store import SmsStore
from tests.conftest import ENGINE
from tests.factories import pothole
from tests.fakes.twilio_server import FakeTwilio

ANA, BOB, CHEN = "+13125550101", "+13125550102", "+13125550103"
NOON = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)  # any date; noon in Chicago


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(services, monkeypatch):
    clock = Clock(NOON)
    monkeypatch.setattr(services.requests, "clock", clock)
    return clock


@pytest.fixture
def twilio():
    with FakeTwilio() as fake:
        yield fake


def dispatcher(services, twilio, clock, per_second=None) -> Dispatcher:
    api = TwilioApi(
        twilio.account_sid, twilio.auth_token, "+13125550000", api_base_url=twilio.base_url
    )
    consent = SmsStore(services.reader, services.writer)
    return Dispatcher(
        OutboxStore(services.reader, services.writer),
        {
            "sms": SmsTransport(api, "http://testserver.local/sms/twilio/status", per_second),
            "live": LiveTransport(),  # no process listens here
        },
        opted_out=consent.opted_out_among,
        opt_out=lambda phone, at: consent.set_opted_out(phone, True, at),
        clock=clock,
    )


async def _followed(services, *followers: Subscriber) -> str:
    result = await services.requests.submit(
        pothole(channel="sms", subscriber=followers[0] if followers else None)
    )
    tn = result.request.tracking_number
    for follower in followers[1:]:
        await services.requests.follow(tn, follower, channel="sms")
    return tn


async def _rows():
    """The messages (not the live streams' wake-ups)."""
    return (
        await Notification.select()
        .where(Notification.channel != "live")
        .order_by(Notification._meta.primary_key)
    )


async def test_a_change_writes_one_notification_per_follower_in_their_language(services, clock):
    tn = await _followed(
        services,
        Subscriber.phone(ANA, "es"),
        Subscriber.phone(BOB, "zh"),
        Subscriber.device(7),  # an app follower: live updates, no outbox row
    )
    assert await _rows() == []  # submitting tells no one: they know
    await services.requests.transition(
        tn, "in_progress", actor="staff:1", channel="staff", note="crew on the way"
    )
    rows = await _rows()
    assert [(r["channel"], r["target"], r["language"]) for r in rows] == [
        ("sms", ANA, "es"),
        ("sms", BOB, "zh"),
    ]
    assert rows[0]["body"] == (
        f"City311: {tn} (Bache en la calle) ahora: en curso. Nota: crew on the way"
    )
    assert "进行中" in rows[1]["body"]
    assert all(r["status"] == "pending" and r["next_attempt_at"] == NOON for r in rows)


async def test_an_internal_note_is_not_told(services, clock):
    tn = await _followed(services, Subscriber.phone(ANA))
    await services.requests.transition(
        tn, "open", actor="staff:1", channel="staff", note="crew 7 lazy", public=False
    )
    (row,) = await _rows()
    assert "lazy" not in row["body"]


async def test_a_change_that_rolls_back_leaves_no_notification(services, clock):
    tn = await _followed(services, Subscriber.phone(ANA))
    with pytest.raises(RuntimeError):
        async with services.writer.transaction():
            await services.requests.transition(tn, "open", actor="staff:1", channel="staff")
            raise RuntimeError("the staff console crashed after the change")
    assert await _rows() == []
    assert (await services.requests.get(tn)).status == "submitted"


async def test_quiet_hours_hold_a_change_made_at_night_until_eight(services, clock):
    tn = await _followed(services, Subscriber.phone(ANA))
    clock.now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # any date; 3 a.m. in Chicago
    await services.requests.transition(tn, "open", actor="staff:1", channel="staff")
    (row,) = await _rows()
    assert row["next_attempt_at"] == datetime(
        2026, 12, 1, 14, 0, tzinfo=UTC
    )  # any date; 8 a.m. CST


async def test_dispatch_sends_through_twilio_once(services, twilio, clock):
    tn = await _followed(services, Subscriber.phone(ANA), Subscriber.phone(BOB))
    await services.requests.transition(tn, "open", actor="staff:1", channel="staff")
    outcome = await dispatcher(services, twilio, clock).run_once()
    assert outcome == {"sent": 2}
    assert sorted(m.to for m in twilio.messages) == [ANA, BOB]
    assert all(
        m.status_callback == "http://testserver.local/sms/twilio/status" for m in twilio.messages
    )
    rows = await _rows()
    assert [r["provider_id"] for r in rows] == [
        m.sid for m in sorted(twilio.messages, key=lambda m: m.to)
    ]
    assert await dispatcher(services, twilio, clock).run_once() == {}  # nothing twice
    assert len(twilio.messages) == 2


async def test_a_number_that_said_stop_gets_nothing(services, twilio, clock):
    tn = await _followed(services, Subscriber.phone(ANA), Subscriber.phone(BOB))
    await services.requests.transition(tn, "open", actor="staff:1", channel="staff")
    await SmsStore(services.reader, services.writer).set_opted_out(ANA, True, NOON)
    outcome = await dispatcher(services, twilio, clock).run_once()
    assert outcome == {"sent": 1, "suppressed": 1}
    assert [m.to for m in twilio.messages] == [BOB]


async def test_twilio_down_is_retried_with_backoff_then_delivered(services, twilio, clock):
    tn = await _followed(services, Subscriber.phone(ANA))
    await services.requests.transition(tn, "open", actor="staff:1", channel="staff")
    twilio.down(status=503)
    d = dispatcher(services, twilio, clock)
    assert await d.run_once() == {"retried": 1}
    (row,) = await _rows()
    assert row["attempts"] == 1 and row["next_attempt_at"] == NOON + timedelta(seconds=30)
    clock.now += timedelta(seconds=10)
    assert await d.run_once() == {}  # not due yet
    clock.now += timedelta(seconds=25)
    assert await d.run_once() == {"retried": 1}
    (row,) = await _rows()
    assert row["next_attempt_at"] == clock.now + timedelta(seconds=120)
    twilio.clear_scripts()
    clock.now += timedelta(minutes=3)
    assert await d.run_once() == {"sent": 1}
    assert [m.to for m in twilio.messages] == [ANA]


async def test_after_a_day_of_failures_it_gives_up(services, twilio, clock):
    tn = await _followed(services, Subscriber.phone(ANA))
    await services.requests.transition(tn, "open", actor="staff:1", channel="staff")
    twilio.down(status=500)
    d = dispatcher(services, twilio, clock)
    outcomes = []
    for _ in range(40):
        outcomes.append(await d.run_once())
        clock.now += timedelta(hours=1)
    assert {"failed": 1} in outcomes
    (row,) = await _rows()
    assert row["status"] == "failed" and "gave up" in row["last_error"]


@pytest.mark.parametrize(
    "code,status,opted_out", [(21610, "suppressed", True), (21211, "failed", False)]
)
async def test_permanent_errors_stop_at_once(services, twilio, clock, code, status, opted_out):
    tn = await _followed(services, Subscriber.phone(ANA))
    await services.requests.transition(tn, "open", actor="staff:1", channel="staff")
    twilio.fail(ANA, code)
    assert await dispatcher(services, twilio, clock).run_once() == {status: 1}
    (row,) = await _rows()
    assert row["status"] == status and row["attempts"] == 1
    assert await SmsStore(services.reader, services.writer).opted_out(ANA) is opted_out


async def test_two_dispatchers_never_send_one_notification_twice(services, twilio, clock):
    followers = [Subscriber.phone(f"+1312555{i:04d}") for i in range(200, 240)]
    tn = await _followed(services, *followers)
    await services.requests.transition(tn, "open", actor="staff:1", channel="staff")
    twilio.slow(seconds=0.02)
    first, second = dispatcher(services, twilio, clock), dispatcher(services, twilio, clock)
    first.batch = second.batch = 5
    a, b = await asyncio.gather(first.run_once(), second.run_once())
    assert a["sent"] + b["sent"] == 40
    assert sorted(m.to for m in twilio.messages) == sorted(f.target for f in followers)
    if ENGINE == "postgres":
        assert a["sent"] and b["sent"]  # SKIP LOCKED: they shared the work


async def test_a_claim_whose_worker_died_is_sent_after_its_lease(services, twilio, clock):
    tn = await _followed(services, Subscriber.phone(ANA))
    await services.requests.transition(tn, "open", actor="staff:1", channel="staff")
    store = OutboxStore(services.reader, services.writer)
    claimed = await store.claim(NOON, NOON + timedelta(minutes=2), 10)
    assert [c.channel for c in claimed] == ["sms", "live"]  # ... and its worker was killed
    d = dispatcher(services, twilio, clock)
    assert await d.run_once() == {}  # still leased
    clock.now += timedelta(minutes=3)
    assert await d.run_once() == {"sent": 1}
    assert len(twilio.messages) == 1


async def test_the_sender_pace_is_held(services, twilio, clock):
    followers = [Subscriber.phone(f"+1312555{i:04d}") for i in range(300, 311)]
    tn = await _followed(services, *followers)
    await services.requests.transition(tn, "open", actor="staff:1", channel="staff")
    started = time.monotonic()
    assert await dispatcher(services, twilio, clock, per_second=20).run_once() == {"sent": 11}
    assert time.monotonic() - started >= 0.5 * 0.95  # 11 sends at 20/s: 10 intervals of 50 ms


async def test_the_sla_sweep_flags_late_requests_once_and_tells_their_followers(services, clock):
    sla = services.catalog.by_code("PHF").sla_days
    late = await _followed(services, Subscriber.phone(ANA, "pl"))
    closed = await _followed(services, Subscriber.phone(BOB))
    await services.requests.transition(closed, "completed", actor="staff:1", channel="staff")
    clock.now = NOON + timedelta(days=sla, hours=1)
    fresh = await _followed(services, Subscriber.phone(CHEN))
    assert await services.requests.flag_late() == 1
    assert await services.requests.flag_late() == 0  # once
    rows = [r for r in await _rows() if r["kind"] == "running_late"]
    assert [(r["target"], r["language"]) for r in rows] == [(ANA, "pl")]
    assert "trwa dłużej" in rows[0]["body"]
    history = await services.requests.history(late, public_only=False)
    assert history[-1].kind == "sla_late" and not history[-1].public
    assert [e.kind for e in await services.requests.history(late)] == ["submitted"]
    assert fresh != late


async def test_a_texted_lang_changes_the_language_of_every_update(services, clock):
    from sms.channel import sms_bot
    from sms.dialog import Inbound

    tn = await _followed(services, Subscriber.phone(ANA, "en"))
    reply = await sms_bot(services).handle(
        Inbound("SM" + "9" * 32, ANA, "LANG PL", received_at=NOON)
    )
    assert "po polsku" in reply
    assert await services.requests.subscribers(tn) == [Subscriber.phone(ANA, "pl")]
    await services.requests.transition(tn, "open", actor="staff:1", channel="staff")
    (row,) = await _rows()
    assert row["language"] == "pl" and "teraz: otwarte" in row["body"]
