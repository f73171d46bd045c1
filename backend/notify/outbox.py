"""Writes the outbox rows of a change, inside the change's own transaction (RequestService calls
it as its ChangeListener): one per follower per channel, rendered in the follower's language."""

from __future__ import annotations

from datetime import datetime

from backend.notify.push import PushStore
from backend.notify.quiet import QuietHours
from backend.notify.tables import Notification
from backend.notify.templates import status_changed
from backend.service_requests.models import RequestView, Subscriber

# Which channel tells each kind of follower. A device follower has no channel of its own: its
# app sees the change live (server-sent events), or through the push subscriptions it registered.
CHANNELS = {"phone": "sms", "push": "push"}


class Outbox:
    def __init__(
        self, quiet: QuietHours, public_base_url: str, push: PushStore | None = None
    ) -> None:
        self.quiet = quiet
        self.public_base_url = public_base_url
        self.push = push

    async def status_changed(
        self,
        view: RequestView,
        event_id: int,
        subscribers: list[Subscriber],
        public_note: str | None,
        at: datetime,
    ) -> None:
        due = self.quiet.release(at)  # never at 3 a.m.: held until the quiet hours end
        # A device that follows is pushed to through the browsers' subscriptions it registered.
        devices = [int(s.target) for s in subscribers if s.kind == "device"]
        if self.push is not None and devices:
            subscribers = subscribers + [
                Subscriber("push", str(sub.id), sub.language)
                for sub in await self.push.of_devices(devices)
            ]
        rows = [
            Notification(
                request=view.id,
                event=event_id,
                kind="status_changed",
                channel=CHANNELS[s.kind],
                target=s.target,
                language=s.language,
                title=f"City311 {view.tracking_number}",
                body=status_changed(s.language, view, public_note),
                url=f"{self.public_base_url}/api/v1/requests/{view.tracking_number}",
                next_attempt_at=due,
                created_at=at,
            )
            for s in subscribers
            if s.kind in CHANNELS
        ]
        # Open streams of the request (server-sent events) hear of it too, once it has committed.
        rows.append(
            Notification(
                request=view.id,
                event=event_id,
                kind="status_changed",
                channel="live",
                target=view.tracking_number,
                body=str(event_id),
                next_attempt_at=at,
                created_at=at,
            )
        )
        await Notification.insert(*rows).on_conflict(action="DO NOTHING")
