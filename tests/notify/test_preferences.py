"""What followers choose: push on or off for a device (app API), quiet hours of their own, a daily
digest (app API for devices, SMS keywords for phones) — and the outbox honouring each."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from backend.notify.digest import send_digests
from backend.notify.store import OutboxStore
from backend.notify.tables import Notification
from backend.service_requests.models import Subscriber
from sms.channel import sms_bot
from sms.dialog import Inbound
from tests.factories import pothole
from tests.fakes.push_service import FakePushService

NOON = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)  # any date; noon in Chicago
THREE_AM = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # any date; 3 a.m. in Chicago
PHONE = "+13125550177"


@pytest.fixture
def at(services, monkeypatch):
    """at(moment): RequestService's clock set to it."""

    def set_(moment: datetime) -> None:
        monkeypatch.setattr(services.requests, "clock", lambda: moment)

    set_(NOON)
    return set_


async def _device(client) -> tuple[int, dict]:
    body = (await client.post("/api/v1/devices")).json()
    device_id = int(jwt.decode(body["token"], options={"verify_signature": False})["sub"])
    return device_id, {"Authorization": f"Bearer {body['token']}"}


async def _sms_rows(services) -> list[dict]:
    return await services.reader.fetch(
        "SELECT kind, status, body, next_attempt_at FROM notification WHERE channel = 'sms' "
        "ORDER BY id"
    )


async def test_a_device_reads_and_changes_its_preferences(client):
    _, auth = await _device(client)
    got = await client.get("/api/v1/me/preferences", headers=auth)
    assert got.status_code == 200
    assert got.json() == {
        "channels": ["push"],
        "quietHours": None,
        "cityQuietHours": "21:00-08:00",
        "digest": "instant",
    }
    put = await client.put(
        "/api/v1/me/preferences",
        json={"quietHours": "22:30-6:00", "digest": "daily"},
        headers=auth,
    )
    assert put.status_code == 200, put.text
    assert put.json()["quietHours"] == "22:30-06:00" and put.json()["digest"] == "daily"
    # only what is sent changes
    off = await client.put("/api/v1/me/preferences", json={"channels": []}, headers=auth)
    assert off.json() == {**put.json(), "channels": []}
    none = await client.put("/api/v1/me/preferences", json={"quietHours": ""}, headers=auth)
    assert none.json()["quietHours"] == ""
    city = await client.put("/api/v1/me/preferences", json={"quietHours": None}, headers=auth)
    assert city.json()["quietHours"] is None
    for bad in ({"quietHours": "25-7"}, {"channels": ["sms"]}, {"digest": "weekly"}, {"x": 1}):
        refused = await client.put("/api/v1/me/preferences", json=bad, headers=auth)
        assert refused.status_code == 422, (bad, refused.text)
    assert (await client.get("/api/v1/me/preferences")).status_code == 401
    allowed = (await client.options("/api/v1/me/preferences")).headers["allow"]
    assert allowed == "GET, OPTIONS, PUT"


async def test_push_turned_off_sends_no_push(client, services, at, monkeypatch):
    with FakePushService() as fake:
        monkeypatch.setattr(services.push, "extra_origins", (fake.origin,))
        _, auth = await _device(client)
        key = services.vapid.public_key
        sub = fake.new_subscription(application_server_key=key)
        assert (await client.post("/api/v1/push-subscriptions", json=sub, headers=auth)).is_success
        tn = (await services.requests.submit(pothole())).request.tracking_number
        await client.post(f"/api/v1/requests/{tn}/follow", headers=auth)
        await services.requests.transition(tn, "in_progress", actor="staff:1", channel="staff")
        await client.put("/api/v1/me/preferences", json={"channels": []}, headers=auth)
        await services.requests.transition(tn, "completed", actor="staff:1", channel="staff")
    rows = await Notification.select(Notification.kind, Notification.channel).where(
        Notification.channel == "push"
    )
    assert len(rows) == 1  # the first change only


async def test_a_phones_own_quiet_hours(services, at):
    await services.preferences.set("phone", PHONE, quiet_hours="11:00-13:00")
    tn = (await services.requests.submit(pothole(subscriber=Subscriber.phone(PHONE)))).request
    await services.requests.transition(tn.tracking_number, "open", actor="s", channel="staff")
    [row] = await _sms_rows(services)
    due = row["next_attempt_at"]
    due = datetime.fromisoformat(due) if isinstance(due, str) else due
    assert due.astimezone(UTC) == NOON + timedelta(hours=1)  # 13:00 in Chicago
    # no quiet hours at all: a change at 3 a.m. goes at once (the city's would hold it to 8)
    await services.preferences.set("phone", PHONE, quiet_hours="")
    at(THREE_AM)
    await services.requests.transition(
        tn.tracking_number, "in_progress", actor="s", channel="staff"
    )
    due = (await _sms_rows(services))[-1]["next_attempt_at"]
    due = datetime.fromisoformat(due) if isinstance(due, str) else due
    assert due.astimezone(UTC) == THREE_AM


async def test_a_daily_digest_tells_the_day_in_one_message(services, at):
    await services.preferences.set("phone", PHONE, digest=True)
    first = (await services.requests.submit(pothole(subscriber=Subscriber.phone(PHONE)))).request
    second = (await services.requests.submit(pothole(subscriber=Subscriber.phone(PHONE)))).request
    await services.requests.transition(
        first.tracking_number, "in_progress", actor="s", channel="staff"
    )
    await services.requests.transition(
        second.tracking_number, "completed", actor="s", channel="staff"
    )
    rows = await _sms_rows(services)
    assert [r["status"] for r in rows] == ["held", "held"]
    store = OutboxStore(services.reader, services.writer)
    assert await send_digests(store, NOON) == 1
    rows = await _sms_rows(services)
    assert [(r["kind"], r["status"]) for r in rows] == [
        ("status_changed", "digested"),
        ("digest", "pending"),
    ]
    body = rows[-1]["body"]
    assert body.startswith("City311 daily update (2):")
    assert first.tracking_number in body and second.tracking_number in body
    assert await send_digests(store, NOON) == 0  # nothing held any more


@pytest.mark.parametrize(
    ("text", "reply", "stored"),
    [
        ("QUIET 22-7", "between 22:00-07:00", ("22:00-07:00", False)),
        ("quiet 10pm to 6:30am", "22:00-06:30", ("22:00-06:30", False)),
        ("Quiet off", "any hour", ("", False)),
        ("QUIET CITY", "between 21:00-08:00", (None, False)),
        ("QUIET whenever", "QUIET 22-7", (None, False)),
        ("DIGEST", "one text a day at 08:00", (None, True)),
        ("instant", "each update as it happens", (None, False)),
    ],
)
async def test_sms_keywords_set_a_phones_preferences(services, text, reply, stored):
    bot = sms_bot(services)
    answer = await bot.handle(Inbound(f"SM{abs(hash(text)):032x}"[:34], PHONE, text))
    assert answer is not None and reply.lower() in answer.lower(), answer
    pref = await services.preferences.of("phone", PHONE)
    assert (pref.quiet_hours, pref.digest) == stored
