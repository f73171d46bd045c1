"""Filing a request: the submit path of RequestService — checks, idempotent replay, photos
decoded off the event loop, the place, and the one transaction that writes the row, its first
history event, photos, work order, audit row, follower and idempotency key."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from backend.catalog.answers import validate_answers
from backend.catalog.snapshot import ServiceTypeInfo
from backend.db import is_unique_violation
from backend.errors import Conflict, InvalidInput, Named, PayloadTooLarge
from backend.limits import shown
from backend.service_requests import workflow
from backend.service_requests.audit import AuditKind
from backend.service_requests.base import RequestCore, chicago_year
from backend.service_requests.intake import check_fields, fingerprint, photo_error, refuse
from backend.service_requests.location import Located, place_columns
from backend.service_requests.models import SubmitCommand, SubmitResult
from backend.service_requests.tracking import format_tracking_number
from backend.storage.images import ImageRejected, ProcessedImage, process_image
from backend.storage.pixels import TooManyPixels, check_pixel_budget


class SubmitOperations(RequestCore):
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
            raise PayloadTooLarge.naming(f"photos[{exc.index or 0}]", *exc.parts) from None
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
            raise InvalidInput.naming("service_code", "a ", Named("service_code"), " is required")
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
        answers: dict[str, Any],
        located: Located,
        uids: list[str],
        images: list[ProcessedImage],
        print_: str,
    ) -> int:
        now = self.clock()
        year = chicago_year(now)
        taken = await self.repo.tracking_sequence_before_transaction(year)
        areas = place_columns(self.city.places(located.lat, located.long))
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
                community_area=areas.community_area,
                ward=areas.ward,
                police_district=areas.police_district,
                police_beat=areas.police_beat,
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
                ward=areas.ward,
                community_area=areas.community_area,
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
