"""Web Push end to end: a device registers its browser's subscription through the app API, follows
a request, the request changes, and the loopback push service (which verifies VAPID and decrypts)
receives the update in the subscription's language; a gone subscription is removed."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from backend.notify.dispatch import Dispatcher
from backend.notify.live import LiveTransport
from backend.notify.push import MAX_PER_DEVICE, PushTransport
from backend.notify.store import OutboxStore
from backend.notify.tables import Notification, PushSubscription
from backend.notify.webpush import WebPushSender
from sms.store import SmsStore
from tests.factories import pothole
from tests.fakes.push_service import FakePushService

NOON = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)  # any date; in Chicago: outside the quiet hours


@pytest.fixture(autouse=True)
def noon(services, monkeypatch):
    monkeypatch.setattr(services.requests, "clock", lambda: NOON)


@pytest.fixture
def push_service(services, monkeypatch):
    with FakePushService() as fake:
        monkeypatch.setattr(services.push, "extra_origins", (fake.origin,))
        yield fake


def _dispatcher(services) -> Dispatcher:
    consent = SmsStore(services.reader, services.writer)
    return Dispatcher(
        OutboxStore(services.reader, services.writer),
        {
            "push": PushTransport(WebPushSender(services.vapid), services.push),
            "live": LiveTransport(),
        },
        opted_out=consent.opted_out_among,
        opt_out=lambda phone, at: consent.set_opted_out(phone, True, at),
        forget_subscription=services.push.forget,
        clock=lambda: NOON,
    )


async def _device(client) -> dict:
    token = (await client.post("/api/v1/devices")).json()["token"]
    return {"Authorization": f"Bearer {token}"}


async def _pothole(services) -> str:
    return (await services.requests.submit(pothole())).request.tracking_number


async def _subscribe(client, auth, subscription, language=None):
    body = {**subscription, **({"language": language} if language else {})}
    return await client.post("/api/v1/push-subscriptions", json=body, headers=auth)


async def test_a_followed_change_is_pushed_to_the_devices_browser(client, services, push_service):
    key = (await client.get("/api/v1/push/public-key")).json()["publicKey"]
    assert key == services.vapid.public_key
    auth = await _device(client)
    created = await _subscribe(
        client, auth, push_service.new_subscription(application_server_key=key), "es"
    )
    assert created.status_code == 201, created.text
    tn = await _pothole(services)
    assert (await client.post(f"/api/v1/requests/{tn}/follow", headers=auth)).status_code == 200
    await services.requests.transition(tn, "completed", actor="staff:1", channel="staff")
    assert await _dispatcher(services).run_once() == {"sent": 1}
    (delivery,) = push_service.received
    assert delivery.payload["title"] == f"City311 {tn}"
    assert delivery.payload["body"].endswith("ahora: completado.")
    assert delivery.payload["url"].endswith(f"/api/v1/requests/{tn}")
    assert delivery.payload["lang"] == "es"
    (row,) = await Notification.select().where(Notification.channel == "push")
    assert row["status"] == "sent" and row["provider_id"]


async def test_a_gone_subscription_is_removed(client, services, push_service):
    auth = await _device(client)
    subscription = push_service.new_subscription()
    assert (await _subscribe(client, auth, subscription)).status_code == 201
    tn = await _pothole(services)
    assert (await client.post(f"/api/v1/requests/{tn}/follow", headers=auth)).status_code == 200
    push_service.expire(subscription["endpoint"])
    await services.requests.transition(tn, "open", actor="staff:1", channel="staff")
    assert await _dispatcher(services).run_once() == {"suppressed": 1}
    assert await PushSubscription.count() == 0


@pytest.mark.parametrize(
    "change,field",
    [
        ({"endpoint": "https://evil.example.org/push/1"}, "endpoint"),
        ({"endpoint": "http://127.0.0.1:9/push/1"}, "endpoint"),
        ({"keys": {"p256dh": "not base64!", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "keys.p256dh"),
        ({"language": "fr"}, "language"),
    ],
)
async def test_a_bad_subscription_is_a_422(client, services, push_service, change, field):
    auth = await _device(client)
    response = await _subscribe(client, auth, {**push_service.new_subscription(), **change})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert await PushSubscription.count() == 0


# 65 bytes, uncompressed form, but not a point of P-256 (x = y = 1)
OFF_CURVE = base64.urlsafe_b64encode(b"\x04" + (1).to_bytes(32, "big") * 2).decode().rstrip("=")


@pytest.mark.parametrize(
    "keys,field",
    [
        ({"p256dh": OFF_CURVE}, "keys.p256dh"),
        ({"p256dh": base64.urlsafe_b64encode(b"\x04" + b"\x00" * 63).decode()}, "keys.p256dh"),
        ({"p256dh": base64.urlsafe_b64encode(b"\x02" + b"\x11" * 32).decode()}, "keys.p256dh"),
        ({"auth": base64.urlsafe_b64encode(b"\x01" * 15).decode()}, "keys.auth"),
        ({"auth": base64.urlsafe_b64encode(b"\x01" * 24).decode()}, "keys.auth"),
    ],
)
async def test_keys_that_cannot_be_encrypted_for_are_a_422(
    client, services, push_service, keys, field
):
    auth = await _device(client)
    subscription = push_service.new_subscription()
    subscription["keys"] = {**subscription["keys"], **keys}
    response = await _subscribe(client, auth, subscription)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    assert await PushSubscription.count() == 0


async def test_a_device_has_at_most_ten_subscriptions(client, services, push_service):
    auth, other = await _device(client), await _device(client)
    mine = [push_service.new_subscription() for _ in range(MAX_PER_DEVICE)]
    created = [(await _subscribe(client, auth, s)).json()["id"] for s in mine]
    refused = await _subscribe(client, auth, push_service.new_subscription())
    assert refused.status_code == 409
    assert refused.json()["type"] == "urn:city311:problem:conflict"
    assert "10 push subscriptions" in refused.json()["detail"]
    # a browser renewing its keys is not a new subscription; another device has its own places
    renewed = {**mine[0], "keys": push_service.new_subscription()["keys"]}
    assert (await _subscribe(client, auth, renewed)).status_code == 201
    assert (await _subscribe(client, other, push_service.new_subscription())).status_code == 201
    # one removed, one place free
    assert (
        await client.delete(f"/api/v1/push-subscriptions/{created[3]}", headers=auth)
    ).status_code == 204
    assert (await _subscribe(client, auth, push_service.new_subscription())).status_code == 201
    assert await PushSubscription.count() == MAX_PER_DEVICE + 1


async def test_only_its_device_removes_a_subscription(client, services, push_service):
    mine, theirs = await _device(client), await _device(client)
    created = (await _subscribe(client, mine, push_service.new_subscription())).json()
    url = f"/api/v1/push-subscriptions/{created['id']}"
    assert (await client.delete(url, headers=theirs)).status_code == 404
    assert (await client.delete(url)).status_code == 401
    assert (await client.delete(url, headers=mine)).status_code == 204
    assert await PushSubscription.count() == 0


@pytest.mark.parametrize("subscription_id", [0, 2**31, 10**30])
async def test_an_id_beyond_the_columns_range_is_a_404(client, services, subscription_id):
    auth = await _device(client)
    response = await client.delete(f"/api/v1/push-subscriptions/{subscription_id}", headers=auth)
    assert response.status_code == 404
