"""The staff side of the one write path: work orders, reclassifying, moving, duplicates, and the
audit row each staff action leaves. A mixin of RequestService (same writer, repo and listener):
every method is one transaction holding the change, its history event and its audit row."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from backend.errors import Conflict, Forbidden, InvalidInput, NotFound
from backend.limits import MAX_NOTE, check_text, shown
from backend.service_requests import workflow
from backend.service_requests.audit import Actor, AuditKind
from backend.service_requests.models import (
    AuditFilters,
    AuditView,
    EventView,
    ListFilters,
    QueueFilters,
    QueuePage,
    RequestView,
    WorkOrderView,
)
from backend.service_requests.tracking import parse_tracking_number
from backend.service_requests.workflow import Status, WorkStatus

STAFF = "staff"


class StaffView(NamedTuple):
    request: RequestView
    private: dict
    work_orders: list[WorkOrderView]
    history: list[EventView]


class StaffOperations:
    # provided by RequestService
    writer: object
    repo: object
    catalog: object
    city: object
    locator: object
    listener: object

    # -- reads ------------------------------------------------------------------------------

    async def owe_work(self, view: RequestView, now: datetime) -> int:
        """A new work order for the request's type's department (inside the caller's
        transaction)."""
        service_type = self.catalog.by_code(view.service_code)
        return await self.repo.insert_work_order(
            view.id,
            service_type.department_id,
            now,
            service_type=service_type.id,
            ward=view.ward,
            community_area=view.community_area,
        )

    async def staff_view(self, tracking_number: str) -> StaffView:
        """A request as staff see it: with its private details, work orders and whole history."""
        view = await self.get(tracking_number)
        return StaffView(
            request=view,
            private=await self.repo.private_details(view.id),
            work_orders=await self.repo.work_orders(view.id),
            history=await self.repo.events(view.id, public_only=False),
        )

    async def work_orders(self, tracking_number: str) -> list[WorkOrderView]:
        request_id, _ = await self._locate(tracking_number)
        return await self.repo.work_orders(request_id)

    async def queue(self, filters: QueueFilters) -> QueuePage:
        return await self.repo.queue(filters)

    async def audit_trail(self, filters: AuditFilters) -> list[AuditView]:
        if filters.tracking_number is not None:
            canonical = parse_tracking_number(filters.tracking_number)
            filters.tracking_number = canonical or "?"
        return await self.repo.audit(filters)

    async def possible_duplicates(
        self, view: RequestView, radius_m: float = 150
    ) -> list[RequestView]:
        """Open requests of the same type within `radius_m`, newest first (not this one)."""
        service_type = self.catalog.by_code(view.service_code)
        page = await self.repo.list(
            ListFilters(
                near=(view.lat, view.long),
                radius_m=radius_m,
                service_type_id=service_type.id if service_type else None,
                statuses=frozenset(s.value for s in workflow.OPEN_STATUSES),
                limit=6,
            )
        )
        return [v for v in page.items if v.id != view.id][:5]

    async def requests_near_address(self, address: str, limit: int = 20) -> list[RequestView]:
        located = self.locator.from_text(address)
        page = await self.repo.list(
            ListFilters(near=(located.lat, located.long), radius_m=60, limit=limit)
        )
        return page.items

    async def requests_by_phone(self, phone: str, limit: int = 20) -> list[RequestView]:
        return await self.repo.by_reporter_phone(phone, limit)

    async def check_departments(self, request_id: int, departments: tuple[int, ...] | None) -> None:
        """Forbidden unless the request's work belongs to one of `departments` (None: any
        department's, for roles not bound to departments). The same rule as work orders: a
        department's staff change only the work, and the requests, of their departments."""
        if departments is None:
            return
        if not (await self.repo.owing_departments(request_id)) & set(departments):
            raise Forbidden.for_field(
                "trackingNumber",
                "this request's work belongs to a department you do not work for",
            )

    async def record(self, actor: Actor, kind: AuditKind, details: dict | None = None) -> None:
        """An audit row for something done outside any request (a login, a failed one)."""
        async with self.writer.transaction():
            await self.repo.insert_audit(actor, kind, self.clock(), None, details)

    # -- work orders ------------------------------------------------------------------------

    async def change_work_order(
        self,
        work_order_id: int,
        *,
        actor: Actor,
        status: str | None = None,
        assignee_id: int | None = None,
        unassign: bool = False,
        departments: tuple[int, ...] | None = None,
        note: str | None = None,
    ) -> WorkOrderView:
        """Move a work order (and assign it). `departments`, when given, are the ones the actor
        works for: another department's work order is refused. When the last open work order of
        an open request is done, the request is completed (its followers told)."""
        current = await self.repo.work_order(work_order_id)
        if current is None:
            raise NotFound.for_field("workOrderId", f"no work order has id {work_order_id}")
        if departments is not None and current.department_id not in departments:
            raise Forbidden.for_field(
                "workOrderId", "this work order belongs to a department you do not work for"
            )
        now = self.clock()
        async with self.writer.transaction():
            found = await self.repo.work_order_for_update(work_order_id)
            assert found is not None
            request_id, was = found
            values: dict[str, object] = {"updated_at": now}
            target = WorkStatus(was)
            if status is not None:
                target = workflow.check_work_transition(was, status)
            if assignee_id is not None:
                values["assignee"] = assignee_id
                if status is None and target == WorkStatus.NEW:
                    target = WorkStatus.ASSIGNED
            elif unassign:
                values["assignee"] = None
            values["status"] = target.value
            if target == WorkStatus.DONE and was != WorkStatus.DONE:
                values["done_at"] = now
            await self.repo.update_work_order(work_order_id, **values)
            await self.repo.insert_audit(
                actor,
                AuditKind.WORK_ORDER_CHANGED,
                now,
                request_id,
                {
                    "workOrderId": work_order_id,
                    "from": was,
                    "to": target.value,
                    "assigneeId": values.get("assignee"),
                    "note": note,
                },
            )
            request_status = await self.repo.current_status_for_update(request_id)
            if target == WorkStatus.DONE and workflow.is_open(request_status):
                if await self.repo.open_work_order_count(request_id) == 0:
                    await self._set_status(
                        request_id,
                        request_status,
                        Status.COMPLETED,
                        actor,
                        now,
                        public_note=note or "The work is done.",
                    )
            elif target == WorkStatus.IN_PROGRESS and request_status in (
                Status.SUBMITTED,
                Status.OPEN,
                Status.REOPENED,
            ):
                await self._set_status(request_id, request_status, Status.IN_PROGRESS, actor, now)
        view = await self.repo.work_order(work_order_id)
        assert view is not None
        return view

    async def _set_status(
        self,
        request_id: int,
        current: str,
        target: Status,
        actor: Actor,
        now: datetime,
        public_note: str | None = None,
        internal_note: str | None = None,
        reason: str | None = None,
    ) -> RequestView:
        """A staff member's status change, inside the caller's transaction: the change (the
        service's own `_change_status`), a reason and internal note as an internal event, the
        audit row."""
        view = await self._change_status(
            request_id,
            current,
            target,
            actor=actor.label,
            channel=STAFF,
            at=now,
            note=public_note,
        )
        if internal_note or reason:
            text = "; ".join(filter(None, [f"reason: {reason}" if reason else None, internal_note]))
            await self.repo.insert_event(
                request_id,
                "note",
                note=text,
                public=False,
                actor=actor.label,
                channel=STAFF,
                at=now,
            )
        await self.repo.insert_audit(
            actor,
            AuditKind.STATUS_CHANGED,
            now,
            request_id,
            {
                "from": current,
                "to": target.value,
                "reasonCode": reason,
                "publicNote": public_note,
                "internalNote": internal_note,
            },
        )
        return view

    async def staff_transition(
        self,
        tracking_number: str,
        to: str,
        *,
        actor: Actor,
        expected_status: str | None = None,
        reason: str | None = None,
        public_note: str | None = None,
        internal_note: str | None = None,
        departments: tuple[int, ...] | None = None,
    ) -> RequestView:
        """A status change made by staff. Two staff acting at once: the second is a 409 (the
        request is no longer where they saw it) unless it said which status it expected and that
        is still so. `departments`, when given, are the ones the actor works for: a request whose
        work belongs to another department is refused (check_departments)."""
        public_note = _note(public_note, "publicNote")
        internal_note = _note(internal_note, "internalNote")
        target = workflow.parse_status(to, "to")
        if target == Status.DUPLICATE:
            raise InvalidInput.for_field(
                "to", "mark a duplicate with POST …/duplicate-of, naming the original"
            )
        request_id, _ = await self._locate(tracking_number)
        now = self.clock()
        async with self.writer.transaction():
            current = await self.repo.current_status_for_update(request_id)
            await self.check_departments(request_id, departments)
            if expected_status is not None and current != expected_status:
                raise Conflict.for_field(
                    "from",
                    f"the request is now '{current}', not '{expected_status}': someone "
                    "changed it meanwhile",
                )
            if target not in workflow.TRANSITIONS[Status(current)]:
                if expected_status is None:
                    raise Conflict.for_field(
                        "to",
                        f"the request is now '{current}' and cannot go to '{target.value}' "
                        "from there: someone may have changed it meanwhile; reload it",
                    )
                workflow.check_transition(current, target.value)
            return await self._set_status(
                request_id, current, target, actor, now, public_note, internal_note, reason
            )

    async def staff_note(
        self,
        tracking_number: str,
        note: str,
        *,
        public: bool,
        actor: Actor,
        departments: tuple[int, ...] | None = None,
    ) -> None:
        """A staff note, its audit row and (a public one) its followers' notifications, in one
        transaction: none is kept without the others. `departments` as in staff_transition."""
        if departments is not None:
            await self.check_departments((await self._locate(tracking_number))[0], departments)
        async with self.writer.transaction():
            event = await self.comment(
                tracking_number, note, actor=actor.label, channel=STAFF, public=public
            )
            request_id, _ = await self._locate(tracking_number)
            await self.repo.insert_audit(
                actor,
                AuditKind.NOTE_ADDED,
                event.created_at,
                request_id,
                {"public": public, "note": event.note},
            )

    # -- reclassify, move, duplicates ---------------------------------------------------------

    async def reclassify(
        self, tracking_number: str, service_code: str, *, actor: Actor, note: str | None = None
    ) -> RequestView:
        """Another service type: its SLA, and open work moves to the new type's department."""
        new_type = self.catalog.by_code(service_code or "")
        if new_type is None or not new_type.active:
            raise InvalidInput.for_field(
                "serviceCode", f"'{shown(service_code or '')}' is not a service code"
            )
        request_id, _ = await self._locate(tracking_number)
        now = self.clock()
        async with self.writer.transaction():
            status = await self.repo.current_status_for_update(request_id)
            view = await self.repo.by_id(request_id)
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
                await self.owe_work(await self.repo.by_id(request_id), now)
            text = f"Reclassified from {view.service_name} to {new_type.name}"
            await self.repo.insert_event(
                request_id,
                "reclassified",
                note=text,
                public=True,
                actor=actor.label,
                channel=STAFF,
                at=now,
            )
            await self.repo.insert_audit(
                actor,
                AuditKind.RECLASSIFIED,
                now,
                request_id,
                {"from": view.service_code, "to": new_type.code, "note": note},
            )
        return await self.repo.by_id(request_id)

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
        elif (address or "").strip():
            located = self.locator.from_text(address)
            lat, long, place_address = located.lat, located.long, located.address
        else:
            raise InvalidInput.for_field("lat", "send lat and long, or an address")
        places = self.city.places(lat, long)
        request_id, _ = await self._locate(tracking_number)
        now = self.clock()
        async with self.writer.transaction():
            await self.repo.current_status_for_update(request_id)
            before = await self.repo.by_id(request_id)
            await self.repo.relocate(
                request_id,
                latitude=lat,
                longitude=long,
                address=place_address,
                community_area=places.community_area if places else None,
                ward=places.ward.number if places and places.ward else None,
                police_district=places.police_district.number
                if places and places.police_district
                else None,
                police_beat=places.beat if places else None,
                updated_at=now,
            )
            await self.repo.copy_to_work_orders(
                request_id,
                ward=places.ward.number if places and places.ward else None,
                community_area=places.community_area if places else None,
            )
            await self.repo.insert_event(
                request_id,
                "moved",
                note=f"Moved to {place_address or f'{lat:.5f}, {long:.5f}'}",
                public=True,
                actor=actor.label,
                channel=STAFF,
                at=now,
            )
            await self.repo.insert_audit(
                actor,
                AuditKind.MOVED,
                now,
                request_id,
                {
                    "from": [before.lat, before.long, before.address],
                    "to": [lat, long, place_address],
                },
            )
        return await self.repo.by_id(request_id)

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
            parent = await self.repo.by_id(parent_id)
            if parent.duplicate_of is not None:
                raise InvalidInput.for_field(
                    "original",
                    f"{parent.tracking_number} is itself a duplicate of "
                    f"{parent.duplicate_of}: name that one",
                )
            public = (
                f"This is a duplicate of {parent.tracking_number}, which you now follow instead."
            )
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
        return await self.repo.by_id(request_id)

    async def unmark_duplicate(self, tracking_number: str, *, actor: Actor) -> RequestView:
        """Undo: the request is reopened, its link removed (followers stay with the original)."""
        request_id, _ = await self._locate(tracking_number)
        now = self.clock()
        async with self.writer.transaction():
            current = await self.repo.current_status_for_update(request_id)
            if current != Status.DUPLICATE:
                raise Conflict.for_field("status", f"the request is '{current}', not a duplicate")
            before = await self.repo.by_id(request_id)
            await self._set_status(
                request_id,
                current,
                Status.REOPENED,
                actor,
                now,
                public_note="This is not a duplicate after all: it is open again.",
            )
            await self.repo.insert_audit(
                actor,
                AuditKind.DUPLICATE_UNMARKED,
                now,
                request_id,
                {"original": before.duplicate_of},
            )
        return await self.repo.by_id(request_id)


def _note(text: str | None, field: str) -> str | None:
    text = (text or "").strip()
    if problem := check_text(text, field, MAX_NOTE):
        raise InvalidInput(problem.message, [problem])
    return text or None
