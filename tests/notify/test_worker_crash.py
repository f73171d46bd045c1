"""A `city311 worker` killed with SIGKILL in the middle of a dispatch batch, then started again:
every notification is delivered exactly once. The rows it had claimed are claimed again after
their lease, in doubt: Twilio is asked whether it already took each message (it had, for the sends
in flight when the process died) before anything is sent again."""

from __future__ import annotations

import os
import signal
import subprocess
from collections import Counter

import pytest

from backend.notify.tables import Notification
from backend.service_requests.models import Subscriber
from tests.dates import last_noon_in_chicago
from tests.factories import pothole
from tests.fakes.twilio_server import FakeTwilio
from tests.processes import city311, stop, until

pytestmark = pytest.mark.slow  # kills a worker mid-batch

FOLLOWERS = [f"+1312555{i:04d}" for i in range(400, 460)]
# Noon in Chicago yesterday: outside the quiet hours, and due now.
CHANGED_AT = last_noon_in_chicago()  # less than a day ago, outside the quiet hours
CONCURRENCY = 8  # the dispatcher's sends in flight


def _worker(twilio: FakeTwilio, **settings: str) -> subprocess.Popen:
    """A real `city311 worker` process dispatching to the loopback Twilio."""
    env = {
        **os.environ,
        "TWILIO_ACCOUNT_SID": twilio.account_sid,
        "TWILIO_AUTH_TOKEN": twilio.auth_token,
        "TWILIO_FROM_NUMBER": "+13125550000",
        "TWILIO_API_BASE_URL": twilio.base_url,
        "CITY311_DISPATCH_SECONDS": "0.2",
        "CITY311_DISPATCH_LEASE_SECONDS": "3",
        "CITY311_SMS_PER_SECOND": "off",
        **settings,
    }
    return city311("worker", env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.fixture
def twilio():
    with FakeTwilio() as fake:
        yield fake


async def test_a_worker_killed_mid_batch_delivers_each_exactly_once(services, twilio, monkeypatch):
    monkeypatch.setattr(services.requests, "clock", lambda: CHANGED_AT)
    result = await services.requests.submit(
        pothole(channel="sms", subscriber=Subscriber.phone(FOLLOWERS[0]))
    )
    tn = result.request.tracking_number
    for phone in FOLLOWERS[1:]:
        await services.requests.follow(tn, Subscriber.phone(phone), channel="sms")
    await services.requests.transition(tn, "in_progress", actor="staff:1", channel="staff")
    twilio.slow(seconds=0.25)  # a batch of 60 takes ~2 s: time to die in the middle of it

    async def some_sent():
        return len(twilio.messages) >= 12

    first = _worker(twilio)
    try:
        assert await until(some_sent), "the first worker sent nothing"
    finally:
        first.send_signal(signal.SIGKILL)
        stop(first)
    sent_before = len(twilio.messages)
    assert sent_before < len(FOLLOWERS)  # it died mid-batch

    async def all_marked():
        rows = await Notification.select(Notification.status).where(Notification.channel == "sms")
        return rows and all(r["status"] == "sent" for r in rows)

    second = _worker(twilio)
    try:
        assert await until(all_marked), "the restarted worker did not finish"
    finally:
        stop(second)
    received = Counter(m.to for m in twilio.messages)
    lost = [p for p in FOLLOWERS if received[p] == 0]
    twice = sum(n - 1 for n in received.values() if n > 1)
    print(f"killed after {sent_before} of {len(FOLLOWERS)}; lost {len(lost)}, sent twice {twice}")
    assert lost == []
    assert twice == 0  # the sends in flight were found at Twilio, not repeated
