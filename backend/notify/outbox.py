"""Writes the outbox rows of a change, inside the change's own transaction (RequestService calls
it as its ChangeListener): one per follower per channel, rendered in the follower's language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from backend.notify.push import PushStore
from backend.notify.quiet import QuietHours
from backend.notify.tables import Notification
from backend.notify.templates import fixed_check, running_late, status_changed
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
        await self._write(
            view,
            event_id,
            "status_changed",
            subscribers,
            lambda language: status_changed(language, view, public_note),
            at,
            live=True,
        )

    async def running_late(
        self, view: RequestView, event_id: int, subscribers: list[Subscriber], at: datetime
    ) -> None:
        """Told once per request (the sweep flags it once); the event itself is internal."""
        await self._write(
            view,
            event_id,
            "running_late",
            subscribers,
            lambda language: running_late(language, view),
            at,
            live=False,
        )

    async def ask_if_fixed(
        self, view: RequestView, event_id: int, reporters: list[Subscriber], at: datetime
    ) -> None:
        await self._write(
            view,
            event_id,
            "fixed_check",
            reporters,
            lambda language: fixed_check(language, view),
            at,
            live=False,
        )

    async def _write(
        self,
        view: RequestView,
        event_id: int,
        kind: str,
        subscribers: list[Subscriber],
        render: Callable[[str], str],
        at: datetime,
        live: bool,
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
                kind=kind,
                channel=CHANNELS[s.kind],
                target=s.target,
                language=s.language,
                title=f"City311 {view.tracking_number}",
                body=render(s.language),
                url=f"{self.public_base_url}/api/v1/requests/{view.tracking_number}",
                next_attempt_at=due,
                created_at=at,
            )
            for s in subscribers
            if s.kind in CHANNELS
        ]
        if live:
            # Open streams of the request (server-sent events) hear of it too, once committed.
            rows.append(
                Notification(
                    request=view.id,
                    event=event_id,
                    kind=kind,
                    channel="live",
                    target=view.tracking_number,
                    body=str(event_id),
                    next_attempt_at=at,
                    created_at=at,
                )
            )
        if rows:
            await Notification.insert(*rows).on_conflict(action="DO NOTHING")
