"""RequestService: the one write path. Every change is one transaction that also appends history.

Called inside another service's transaction, an operation joins it (Writer.transaction() nests as
a savepoint), so a change, its history event and what else the caller writes commit or roll back
together. Errors name fields by the domain's ids (`service_code`, `tracking_number`,
`answers.LOCATION`); channels rename them. No SQL and no engine differences here: see repo.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

import msgspec

from backend.catalog.answers import validate_answers
from backend.catalog.snapshot import Catalog, ServiceTypeInfo
from backend.db import Writer, is_unique_violation
from backend.errors import Conflict, InvalidInput, NotFound, PayloadTooLarge
from backend.geo.city import CityMap
from backend.geo.geocoder import Geocoder
from backend.geo.geocoder import geocoder as load_geocoder
from backend.limits import MAX_NOTE, check_text, shown
from backend.service_requests import workflow
from backend.service_requests.audit import AuditKind
from backend.service_requests.intake import check_fields, fingerprint, photo_error, refuse
from backend.service_requests.location import Located, Locator
from backend.service_requests.models import (
    EventView,
    FeedFilters,
    ListFilters,
    Page,
    RequestView,
    SubmitCommand,
    SubmitResult,
    Subscriber,
)
from backend.service_requests.repo import RequestRepo
from backend.service_requests.staff_ops import StaffOperations
from backend.service_requests.tracking import format_tracking_number, parse_tracking_number
from backend.storage.images import ImageRejected, ProcessedImage, process_image
from backend.storage.photo_store import PhotoStore
from backend.storage.pixels import TooManyPixels, check_pixel_budget

CHICAGO = ZoneInfo("America/Chicago")


class ChangeListener(Protocol):
    async def status_changed(
        self,
        view: RequestView,
        event_id: int,
        subscribers: list[Subscriber],
        public_note: str | None,
        at: datetime,
        message: Callable[[str], str] | None = None,
    ) -> None: ...

    async def note_added(
        self,
        view: RequestView,
        event_id: int,
        subscribers: list[Subscriber],
        note: str,
        at: datetime,
    ) -> None: ...

    async def running_late(
        self, view: RequestView, event_id: int, subscribers: list[Subscriber], at: datetime
    ) -> None: ...

    async def ask_if_fixed(
        self, view: RequestView, event_id: int, reporters: list[Subscriber], at: datetime
    ) -> None: ...


def utcnow() -> datetime:
    return datetime.now(UTC)


class RequestService(StaffOperations):
    def __init__(
        self,
        *,
        writer: Writer,
        repo: RequestRepo,
        catalog: Catalog,
        photos: PhotoStore,
        city: CityMap,
        clock: Callable[[], datetime] = utcnow,
        photo_threads: int = 1,
        geocoder: Geocoder | None = None,
        listener: ChangeListener | None = None,
    ) -> None:
        self.writer = writer
        self.repo = repo
        self.catalog = catalog
        self.photos = photos
        self.city = city
        self.geocoder = geocoder or load_geocoder()
        self.locator = Locator(city, self.geocoder)
        self.clock = clock
        # Told of each status change inside its transaction (the notification outbox).
        self.listener = listener
        # Photo decoding gets threads of its own (Settings.photo_threads: one fewer than the
        # cores), so a burst of uploads never takes the core the event loop needs for lookups.
        self._photo_executor = ThreadPoolExecutor(
            max_workers=photo_threads, thread_name_prefix="photos"
        )

    def close(self) -> None:
        """Ends the photo threads once they finish what they hold (Services.close)."""
        self._photo_executor.shutdown(wait=True)

    # -- reads ------------------------------------------------------------------------------

    async def get(self, tracking_number: str) -> RequestView:
        canonical = parse_tracking_number(tracking_number)
        view = await self.repo.by_tracking_number(canonical) if canonical else None
        if view is None:
            raise _unknown(tracking_number)
        return view

    async def get_public(self, tracking_number: str) -> RequestView:
        """A request as any public view may show it: one of a private type (a police report) is
        not found, exactly as a number nobody has."""
        view = await self.get(tracking_number)
        if self._is_private(view.service_code):
            raise _unknown(tracking_number, exists=True)
        return view

    async def history(self, tracking_number: str, public_only: bool = True) -> list[EventView]:
        if public_only:
            await self.get_public(tracking_number)
        request_id, _ = await self._locate(tracking_number)
        return await self.repo.events(request_id, public_only)

    async def list(self, filters: ListFilters) -> Page:
        """A public list: never a request of a private type."""
        hidden = self.catalog.private_ids
        return await self.repo.list(msgspec.structs.replace(filters, hidden_type_ids=hidden))

    async def feed(self, filters: FeedFilters) -> list[RequestView]:
        """Requests in date order, oldest first (Open311's GET requests); never a private one."""
        hidden = self.catalog.private_ids
        return await self.repo.feed(msgspec.structs.replace(filters, hidden_type_ids=hidden))

    def _is_private(self, service_code: str) -> bool:
        found = self.catalog.by_code(service_code)
        return found is not None and found.private

    async def public_notes(self, request_ids: list[int]) -> dict[int, list[EventView]]:
        """The public history of each of a page of requests."""
        return await self.repo.public_events(request_ids)

    async def subscribers(self, tracking_number: str) -> list[Subscriber]:
        request_id, _ = await self._locate(tracking_number)
        return await self.repo.subscribers(request_id)

    # -- submit -----------------------------------------------------------------------------

    async def submit(self, cmd: SubmitCommand, *, allow_private: bool = False) -> SubmitResult:
        """Files a request. A private type (a police report) is filed only by the service that
        screens it (backend/police), which says so with `allow_private`."""
        service_type = self._service_type(cmd.service_code, allow_private)
        errors = check_fields(cmd)
        try:
            answers = validate_answers(service_type.questions, cmd.answers)
        except InvalidInput as exc:
            errors.extend(exc.errors)
        if errors:
            raise refuse(errors)

        key, print_ = cmd.idempotency_key, fingerprint(cmd)
        if key and (replay := await self._replay(key, print_)):
            return replay

        # A given point or a typed address is placed (and refused if unknown or outside the
        # city) before any photo is decoded; only a photo's GPS has to wait for the photos.
        given = cmd.lat is not None or bool((cmd.address or "").strip())
        located = self._place(cmd, []) if given else None
        try:
            check_pixel_budget(cmd.photos)  # headers only: refused before any decoding
        except TooManyPixels as exc:
            raise PayloadTooLarge.for_field(f"photos[{exc.index or 0}]", exc.message) from None
        images = await self._process_photos(cmd.photos)
        located = located or self._place(cmd, images)
        uids = [self.photos.new_uid() for _ in images]
        try:
            # Files first, row second: a crash in between leaves an orphan file, which the purge
            # job removes; never a row pointing at a missing file.
            if images:
                await asyncio.to_thread(self._write_files, uids, images)
            request_id = await self._insert(
                cmd, service_type, answers, located, uids, images, print_
            )
            view = await self.repo.by_id(request_id)
        except BaseException as exc:
            if uids:
                await asyncio.to_thread(self._delete_files, uids)
            if key and is_unique_violation(exc) and (replay := await self._replay(key, print_)):
                return replay
            raise
        assert view is not None
        return SubmitResult(request=view, replayed=False)

    def _service_type(self, code: str, allow_private: bool = False) -> ServiceTypeInfo:
        if not (code or "").strip():
            raise InvalidInput.for_field("service_code", "a service_code is required")
        service_type = self.catalog.by_code(code or "")
        if service_type is not None and service_type.private and not allow_private:
            service_type = None  # filed only through its own channel (POST /api/v1/police/reports)
        if service_type is None or not service_type.active:
            raise InvalidInput.for_field(
                "service_code", f"'{shown(code or '')}' is not a service code"
            )
        return service_type

    async def _process_photos(self, photos: list[bytes]) -> list[ProcessedImage]:
        loop = asyncio.get_running_loop()
        images = []
        for index, data in enumerate(photos):
            try:
                # Decoding and re-encoding takes tens of milliseconds: off the event loop.
                images.append(await loop.run_in_executor(self._photo_executor, process_image, data))
            except ImageRejected as exc:
                raise photo_error(index, exc) from None
        return images

    def _place(self, cmd: SubmitCommand, images: list[ProcessedImage]) -> Located:
        """The point given, else the typed address's (checked before any photo was decoded),
        else a photo's GPS; a point alone gets the nearest address."""
        typed = (cmd.address or "").strip() or None
        if cmd.lat is not None and cmd.long is not None:
            self.locator.check_inside(cmd.lat, cmd.long, "lat")
            return Located(
                cmd.lat, cmd.long, typed or self.locator.nearest_address(cmd.lat, cmd.long)
            )
        if typed:
            return self.locator.from_text(typed)
        gps = next((img.gps for img in images if img.gps), None)
        if gps is None:
            raise InvalidInput.for_field(
                "lat",
                "a location is required: send lat and long, an address, or a photo taken with "
                "location services on",
            )
        self.locator.check_inside(*gps, "photos")
        return Located(gps[0], gps[1], self.locator.nearest_address(*gps))

    async def _replay(self, key: str, print_: str) -> SubmitResult | None:
        record = await self.repo.idempotency_record(key)
        if record is None:
            return None
        stored, request_id = record
        if stored != print_:
            raise Conflict.for_field(
                "idempotency_key", "this key was already used for a different request"
            )
        view = await self.repo.by_id(request_id)
        assert view is not None
        return SubmitResult(request=view, replayed=True)

    def _write_files(self, uids: list[str], images: list[ProcessedImage]) -> None:
        for uid, image in zip(uids, images, strict=False):
            self.photos.write(uid, image)

    def _delete_files(self, uids: list[str]) -> None:
        for uid in uids:
            self.photos.delete(uid)

    async def _insert(
        self,
        cmd: SubmitCommand,
        service_type: ServiceTypeInfo,
        answers: dict,
        located: Located,
        uids: list[str],
        images: list[ProcessedImage],
        print_: str,
    ) -> int:
        now = self.clock()
        year = chicago_year(now)
        taken = await self.repo.tracking_sequence_before_transaction(year)
        places = self.city.places(located.lat, located.long)
        if cmd.actor is not None:
            actor = cmd.actor.label
        else:
            actor = f"device:{cmd.device_id}" if cmd.device_id is not None else cmd.channel
        async with self.writer.transaction():
            sequence = await self.repo.tracking_sequence(year, taken)
            request_id = await self.repo.insert_request(
                tracking_number=format_tracking_number(year, sequence),
                service_type=service_type.id,
                status=workflow.Status.SUBMITTED.value,
                description=cmd.description.strip(),
                latitude=located.lat,
                longitude=located.long,
                address=located.address,
                community_area=places.community_area if places else None,
                ward=places.ward.number if places and places.ward else None,
                police_district=(
                    places.police_district.number if places and places.police_district else None
                ),
                police_beat=places.beat if places else None,
                answers=answers,
                channel=cmd.channel,
                reporter_device=cmd.device_id,
                reporter_name=cmd.reporter_name,
                reporter_email=cmd.reporter_email,
                reporter_phone=cmd.reporter_phone,
                reporter_extra=cmd.reporter_extra,
                media_url=cmd.media_url,
                language=cmd.language,
                interpreter_used=cmd.interpreter_used,
                interpreter_language=cmd.interpreter_language,
                sla_due_at=now + timedelta(days=service_type.sla_days)
                if service_type.sla_days
                else None,
                created_at=now,
                updated_at=now,
            )
            await self.repo.insert_event(
                request_id,
                "submitted",
                to_status="submitted",
                actor=actor,
                channel=cmd.channel,
                at=now,
            )
            await self.repo.insert_photos(
                request_id,
                [
                    (uid, img.width, img.height, len(img.jpeg))
                    for uid, img in zip(uids, images, strict=False)
                ],
                now,
            )
            # Every request, from any channel, is owed work by its type's department.
            await self.repo.insert_work_order(
                request_id,
                service_type.department_id,
                now,
                service_type=service_type.id,
                ward=places.ward.number if places and places.ward else None,
                community_area=places.community_area if places else None,
            )
            if cmd.actor is not None:
                await self.repo.insert_audit(
                    cmd.actor,
                    AuditKind.REQUEST_CREATED,
                    now,
                    request_id,
                    {"channel": cmd.channel, "serviceCode": service_type.code},
                )
            if cmd.subscriber is not None:
                await self.repo.subscribe(request_id, cmd.subscriber, now)
            if cmd.idempotency_key:
                await self.repo.insert_idempotency_key(cmd.idempotency_key, print_, request_id, now)
        return request_id

    # -- changes ----------------------------------------------------------------------------

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
        note = _check_note(note, required=False) or None
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

    async def _change_status(
        self,
        request_id: int,
        current: str,
        target: workflow.Status,
        *,
        actor: str,
        channel: str,
        at: datetime,
        note: str | None = None,
        public: bool = True,
        message: Callable[[str], str] | None = None,
    ) -> RequestView:
        """The change itself, inside the caller's transaction (the row locked): the row, the
        work orders it starts, closes or opens, its history event and its notifications."""
        values: dict[str, object] = {"status": target.value, "updated_at": at}
        if workflow.is_open(target):
            values["closed_at"] = None
        elif workflow.is_open(current):
            values["closed_at"] = at
        if note and public:
            values["latest_public_note"] = note
        if target != workflow.Status.DUPLICATE:
            values["duplicate_of"] = None
        await self.repo.update_request(request_id, **values)
        if not workflow.is_open(target):
            await self.repo.close_work_orders(request_id, at)
        elif target == workflow.Status.IN_PROGRESS:
            await self.repo.start_work_orders(request_id, at)
        elif not workflow.is_open(current):  # reopened: the department owes new work
            await self.owe_work(await self.repo.by_id(request_id), at)
        event_id = await self.repo.insert_event(
            request_id,
            "status_changed",
            from_status=current,
            to_status=target.value,
            note=note,
            public=public,
            actor=actor,
            channel=channel,
            at=at,
        )
        view = await self.repo.by_id(request_id)
        assert view is not None
        if self.listener is not None:
            # In the same transaction: a change that rolls back leaves no notification, and no
            # notification exists without its change.
            subscribers = await self.repo.subscribers(request_id)
            await self.listener.status_changed(
                view, event_id, subscribers, note if public else None, at, message=message
            )
        return view

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
                            view = await self.repo.by_id(request_id)
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
                        view = await self.repo.by_id(request_id)
                        assert view is not None
                        await self.listener.ask_if_fixed(view, event_id, reporters, now)
                asked += 1
        return asked

    async def comment(
        self, tracking_number: str, note: str, *, actor: str, channel: str, public: bool
    ) -> EventView:
        note = _check_note(note, required=True)
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
                view = await self.repo.by_id(request_id)
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

    # -- housekeeping -----------------------------------------------------------------------

    async def expire_idempotency_keys(self, older_than: datetime) -> int:
        """Forget Idempotency-Keys stored before `older_than`; returns how many."""
        async with self.writer.transaction():
            return await self.repo.delete_idempotency_keys_before(older_than)

    async def unreferenced_photos(self, uids: list[str]) -> list[str]:
        """The photo ids among `uids` that no request refers to."""
        referenced = await self.repo.referenced_photo_uids(uids)
        return [uid for uid in uids if uid not in referenced]

    async def _locate(self, tracking_number: str) -> tuple[int, str]:
        canonical = parse_tracking_number(tracking_number)
        found = await self.repo.id_and_status(canonical) if canonical else None
        if found is None:
            raise _unknown(tracking_number)
        return found


def chicago_year(moment: datetime) -> int:
    """A tracking number's year is Chicago's: 23:30 on 31 December there is still that year."""
    return moment.astimezone(CHICAGO).year


def _unknown(tracking_number: str, exists: bool = False) -> NotFound:
    """The same answer for a number nobody has and one that is not public (`exists`)."""
    if parse_tracking_number(tracking_number) is None and not exists:
        return NotFound.for_field(
            "tracking_number",
            f"'{shown(tracking_number)}' is not a tracking number; they look like SR26-00012345",
        )
    return NotFound.for_field(
        "tracking_number", f"no service request has tracking number '{shown(tracking_number)}'"
    )


def _check_note(note: str | None, required: bool) -> str:
    text = (note or "").strip()
    if required and not text:
        raise InvalidInput.for_field("note", "a note cannot be empty")
    if problem := check_text(text, "note", MAX_NOTE):
        raise InvalidInput(problem.message, [problem])
    return text
