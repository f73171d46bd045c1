"""Web Push subscriptions (registered by devices) and the outbox's push transport."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from backend.db import Reader, Writer
from backend.errors import Conflict, InvalidInput, NotFound
from backend.limits import shown
from backend.notify import repo
from backend.notify.store import Claimed
from backend.notify.transports import DeliveryFailed
from backend.notify.webpush import (
    PushError,
    PushGone,
    WebPushSender,
    check_endpoint,
    is_known_push_service,
    subscription_key_problem,
)
from backend.service_requests.repo import MAX_ID

MAX_PER_DEVICE = 10  # browsers a device (an app install, a person) may receive updates in


@dataclass(frozen=True)
class Subscription:
    id: int
    device: int
    endpoint: str
    p256dh: str
    auth: str
    language: str


class PushStore:
    def __init__(self, reader: Reader, writer: Writer, extra_origins: tuple[str, ...] = ()):
        self.reader, self.writer = reader, writer
        self.extra_origins = extra_origins  # e.g. a test push service on loopback

    def check(self, endpoint: str) -> None:
        """Only browser vendors' push services (and configured extra origins): the sender must
        never POST to a host a client made up."""
        parts = urlsplit(endpoint)
        origin = f"{parts.scheme}://{parts.netloc}"
        if not (is_known_push_service(endpoint) or origin in self.extra_origins):
            raise InvalidInput.for_field(
                "endpoint", "not a browser push service's endpoint (https://…)"
            )
        try:
            check_endpoint(endpoint)
        except PushError as exc:
            raise InvalidInput.for_field("endpoint", str(exc)) from None

    async def register(
        self, device: int, endpoint: str, p256dh: str, auth: str, language: str, at: datetime
    ) -> int:
        """The subscription's id; the same endpoint registered again is updated (a browser
        renews its keys, or another device takes it over). Keys that cannot be encrypted for
        are InvalidInput; a device's subscription beyond MAX_PER_DEVICE is a Conflict."""
        self.check(endpoint)
        if problem := subscription_key_problem(p256dh, auth):
            raise InvalidInput.for_field(f"keys.{problem[0]}", problem[1])
        async with self.writer.transaction():
            await self._within_cap(device, endpoint)
            await repo.save_subscription(device, endpoint, p256dh, auth, language, at)
            found = await repo.subscription_id(self.reader, endpoint)
        assert found is not None  # inserted or updated just now, in this transaction
        return found

    async def _within_cap(self, device: int, endpoint: str) -> None:
        """Conflict when the device has MAX_PER_DEVICE subscriptions and this is not one of them
        (inside the registering transaction; on PostgreSQL the device's row is locked, so two
        registrations at once cannot both take the last place)."""
        await self.writer.lock_row("device", device)
        rows = await repo.device_subscriptions(self.reader, device)
        if len(rows) >= MAX_PER_DEVICE and endpoint not in {r["endpoint"] for r in rows}:
            raise Conflict.for_field(
                "endpoint",
                f"this device already has {MAX_PER_DEVICE} push subscriptions: remove one "
                "(DELETE /api/v1/push-subscriptions/{id}) first",
            )

    async def delete(self, subscription_id: int, device: int | None = None) -> None:
        """Removes it (a device may remove only its own: NotFound otherwise)."""
        if not 1 <= subscription_id <= MAX_ID:  # beyond the column's integers: none such
            raise NotFound.for_field("id", f"no push subscription {shown(str(subscription_id))}")
        async with self.writer.transaction():
            deleted = await repo.delete_subscription(subscription_id, device)
        if not deleted and device is not None:
            raise NotFound.for_field(
                "id", f"this device has no push subscription {subscription_id}"
            )

    async def forget(self, target: str) -> None:
        if target.isdigit():
            await self.delete(int(target))

    async def get(self, subscription_id: int) -> Subscription | None:
        row = await repo.subscription(self.reader, subscription_id)
        return Subscription(**row) if row else None

    async def of_devices(self, devices: list[int]) -> list[Subscription]:
        if not devices:
            return []
        rows = await repo.subscriptions_of(self.reader, devices)
        return [Subscription(**r) for r in rows]


class PushTransport:
    channel = "push"

    def __init__(self, sender: WebPushSender, store: PushStore) -> None:
        self.sender, self.store = sender, store

    async def send(self, notification: Claimed) -> str | None:
        subscription = (
            await self.store.get(int(notification.target))
            if notification.target.isdigit()
            else None
        )
        if subscription is None:
            raise DeliveryFailed("the subscription was removed", permanent=True, gone=True)
        payload = {
            "title": notification.title,
            "body": notification.body,
            "url": notification.url,
            "tag": notification.title,  # one notification per request on the screen
            "lang": notification.language,  # the body's language (the notification's lang)
        }
        try:
            return await self.sender.send(
                subscription.endpoint, subscription.p256dh, subscription.auth, payload
            )
        except PushGone as exc:
            raise DeliveryFailed(str(exc), permanent=True, gone=True) from None
        except PushError as exc:
            raise DeliveryFailed(
                str(exc), permanent=exc.permanent, retry_after=exc.retry_after
            ) from None
