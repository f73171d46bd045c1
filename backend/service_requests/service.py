"""RequestService: the one write path. Every change is one transaction that also appends history."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from backend.catalog.answers import validate_answers
from backend.catalog.snapshot import Catalog, ServiceTypeInfo
from backend.db import Writer, is_unique_violation
from backend.errors import (
    Conflict,
    FieldError,
    InvalidInput,
    NotFound,
    OutsideCity,
    PayloadTooLarge,
    UnsupportedMedia,
)
from backend.geo.city import CityMap
from backend.identity.contact import ContactInvalid, normalize_email, normalize_phone
from backend.limits import (
    MAX_ADDRESS,
    MAX_DESCRIPTION,
    MAX_EMAIL,
    MAX_IDEMPOTENCY_KEY,
    MAX_NAME,
    MAX_NOTE,
    MAX_PHONE_INPUT,
    check_line,
    check_text,
    shown,
)
from backend.service_requests import workflow
from backend.service_requests.models import (
    EventView,
    ListFilters,
    Page,
    RequestView,
    SubmitCommand,
    SubmitResult,
)
from backend.service_requests.repo import RequestRepo
from backend.service_requests.tables import (
    Follower,
    IdempotencyRecord,
    Photo,
    RequestEvent,
    ServiceRequest,
    TrackingSequence,
)
from backend.service_requests.tracking import format_tracking_number, parse_tracking_number
from backend.storage.images import ImageRejected, ProcessedImage, process_image
from backend.storage.photo_store import PhotoStore

MAX_PHOTOS = 5

_NEXT_SEQUENCE = (
    "INSERT INTO tracking_sequence (year, last_value) VALUES ({}, 1) "
    "ON CONFLICT (year) DO UPDATE SET last_value = tracking_sequence.last_value + 1 "
    "RETURNING last_value"
)


def utcnow() -> datetime:
    return datetime.now(UTC)


class RequestService:
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
    ) -> None:
        self.writer = writer
        self.repo = repo
        self.catalog = catalog
        self.photos = photos
        self.city = city
        self.clock = clock
        # Photo decoding gets threads of its own (Settings.photo_threads: one fewer than the
        # cores), so a burst of uploads never takes the core the event loop needs for lookups.
        self._photo_executor = ThreadPoolExecutor(max_workers=photo_threads,
                                                  thread_name_prefix="photos")

    # -- reads ------------------------------------------------------------------------------

    async def get(self, tracking_number: str) -> RequestView:
        canonical = parse_tracking_number(tracking_number)
        view = await self.repo.by_tracking_number(canonical) if canonical else None
        if view is None:
            raise _unknown(tracking_number)
        return view

    async def history(self, tracking_number: str, public_only: bool = True) -> list[EventView]:
        request_id, _ = await self._locate(tracking_number)
        return await self.repo.events(request_id, public_only)

    async def list(self, filters: ListFilters) -> Page:
        return await self.repo.list(filters)

    # -- submit -----------------------------------------------------------------------------

    async def submit(self, cmd: SubmitCommand) -> SubmitResult:
        service_type = self._service_type(cmd.service_code)
        errors = self._check_fields(cmd)
        try:
            answers = validate_answers(service_type.questions, cmd.answers)
        except InvalidInput as exc:
            errors.extend(exc.errors)
        if errors:
            raise InvalidInput(_summary(errors), errors)

        fingerprint = _fingerprint(cmd)
        if cmd.idempotency_key and (replay := await self._replay(cmd.idempotency_key, fingerprint)):
            return replay

        images = await self._process_photos(cmd.photos)
        lat, long = self._locate_point(cmd, images)
        area = self.city.community_area(lat, long)

        uids = [self.photos.new_uid() for _ in images]
        try:
            # Files first, row second: a crash in between leaves an orphan file, which the purge
            # job removes; never a row pointing at a missing file.
            if images:
                await asyncio.to_thread(self._write_files, uids, images)
            request_id = await self._insert(cmd, service_type, answers, lat, long, area, uids,
                                            images, fingerprint)
        except BaseException as exc:
            if uids:
                await asyncio.to_thread(self._delete_files, uids)
            if cmd.idempotency_key and is_unique_violation(exc):
                if replay := await self._replay(cmd.idempotency_key, fingerprint):
                    return replay
            raise
        view = await self.repo.by_id(request_id)
        assert view is not None
        return SubmitResult(request=view, replayed=False)

    def _service_type(self, code: str) -> ServiceTypeInfo:
        service_type = self.catalog.by_code(code or "")
        if service_type is None or not service_type.active:
            raise InvalidInput.for_field(
                "serviceCode", f"'{shown(code or '')}' is not a service code; GET /api/v1/services "
                "lists them"
            )
        return service_type

    def _check_fields(self, cmd: SubmitCommand) -> list[FieldError]:
        """Every rule on the command's own fields; normalises the reporter's contact in place."""
        errors = [e for e in (
            check_text(cmd.description, "description", MAX_DESCRIPTION),
            check_line(cmd.address, "address", MAX_ADDRESS),
            check_line(cmd.reporter_name, "name", MAX_NAME),
            check_line(cmd.reporter_email, "email", MAX_EMAIL),
            check_line(cmd.reporter_phone, "phone", MAX_PHONE_INPUT),
        ) if e is not None]
        if cmd.lat is not None and not -90 <= cmd.lat <= 90:
            errors.append(FieldError("lat", "latitude must be between -90 and 90"))
        if cmd.long is not None and not -180 <= cmd.long <= 180:
            errors.append(FieldError("long", "longitude must be between -180 and 180"))
        if (cmd.lat is None) != (cmd.long is None):
            errors.append(FieldError("lat" if cmd.lat is None else "long",
                                     "give both lat and long, or neither"))
        if len(cmd.photos) > MAX_PHOTOS:
            errors.append(FieldError("photos", f"at most {MAX_PHOTOS} photos per request"))
        if cmd.idempotency_key is not None and (
            not 1 <= len(cmd.idempotency_key) <= MAX_IDEMPOTENCY_KEY
            or not cmd.idempotency_key.isprintable() or not cmd.idempotency_key.isascii()
        ):
            errors.append(FieldError("Idempotency-Key",
                                     f"must be 1 to {MAX_IDEMPOTENCY_KEY} printable ASCII characters"))
        if errors:
            return errors
        cmd.reporter_name = (cmd.reporter_name or "").strip() or None
        for field, attr, normalize in (("email", "reporter_email", normalize_email),
                                       ("phone", "reporter_phone", normalize_phone)):
            value = (getattr(cmd, attr) or "").strip()
            try:
                setattr(cmd, attr, normalize(value) if value else None)
            except ContactInvalid as exc:
                errors.append(FieldError(field, f"{field}: {exc}"))
        return errors

    async def _process_photos(self, photos: list[bytes]) -> list[ProcessedImage]:
        images = []
        for index, data in enumerate(photos):
            try:
                # Decoding and re-encoding takes tens of milliseconds: off the event loop.
                loop = asyncio.get_running_loop()
                images.append(await loop.run_in_executor(self._photo_executor, process_image, data))
            except ImageRejected as exc:
                raise exc_for_photo(index, exc) from None
        return images

    def _locate_point(self, cmd: SubmitCommand, images: list[ProcessedImage]) -> tuple[float, float]:
        if cmd.lat is not None and cmd.long is not None:
            lat, long, field = cmd.lat, cmd.long, "lat"
        else:
            located = next((img.gps for img in images if img.gps), None)
            if located is None:
                raise InvalidInput.for_field(
                    "lat", "a location is required: send lat and long, or a photo taken with "
                    "location services on"
                )
            (lat, long), field = located, "photos"
        if not self.city.contains(lat, long):
            raise OutsideCity.for_field(
                field, f"({lat:.5f}, {long:.5f}) is outside the City of Chicago; City311 only "
                "takes requests inside the city limits"
            )
        return lat, long

    async def _replay(self, key: str, fingerprint: str) -> SubmitResult | None:
        record = await self.repo.idempotency_record(key)
        if record is None:
            return None
        stored_fingerprint, request_id = record
        if stored_fingerprint != fingerprint:
            raise Conflict.for_field(
                "Idempotency-Key", "this key was already used for a different request"
            )
        view = await self.repo.by_id(request_id)
        assert view is not None
        return SubmitResult(request=view, replayed=True)

    def _write_files(self, uids: list[str], images: list[ProcessedImage]) -> None:
        for uid, image in zip(uids, images):
            self.photos.write(uid, image)

    def _delete_files(self, uids: list[str]) -> None:
        for uid in uids:
            self.photos.delete(uid)

    async def _insert(self, cmd, service_type, answers, lat, long, area, uids, images,
                      fingerprint) -> int:
        now = self.clock()
        if not self.writer.sqlite:
            # On PostgreSQL the number is taken in its own statement, so the sequence row is
            # locked for microseconds, not for the whole submit; a submit that then fails leaves
            # a gap (as a database SEQUENCE would), never a duplicate.
            sequence = await self._next_sequence(now.year)
        async with self.writer.transaction():
            if self.writer.sqlite:  # one writer at a time anyway: no gaps
                sequence = await self._next_sequence(now.year)
            tracking_number = format_tracking_number(now.year, sequence)
            inserted = await ServiceRequest.insert(
                ServiceRequest(
                    tracking_number=tracking_number,
                    service_type=service_type.id,
                    status=workflow.Status.SUBMITTED.value,
                    description=cmd.description.strip(),
                    latitude=lat,
                    longitude=long,
                    address=(cmd.address or "").strip() or None,
                    community_area=area.number if area else None,
                    answers=json.dumps(answers),
                    channel=cmd.channel,
                    reporter_device=cmd.device_id,
                    reporter_name=cmd.reporter_name,
                    reporter_email=cmd.reporter_email,
                    reporter_phone=cmd.reporter_phone,
                    created_at=now,
                    updated_at=now,
                )
            ).returning(ServiceRequest.id)
            request_id = inserted[0]["id"]
            await RequestEvent.insert(
                _event(request_id, "submitted", now, cmd, to_status="submitted")
            )
            if images:
                await Photo.insert(*[
                    Photo(uid=uid, request=request_id, position=i, width=img.width,
                          height=img.height, size_bytes=len(img.jpeg), created_at=now)
                    for i, (uid, img) in enumerate(zip(uids, images))
                ])
            if cmd.device_id is not None:
                await Follower.insert(
                    Follower(request=request_id, device=cmd.device_id, created_at=now)
                )
            if cmd.idempotency_key:
                await IdempotencyRecord.insert(
                    IdempotencyRecord(key=cmd.idempotency_key, fingerprint=fingerprint,
                                      request=request_id, created_at=now)
                )
        return request_id

    # -- changes ----------------------------------------------------------------------------

    async def transition(self, tracking_number: str, status: str, *, actor: str, channel: str,
                         note: str | None = None, public: bool = True) -> RequestView:
        note = _check_note(note, required=False) or None
        request_id, _ = await self._locate(tracking_number)
        now = self.clock()
        async with self.writer.transaction():
            current = await self._current_status(request_id)
            target = workflow.check_transition(current, status)
            values: dict = {ServiceRequest.status: target.value, ServiceRequest.updated_at: now}
            if workflow.is_open(target):
                values[ServiceRequest.closed_at] = None
            elif workflow.is_open(current):
                values[ServiceRequest.closed_at] = now
            if note and public:
                values[ServiceRequest.latest_public_note] = note
            await ServiceRequest.update(values).where(ServiceRequest.id == request_id)
            await RequestEvent.insert(RequestEvent(
                request=request_id, kind="status_changed", from_status=current,
                to_status=target.value, note=note, public=public,
                actor=actor, channel=channel, created_at=now))
        view = await self.repo.by_id(request_id)
        assert view is not None
        return view

    async def comment(self, tracking_number: str, note: str, *, actor: str, channel: str,
                      public: bool) -> EventView:
        note = _check_note(note, required=True)
        request_id, _ = await self._locate(tracking_number)
        now = self.clock()
        event = RequestEvent(request=request_id, kind="note", note=note, public=public,
                             actor=actor, channel=channel, created_at=now)
        async with self.writer.transaction():
            if public:
                await ServiceRequest.update({
                    ServiceRequest.latest_public_note: note, ServiceRequest.updated_at: now,
                }).where(ServiceRequest.id == request_id)
            await RequestEvent.insert(event)
        return EventView(kind="note", from_status=None, to_status=None, note=note,
                         public=public, actor=actor, channel=channel, created_at=now)

    async def follow(self, tracking_number: str, device_id: int, *, channel: str) -> bool:
        """Start following; False if the device already followed the request."""
        request_id, _ = await self._locate(tracking_number)
        now = self.clock()
        async with self.writer.transaction():
            if await Follower.exists().where(
                (Follower.request == request_id) & (Follower.device == device_id)
            ):
                return False
            await Follower.insert(Follower(request=request_id, device=device_id, created_at=now))
            await RequestEvent.insert(RequestEvent(
                request=request_id, kind="followed", public=False, actor=f"device:{device_id}",
                channel=channel, created_at=now))
        return True

    async def unfollow(self, tracking_number: str, device_id: int, *, channel: str) -> bool:
        """Stop following; False if the device was not following."""
        request_id, _ = await self._locate(tracking_number)
        now = self.clock()
        async with self.writer.transaction():
            deleted = await Follower.delete().where(
                (Follower.request == request_id) & (Follower.device == device_id)
            ).returning(Follower.id)
            if not deleted:
                return False
            await RequestEvent.insert(RequestEvent(
                request=request_id, kind="unfollowed", public=False,
                actor=f"device:{device_id}", channel=channel, created_at=now))
        return True

    async def is_following(self, tracking_number: str, device_id: int) -> bool:
        request_id, _ = await self._locate(tracking_number)
        return await Follower.exists().where(
            (Follower.request == request_id) & (Follower.device == device_id)
        )

    # -- housekeeping -----------------------------------------------------------------------

    async def expire_idempotency_keys(self, older_than: datetime) -> int:
        """Forget Idempotency-Keys stored before `older_than`; returns how many."""
        async with self.writer.transaction():
            expired = await IdempotencyRecord.delete().where(
                IdempotencyRecord.created_at < older_than
            ).returning(IdempotencyRecord.id)
        return len(expired)

    async def unreferenced_photos(self, uids: list[str]) -> list[str]:
        """The photo ids among `uids` that no request refers to."""
        referenced: set[str] = set()
        for start in range(0, len(uids), 500):
            chunk = uids[start:start + 500]
            rows = await Photo.select(Photo.uid).where(Photo.uid.is_in(chunk))
            referenced.update(r["uid"] for r in rows)
        return [uid for uid in uids if uid not in referenced]

    async def _locate(self, tracking_number: str) -> tuple[int, str]:
        canonical = parse_tracking_number(tracking_number)
        found = await self.repo.id_and_status(canonical) if canonical else None
        if found is None:
            raise _unknown(tracking_number)
        return found

    @staticmethod
    async def _next_sequence(year: int) -> int:
        rows = await TrackingSequence.raw(_NEXT_SEQUENCE, year)
        return rows[0]["last_value"]

    async def _current_status(self, request_id: int) -> str:
        lock = "" if self.writer.sqlite else " FOR UPDATE"
        rows = await ServiceRequest.raw(
            "SELECT status FROM service_request WHERE id = {}" + lock, request_id
        )
        return rows[0]["status"]


def _summary(errors: list[FieldError]) -> str:
    if len(errors) == 1:
        return errors[0].message
    return f"{len(errors)} fields need attention: " + "; ".join(e.field for e in errors)


def _unknown(tracking_number: str) -> NotFound:
    if parse_tracking_number(tracking_number) is None:
        return NotFound.for_field("trackingNumber", f"'{shown(tracking_number)}' is not a "
                                  "tracking number; they look like SR26-00012345")
    return NotFound.for_field(
        "trackingNumber", f"no service request has tracking number '{shown(tracking_number)}'"
    )


def _event(request_id: int, kind: str, now: datetime, cmd: SubmitCommand, **kw) -> RequestEvent:
    actor = f"device:{cmd.device_id}" if cmd.device_id is not None else cmd.channel
    return RequestEvent(request=request_id, kind=kind, public=True, actor=actor,
                        channel=cmd.channel, created_at=now, **kw)


def _check_note(note: str | None, required: bool) -> str:
    text = (note or "").strip()
    if required and not text:
        raise InvalidInput.for_field("note", "a note cannot be empty")
    if problem := check_text(text, "note", MAX_NOTE):
        raise InvalidInput(problem.message, [problem])
    return text


def _fingerprint(cmd: SubmitCommand) -> str:
    """What makes two submits 'the same request' for an Idempotency-Key."""
    digest = hashlib.sha256()
    body = {k: getattr(cmd, k) for k in ("service_code", "lat", "long", "description",
                                          "address", "answers", "device_id")}
    digest.update(json.dumps(body, sort_keys=True, default=str).encode())
    for photo in cmd.photos:
        digest.update(hashlib.sha256(photo).digest())
    return digest.hexdigest()


def exc_for_photo(index: int, exc: ImageRejected) -> Exception:
    field = f"photos[{index}]"
    if exc.reason == "too_large":
        return PayloadTooLarge.for_field(field, exc.message)
    if exc.reason == "unsupported":
        return UnsupportedMedia.for_field(field, exc.message)
    return InvalidInput.for_field(field, exc.message)
