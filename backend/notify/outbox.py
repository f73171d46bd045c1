"""Writes the outbox rows of a change, inside the change's own transaction (RequestService calls
it as its ChangeListener): one per follower per channel, rendered in the follower's language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from backend.notify import repo
from backend.notify.preferences import Preferences
from backend.notify.push import PushStore
from backend.notify.quiet import QuietHours
from backend.notify.tables import Notification
from backend.notify.templates import fixed_check, running_late, status_changed
from backend.service_requests.models import RequestView, Subscriber
from backend.service_requests.notes import SystemNote

# Which channel tells each kind of follower. A device follower has no channel of its own: its
# app sees the change live (server-sent events), or through the push subscriptions it registered.
CHANNELS = {"phone": "sms", "push": "push"}


# What may wait for a follower's daily digest: news, not a question ("is it fixed?" is asked
# as it happens).
DIGESTIBLE = frozenset({"status_changed", "note", "running_late"})

# News that tells a request's whole state (its status, and its newest note): one not yet sent to
# a follower is superseded by a newer one for the same request and follower, so a follower held by
# quiet hours gets one message with the latest state, never a stale one after (or beside) it.
NEWS = frozenset({"status_changed", "note"})
# What such news makes stale: earlier news, "running late", and "is it fixed?" (asked of a
# request that has moved on since).
STALE = ("status_changed", "note", "running_late", "fixed_check")


class Outbox:
    def __init__(
        self,
        quiet: QuietHours,
        public_base_url: str,
        push: PushStore | None = None,
        preferences: Preferences | None = None,
    ) -> None:
        self.quiet = quiet
        self.public_base_url = public_base_url
        self.push = push
        self.preferences = preferences
        self._quiet_hours: dict[str, QuietHours] = {}

    def _release(self, at: datetime, spec: str | None) -> datetime:
        """When a row due at `at` may go: the follower's quiet hours, else the city's."""
        if spec is None:
            return self.quiet.release(at)
        hours = self._quiet_hours.get(spec)
        if hours is None:
            hours = self._quiet_hours[spec] = QuietHours(spec)
        return hours.release(at)

    async def status_changed(
        self,
        view: RequestView,
        event_id: int,
        subscribers: list[Subscriber],
        public_note: str | SystemNote | None,
        at: datetime,
        message: Callable[[str], str] | None = None,
    ) -> None:
        """`message(language)`, when given, is told instead of the usual sentence (a police
        report's decision: backend/police)."""
        await self._write(
            view,
            event_id,
            "status_changed",
            subscribers,
            message or (lambda language: status_changed(language, view, public_note)),
            at,
            live=True,
        )

    async def note_added(
        self,
        view: RequestView,
        event_id: int,
        subscribers: list[Subscriber],
        note: str,
        at: datetime,
    ) -> None:
        """A public note staff add without changing the status is news too: told like a change,
        with the request's status, under the same rules (channels, quiet hours, digest)."""
        await self._write(
            view,
            event_id,
            "note",
            subscribers,
            lambda language: status_changed(language, view, note),
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
        # A device that follows is pushed to through the browsers' subscriptions it registered.
        devices = [int(s.target) for s in subscribers if s.kind == "device"]
        owner: dict[str, str] = {}  # a push subscription's id -> its device's id
        if self.push is not None and devices:
            pushes = await self.push.of_devices(devices)
            owner = {str(sub.id): str(sub.device) for sub in pushes}
            subscribers = subscribers + [
                Subscriber("push", str(sub.id), sub.language) for sub in pushes
            ]
        reached = [s for s in subscribers if s.kind in CHANNELS]

        def follower(s: Subscriber) -> tuple[str, str]:
            """Whose choices apply: a device's for its browsers' subscriptions."""
            if s.kind == "push":
                device = owner.get(s.target)
                return ("device", device) if device else ("push", s.target)
            return (s.kind, s.target)

        chosen = (
            await self.preferences.of_many([follower(s) for s in reached])
            if self.preferences is not None and reached
            else {}
        )
        rows = []
        for s in reached:
            pref = chosen.get(follower(s))
            channel = CHANNELS[s.kind]
            if pref is not None and channel not in pref.channels:
                continue  # they turned this channel off
            digest = pref is not None and pref.digest and kind in DIGESTIBLE
            rows.append(
                Notification(
                    request=view.id,
                    event=event_id,
                    kind=kind,
                    channel=channel,
                    target=s.target,
                    language=s.language,
                    title=f"City311 {view.tracking_number}",
                    body=render(s.language),
                    url=f"{self.public_base_url}/api/v1/requests/{view.tracking_number}",
                    # never at 3 a.m.: held until the quiet hours (theirs, or the city's) end
                    next_attempt_at=self._release(at, pref.quiet_hours if pref else None),
                    status="held" if digest else "pending",
                    created_at=at,
                )
            )
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
        if kind in NEWS:
            await _supersede(view.id, event_id, [(r.channel, r.target) for r in rows])
        await _not_before_earlier(view.id, rows)
        if rows:
            await repo.insert_notifications(rows)


async def _not_before_earlier(request: int, rows: list[Notification]) -> None:
    """A row is never due before an earlier one of the same request and follower that is still
    pending (one not made stale: "is it fixed?" behind an update waiting for a retry): it would
    only wait for it at the head of the dispatcher's queue."""
    earlier = await repo.latest_pending(request)
    for row in rows:
        due = earlier.get((row.channel, row.target))
        if due is not None and due > row.next_attempt_at:
            row.next_attempt_at = due


async def _supersede(request: int, event_id: int, followers: list[tuple[str, str]]) -> None:
    """Rows for these followers of this request not yet claimed (held by quiet hours, waiting for
    a retry, or just due) are superseded: the newer news is sent in their place. Runs in the
    change's transaction, which holds the request's row lock, so changes of one request supersede
    one after the other; a row the dispatcher has claimed is `sending`, not touched, and the newer
    one waits for it (OutboxStore.claim keeps each follower's rows of a request in order)."""
    by_channel: dict[str, list[str]] = {}
    for channel, target in followers:
        if channel != "live":
            by_channel.setdefault(channel, []).append(target)
    for channel, targets in by_channel.items():
        await repo.supersede(request, event_id, channel, targets, list(STALE))
