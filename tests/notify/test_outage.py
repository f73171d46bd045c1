"""Twilio answering 500 for a while (every send refused), with a real `city311 worker` running:
every notification is delivered after Twilio recovers, none twice — counted and printed.

The outage is a minute, and the retries come after 1, 2 and 5 seconds
(CITY311_DISPATCH_BACKOFF) instead of 30 s, 2 min and 10 min: the same code path, in a test's time.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import pytest

from backend.notify.tables import Notification
from backend.service_requests.models import Subscriber
from tests.dates import last_noon_in_chicago
from tests.factories import pothole
from tests.fakes.twilio_server import FakeTwilio
from tests.notify.test_worker_crash import _worker
from tests.processes import stop, until

pytestmark = pytest.mark.slow  # a worker through an outage

FOLLOWERS = [f"+1312555{i:04d}" for i in range(600, 630)]
CHANGED_AT = last_noon_in_chicago()  # less than a day ago, outside the quiet hours
OUTAGE_SECONDS = 60


@pytest.fixture
def twilio():
    with FakeTwilio() as fake:
        yield fake


async def test_an_outage_delays_but_loses_and_repeats_nothing(services, twilio, monkeypatch):
    monkeypatch.setattr(services.requests, "clock", lambda: CHANGED_AT)
    tn = (
        await services.requests.submit(pothole(subscriber=Subscriber.phone(FOLLOWERS[0])))
    ).request.tracking_number
    for phone in FOLLOWERS[1:]:
        await services.requests.follow(tn, Subscriber.phone(phone), channel="sms")
    twilio.down(status=500)
    worker = _worker(twilio, CITY311_DISPATCH_BACKOFF="1,2,5")
    try:
        await services.requests.transition(tn, "in_progress", actor="staff:1", channel="staff")
        started = time.monotonic()

        async def each_refused():
            return sum(1 for r in twilio.requests if r.method == "POST") >= len(FOLLOWERS)

        assert await until(each_refused), "the worker did not try"  # it may start slowly
        await asyncio.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - started)))
        refused = sum(1 for r in twilio.requests if r.method == "POST")
        assert twilio.messages == [] and refused > len(FOLLOWERS)  # tried, and retried
        twilio.clear_scripts()  # Twilio is back

        async def all_sent():
            rows = await Notification.select(Notification.status).where(
                Notification.channel == "sms"
            )
            return rows and all(r["status"] == "sent" for r in rows)

        assert await until(all_sent), "not delivered after the outage"
        recovered = time.monotonic() - started - OUTAGE_SECONDS
    finally:
        stop(worker)
    received = Counter(m.to for m in twilio.messages)
    lost = [p for p in FOLLOWERS if received[p] == 0]
    twice = sum(n - 1 for n in received.values() if n > 1)
    print(
        f"outage {OUTAGE_SECONDS} s, {refused} sends refused; delivered {len(received)} of "
        f"{len(FOLLOWERS)} {recovered:.1f} s after recovery; lost {len(lost)}, sent twice {twice}"
    )
    assert lost == [] and twice == 0
