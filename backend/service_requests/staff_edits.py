"""Staff edits of a request's facts: another type (reclassify), another place (move), and
marking or unmarking it a duplicate; each one transaction with its history event and audit row."""

from __future__ import annotations

from datetime import timedelta

from backend.errors import Conflict, InvalidInput
from backend.limits import shown
from backend.service_requests import workflow
from backend.service_requests.audit import Actor, AuditKind
from backend.service_requests.location import place_columns
from backend.service_requests.models import RequestView
from backend.service_requests.notes import NoteKind, SystemNote
from backend.service_requests.staff_ops import StaffOperations
from backend.service_requests.workflow import Status


class StaffEdits(StaffOperations):
    async def reclassify(
        self, tracking_number: str, service_code: str, *, actor: Actor, note: str | None = None
    ) -> RequestView:
        """Another service type: its SLA, and open work moves to the new type's department."""
        new_type = self.catalog.by_code(service_code or "")
        if new_type is None or not new_type.active:
            raise InvalidInput.for_field(
                "service_code", f"'{shown(service_code or '')}' is not a service code"
            )
        request_id, _ = await self._locate(tracking_number)
        now = self.clock()
        async with self.writer.transaction():
            status = await self.repo.current_status_for_update(request_id)
            view = await self._view(request_id)
            if view.service_code == new_type.code:
                return view
            old_type = self.catalog.by_code(view.service_code)
            due = view.created_at + timedelta(days=new_type.sla_days) if new_type.sla_days else None
            await self.repo.update_request(
                request_id, service_type=new_type.id, sla_due_at=due, updated_at=now
            )
            await self.repo.copy_to_work_orders(request_id, service_type=new_type.id)
            if workflow.is_open(status) and (
                old_type is None or old_type.department_id != new_type.department_id
            ):
                await self.repo.close_work_orders(request_id, now)
                await self.owe_work(await self._view(request_id), now)
            text = f"Reclassified from {view.service_name} to {new_type.name}"
            await self._staff_change(
                request_id,
                actor,
                now,
                ("reclassified", text),
                AuditKind.RECLASSIFIED,
                {"from": view.service_code, "to": new_type.code, "note": note},
            )
        return await self._view(request_id)

    async def move(
        self,
        tracking_number: str,
        *,
        actor: Actor,
        lat: float | None = None,
        long: float | None = None,
        address: str | None = None,
    ) -> RequestView:
        """Another location (a point, or an address geocoded): its areas follow."""
        if lat is not None and long is not None:
            self.locator.check_inside(lat, long, "lat")
            place_address = (address or "").strip() or self.locator.nearest_address(lat, long)
        elif address is not None and address.strip():
            located = self.locator.from_text(address)
            lat, long, place_address = located.lat, located.long, located.address
        else:
            raise InvalidInput.for_field("lat", "send lat and long, or an address")
        areas = place_columns(self.city.places(lat, long))
        request_id, _ = await self._locate(tracking_number)
        now = self.clock()
        async with self.writer.transaction():
            await self.repo.current_status_for_update(request_id)
            before = await self._view(request_id)
            await self.repo.relocate(
                request_id,
                latitude=lat,
                longitude=long,
                address=place_address,
                community_area=areas.community_area,
                ward=areas.ward,
                police_district=areas.police_district,
                police_beat=areas.police_beat,
                updated_at=now,
            )
            await self.repo.copy_to_work_orders(
                request_id,
                ward=areas.ward,
                community_area=areas.community_area,
            )
            await self._staff_change(
                request_id,
                actor,
                now,
                ("moved", f"Moved to {place_address or f'{lat:.5f}, {long:.5f}'}"),
                AuditKind.MOVED,
                {
                    "from": [before.lat, before.long, before.address],
                    "to": [lat, long, place_address],
                },
            )
        return await self._view(request_id)

    async def mark_duplicate(
        self, tracking_number: str, original: str, *, actor: Actor, note: str | None = None
    ) -> RequestView:
        """This request duplicates `original`: it closes as a duplicate with a link to it, and
        its followers follow the original instead (told so in the update they get)."""
        request_id, _ = await self._locate(tracking_number)
        parent_id, _ = await self._locate(original)
        if parent_id == request_id:
            raise InvalidInput.for_field("original", "a request cannot duplicate itself")
        now = self.clock()
        async with self.writer.transaction():
            current = await self.repo.current_status_for_update(request_id)
            if current == Status.DUPLICATE:
                raise Conflict.for_field("status", "the request is already marked a duplicate")
            workflow.check_transition(current, Status.DUPLICATE.value)
            parent = await self._view(parent_id)
            if parent.duplicate_of is not None:
                raise InvalidInput.for_field(
                    "original",
                    f"{parent.tracking_number} is itself a duplicate of "
                    f"{parent.duplicate_of}: name that one",
                )
            public = SystemNote(NoteKind.DUPLICATE_OF, {"original": parent.tracking_number})
            await self.repo.update_request(request_id, duplicate_of=parent_id)
            await self._set_status(
                request_id,
                current,
                Status.DUPLICATE,
                actor,
                now,
                public_note=public,
                internal_note=note,
            )
            moved = await self.repo.move_subscriptions(request_id, parent_id, now)
            await self.repo.insert_audit(
                actor,
                AuditKind.DUPLICATE_MARKED,
                now,
                request_id,
                {"original": parent.tracking_number, "followersMoved": moved},
            )
        return await self._view(request_id)

    async def unmark_duplicate(self, tracking_number: str, *, actor: Actor) -> RequestView:
        """Undo: the request is reopened, its link removed (followers stay with the original)."""
        request_id, _ = await self._locate(tracking_number)
        now = self.clock()
        async with self.writer.transaction():
            current = await self.repo.current_status_for_update(request_id)
            if current != Status.DUPLICATE:
                raise Conflict.for_field("status", f"the request is '{current}', not a duplicate")
            before = await self._view(request_id)
            await self._set_status(
                request_id,
                current,
                Status.REOPENED,
                actor,
                now,
                public_note=SystemNote(NoteKind.NOT_DUPLICATE),
            )
            await self.repo.insert_audit(
                actor,
                AuditKind.DUPLICATE_UNMARKED,
                now,
                request_id,
                {"original": before.duplicate_of},
            )
        return await self._view(request_id)
