"""A request's life after filing, as RequestService runs it: status changes, notes, follows and
the system's sweeps (late SLAs, "is it fixed?"); each one transaction with its history event and
its followers' notifications."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from backend.errors import Conflict
from backend.service_requests import workflow
from backend.service_requests.base import RequestCore, check_note
from backend.service_requests.models import EventView, RequestView, Subscriber


class ChangeOperations(RequestCore):
    async def transition(
        self,
        tracking_number: str,
        status: str,
        *,
        actor: str,
        channel: str,
        note: str | None = None,
        public: bool = True,
        expected_status: str | None = None,
        message: Callable[[str], str] | None = None,
    ) -> RequestView:
        """Change the status (with an optional note). With `expected_status` (what a staff
        member saw), a request changed meanwhile by someone else is a Conflict, not overwritten.
        `message(language)`, when given, is what followers are told instead of the usual news of
        a change (a police report's RD number, or why it was declined)."""
        note = check_note(note) or None
        request_id, _ = await self._locate(tracking_number)
        now = self.clock()
        async with self.writer.transaction():
            current = await self.repo.current_status_for_update(request_id)
            if expected_status is not None and current != expected_status:
                raise Conflict.for_field(
                    "status",
                    f"the request is now '{current}', not '{expected_status}': someone "
                    "changed it meanwhile",
                )
            target = workflow.check_transition(current, status)
            return await self._change_status(
                request_id,
                current,
                target,
                actor=actor,
                channel=channel,
                at=now,
                note=note,
                public=public,
                message=message,
            )

    async def flag_late(self, now: datetime | None = None, batch: int = 500) -> int:
        """The SLA sweep: every open request past its type's SLA is flagged once (an internal
        `sla_late` event staff see), and its followers are told it is taking longer. Returns how
        many were flagged."""
        now = now or self.clock()
        open_statuses = sorted(s.value for s in workflow.OPEN_STATUSES)
        flagged = 0
        for service_type in (*self.catalog.types, *self.catalog.private):
            if not service_type.sla_days:
                continue
            cutoff = now - timedelta(days=service_type.sla_days)
            while ids := await self.repo.late_request_ids(
                service_type.id, cutoff, open_statuses, batch
            ):
                for request_id in ids:
                    async with self.writer.transaction():
                        status = await self.repo.current_status_for_update(request_id)
                        if not workflow.is_open(status):
                            continue  # closed meanwhile
                        await self.repo.update_request(request_id, sla_late_at=now)
                        event_id = await self.repo.insert_event(
                            request_id,
                            "sla_late",
                            note=f"open past its {service_type.sla_days}-day SLA",
                            public=False,
                            actor="system:sla",
                            channel="system",
                            at=now,
                        )
                        if self.listener is not None:
                            view = await self._view(request_id)
                            assert view is not None
                            subscribers = await self.repo.subscribers(request_id)
                            await self.listener.running_late(view, event_id, subscribers, now)
                    flagged += 1
        return flagged

    async def ask_if_fixed(
        self, now: datetime | None = None, after: timedelta = timedelta(days=1)
    ) -> int:
        """A day after a request is completed, its reporter is asked whether it is fixed (once;
        not for requests completed more than a week before). Returns how many were asked."""
        now = now or self.clock()
        asked = 0
        while ids := await self.repo.completed_unasked_ids(
            now - after, now - timedelta(days=8), 500, self.catalog.private_ids
        ):
            for request_id in ids:
                async with self.writer.transaction():
                    await self.repo.update_request(request_id, fixed_asked_at=now)
                    event_id = await self.repo.insert_event(
                        request_id,
                        "fixed_asked",
                        public=False,
                        actor="system:follow-up",
                        channel="system",
                        at=now,
                    )
                    reporters = await self.repo.reporters(request_id)
                    if self.listener is not None and reporters:
                        view = await self._view(request_id)
                        assert view is not None
                        await self.listener.ask_if_fixed(view, event_id, reporters, now)
                asked += 1
        return asked

    async def comment(
        self, tracking_number: str, note: str, *, actor: str, channel: str, public: bool
    ) -> EventView:
        note = check_note(note, required=True)
        request_id, _ = await self._locate(tracking_number)
        now = self.clock()
        async with self.writer.transaction():
            # the request's row lock, as for a status change: its followers' updates are written
            # one change after the other (a newer one supersedes what an older one left unsent)
            await self.repo.current_status_for_update(request_id)
            if public:
                await self.repo.update_request(request_id, latest_public_note=note, updated_at=now)
            event_id = await self.repo.insert_event(
                request_id, "note", note=note, public=public, actor=actor, channel=channel, at=now
            )
            if public and self.listener is not None:
                # A public note is news: its followers are told, in this transaction; an internal
                # one reaches nobody.
                view = await self._view(request_id)
                assert view is not None
                subscribers = await self.repo.subscribers(request_id)
                await self.listener.note_added(view, event_id, subscribers, note, now)
        return EventView(
            id=event_id,
            kind="note",
            from_status=None,
            to_status=None,
            note=note,
            public=public,
            actor=actor,
            channel=channel,
            created_at=now,
        )

    async def follow(self, tracking_number: str, subscriber: Subscriber, *, channel: str) -> bool:
        """Start following; False if this subscriber already followed the request. A private
        request (a police report) is followed only by its reporter, from its filing."""
        await self.get_public(tracking_number)
        request_id, _ = await self._locate(tracking_number)
        now = self.clock()
        async with self.writer.transaction():
            if not await self.repo.subscribe(request_id, subscriber, now):
                return False
            await self.repo.insert_event(
                request_id,
                "followed",
                public=False,
                actor=subscriber.actor,
                channel=channel,
                at=now,
            )
        return True

    async def unfollow(self, tracking_number: str, subscriber: Subscriber, *, channel: str) -> bool:
        """Stop following; False if this subscriber was not following."""
        request_id, _ = await self._locate(tracking_number)
        now = self.clock()
        async with self.writer.transaction():
            if not await self.repo.unsubscribe(request_id, subscriber):
                return False
            await self.repo.insert_event(
                request_id,
                "unfollowed",
                public=False,
                actor=subscriber.actor,
                channel=channel,
                at=now,
            )
        return True

    async def set_language(self, subscriber: Subscriber) -> int:
        """The language a follower's updates are written in, for everything they follow (a
        texted LANG ES); how many follows changed."""
        async with self.writer.transaction():
            return await self.repo.set_subscriber_language(
                subscriber.kind, subscriber.target, subscriber.language
            )

    async def is_following(self, tracking_number: str, subscriber: Subscriber) -> bool:
        request_id, _ = await self._locate(tracking_number)
        return await self.repo.is_subscribed(request_id, subscriber)
