"""The staff side of the one write path: staff reads, work orders, staff status changes and
notes, and the audit row each staff action leaves; every change is one transaction holding the
change, its history event and its audit row. Reclassifying, moving and duplicates: staff_edits.py."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from backend.errors import Conflict, Forbidden, InvalidInput, NotFound
from backend.service_requests import workflow
from backend.service_requests.audit import Actor, AuditKind
from backend.service_requests.base import check_note
from backend.service_requests.changes import ChangeOperations
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
from backend.service_requests.notes import NoteKind, SystemNote, note_text
from backend.service_requests.tracking import parse_tracking_number
from backend.service_requests.workflow import Status, WorkStatus

STAFF = "staff"


class StaffView(NamedTuple):
    request: RequestView
    private: dict[str, Any]
    work_orders: list[WorkOrderView]
    history: list[EventView]


class StaffOperations(ChangeOperations):
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

    def check_queue_access(self, department_id: int, departments: tuple[int, ...] | None) -> None:
        """Forbidden unless the queue is of one of `departments` (None: any, for roles not bound
        to departments)."""
        if departments is not None and department_id not in departments:
            raise Forbidden.for_field("department_id", "you do not work for this department")

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
        page = await self.repo.search(
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
        page = await self.repo.search(
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

    async def record(
        self, actor: Actor, kind: AuditKind, details: dict[str, Any] | None = None
    ) -> None:
        """An audit row for something done outside any request (a login, a failed one)."""
        async with self.writer.transaction():
            await self.repo.insert_audit(actor, kind, self.clock(), None, details)

    async def _staff_change(
        self,
        request_id: int,
        actor: Actor,
        at: datetime,
        event: tuple[str, str],
        audit: AuditKind,
        details: dict[str, Any],
    ) -> None:
        """A staff change's public history event (`event`: its kind and note) and its audit row,
        in the caller's transaction."""
        kind, note = event
        await self.repo.insert_event(
            request_id, kind, note=note, public=True, actor=actor.label, channel=STAFF, at=at
        )
        await self.repo.insert_audit(actor, audit, at, request_id, details)

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
        an open request is done, the request is completed (its followers told). Work is
        assigned only to an active staff account."""
        if assignee_id is not None and not await self.repo.is_active_staff(assignee_id):
            raise InvalidInput.for_field("assigneeId", f"no active staff user has id {assignee_id}")
        current = await self.repo.work_order(work_order_id)
        if current is None:
            raise NotFound.for_field("work_order_id", f"no work order has id {work_order_id}")
        if departments is not None and current.department_id not in departments:
            raise Forbidden.for_field(
                "work_order_id", "this work order belongs to a department you do not work for"
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
                        public_note=note or SystemNote(NoteKind.WORK_DONE),
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
        public_note: str | SystemNote | None = None,
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
                "publicNote": note_text(public_note),
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
        work belongs to another department is refused (check_departments), and so is closing
        it by hand (workflow.check_closing_by_hand: that needs a supervisor and a reason)."""
        workflow.check_closing_by_hand(to, reason, bound_to_departments=departments is not None)
        public_note = check_note(public_note, "publicNote") or None
        internal_note = check_note(internal_note, "internalNote") or None
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
