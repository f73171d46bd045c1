"""Who follows a request (the subscription table): following, unfollowing, a follower's language,
a request's followers and reporters, and moving followers to a duplicate's original. Part of
RequestRepo."""

from __future__ import annotations

from datetime import datetime

from backend.db import Reader
from backend.service_requests.models import Subscriber
from backend.service_requests.tables import Subscription


class SubscriptionQueries:
    reader: Reader

    async def subscribe(self, request_id: int, subscriber: Subscriber, at: datetime) -> bool:
        """True when this subscriber did not follow the request yet. Idempotent under concurrency:
        the unique key (request, kind, target) and ON CONFLICT DO NOTHING, on both engines."""
        rows = (
            await Subscription.insert(
                Subscription(
                    request=request_id,
                    kind=subscriber.kind,
                    target=subscriber.target,
                    language=subscriber.language,
                    created_at=at,
                )
            )
            .on_conflict(action="DO NOTHING")
            .returning(Subscription.id)
        )
        return bool(rows)

    async def set_subscriber_language(self, kind: str, target: str, language: str) -> int:
        rows = (
            await Subscription.update({Subscription.language: language})
            .where((Subscription.kind == kind) & (Subscription.target == target))
            .returning(Subscription.id)
        )
        return len(rows)

    async def unsubscribe(self, request_id: int, subscriber: Subscriber) -> bool:
        rows = (
            await Subscription.delete()
            .where(
                (Subscription.request == request_id)
                & (Subscription.kind == subscriber.kind)
                & (Subscription.target == subscriber.target)
            )
            .returning(Subscription.id)
        )
        return bool(rows)

    async def is_subscribed(self, request_id: int, subscriber: Subscriber) -> bool:
        row = await self.reader.fetchrow(
            "SELECT 1 AS found FROM subscription WHERE request = $1 AND kind = $2 AND target = $3",
            request_id,
            subscriber.kind,
            subscriber.target,
        )
        return row is not None

    async def subscribers(self, request_id: int) -> list[Subscriber]:
        rows = await self.reader.fetch(
            "SELECT kind, target, language FROM subscription WHERE request = $1 ORDER BY id",
            request_id,
        )
        return [Subscriber(r["kind"], r["target"], r["language"]) for r in rows]

    async def reporters(self, request_id: int) -> list[Subscriber]:
        """Who reported it, as followers: its phone (SMS) or its device (the app)."""
        row = await self.reader.fetchrow(
            "SELECT reporter_phone, reporter_device FROM service_request WHERE id = $1",
            request_id,
        )
        found = []
        if row and row["reporter_phone"]:
            phone = Subscriber.phone(row["reporter_phone"])
            for s in await self.subscribers(request_id):  # in the language it follows in
                if s.kind == "phone" and s.target == phone.target:
                    phone = s
            found.append(phone)
        if row and row["reporter_device"]:
            found.append(Subscriber.device(row["reporter_device"]))
        return found

    async def move_subscriptions(self, from_request: int, to_request: int, at: datetime) -> int:
        """Every follower of one request follows the other instead (once); how many moved."""
        rows = await self.reader.fetch(
            "SELECT kind, target, language FROM subscription WHERE request = $1 ORDER BY id",
            from_request,
        )
        for r in rows:
            await self.subscribe(to_request, Subscriber(r["kind"], r["target"], r["language"]), at)
        await Subscription.delete().where(Subscription.request == from_request)
        return len(rows)
