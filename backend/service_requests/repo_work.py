"""Query shapes for the staff side of requests: work orders, department queues, the audit trail.
Part of the repo (RequestRepo inherits it): the only other module that knows these tables' SQL."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from backend.db import Reader, as_utc
from backend.service_requests.audit import Actor
from backend.service_requests.models import (
    AuditFilters,
    AuditView,
    QueueFilters,
    QueuePage,
    WorkOrderView,
)
from backend.service_requests.tables import AuditEvent, WorkOrder

_WORK_ORDER = (
    "SELECT w.id, w.status, w.department AS department_id, d.name AS department, "
    "w.assignee AS assignee_id, u.username AS assignee, w.created_at, w.updated_at, w.done_at, "
    "r.tracking_number, st.code AS service_code, st.name AS service_name, "
    "r.status AS request_status, r.address, r.ward, r.community_area, "
    "r.created_at AS request_created_at, r.sla_due_at, r.language "
    "FROM work_order w JOIN service_request r ON r.id = w.request "
    "JOIN service_type st ON st.id = r.service_type "
    "JOIN department d ON d.id = w.department "
    "LEFT JOIN staff_user u ON u.id = w.assignee"
)
_TIMES = ("created_at", "updated_at", "done_at", "request_created_at", "sla_due_at")


def _work_order(row: dict[str, Any]) -> WorkOrderView:
    values = dict(row)
    for name in _TIMES:
        values[name] = as_utc(values[name])
    return WorkOrderView(**values)


class WorkQueries:
    reader: Reader

    # -- work orders ------------------------------------------------------------------------

    async def insert_work_order(
        self,
        request_id: int,
        department_id: int,
        at: datetime,
        *,
        service_type: int | None,
        ward: int | None,
        community_area: int | None,
    ) -> int:
        rows = await WorkOrder.insert(
            WorkOrder(
                request=request_id,
                department=department_id,
                status="new",
                created_at=at,
                updated_at=at,
                service_type=service_type,
                ward=ward,
                community_area=community_area,
            )
        ).returning(WorkOrder.id)
        work_order_id: int = rows[0]["id"]
        return work_order_id

    async def copy_to_work_orders(self, request_id: int, **values: object) -> None:
        """The request moved or changed type: its work orders' copies follow."""
        columns = {getattr(WorkOrder, name): value for name, value in values.items()}
        await WorkOrder.update(columns).where(WorkOrder.request == request_id)

    async def work_orders(self, request_id: int) -> list[WorkOrderView]:
        rows = await self.reader.fetch(
            f"{_WORK_ORDER} WHERE w.request = $1 ORDER BY w.id", request_id
        )
        return [_work_order(r) for r in rows]

    async def owing_departments(self, request_id: int) -> set[int]:
        """The departments a request's work belongs to: those of its open work orders, or, when
        none is open, the department of its latest one (none at all: no department)."""
        rows = await self.reader.fetch(
            "SELECT department, status FROM work_order WHERE request = $1 ORDER BY id", request_id
        )
        owing = {r["department"] for r in rows if r["status"] != "done"}
        return owing or ({rows[-1]["department"]} if rows else set())

    async def work_order(self, work_order_id: int) -> WorkOrderView | None:
        row = await self.reader.fetchrow(f"{_WORK_ORDER} WHERE w.id = $1", work_order_id)
        return _work_order(row) if row else None

    async def work_order_for_update(self, work_order_id: int) -> tuple[int, str] | None:
        """(its request's id, its status), the request locked (PostgreSQL's row lock; SQLite's
        one writer already is one) so a work order and its request change together."""
        row = await self.reader.fetchrow(
            "SELECT request, status FROM work_order WHERE id = $1", work_order_id
        )
        if row is None:
            return None
        if not self.reader.sqlite:
            await self.reader.fetch(
                "SELECT id FROM service_request WHERE id = $1 FOR UPDATE", row["request"]
            )
            row = await self.reader.fetchrow(
                "SELECT request, status FROM work_order WHERE id = $1", work_order_id
            )
            assert row is not None  # work orders are never deleted
        return row["request"], row["status"]

    async def is_active_staff(self, user_id: int) -> bool:
        """Whether a staff account has this id and is not disabled (who may be assigned work)."""
        row = await self.reader.fetchrow(
            "SELECT disabled_at FROM staff_user WHERE id = $1", user_id
        )
        return row is not None and row["disabled_at"] is None

    async def update_work_order(self, work_order_id: int, **values: object) -> None:
        columns = {getattr(WorkOrder, name): value for name, value in values.items()}
        await WorkOrder.update(columns).where(WorkOrder.id == work_order_id)

    async def close_work_orders(self, request_id: int, at: datetime) -> int:
        rows = (
            await WorkOrder.update(
                {WorkOrder.status: "done", WorkOrder.updated_at: at, WorkOrder.done_at: at}
            )
            .where((WorkOrder.request == request_id) & (WorkOrder.status != "done"))
            .returning(WorkOrder.id)
        )
        return len(rows)

    async def start_work_orders(self, request_id: int, at: datetime) -> int:
        """The request is in progress: so is the work owed on it (new or assigned orders)."""
        rows = (
            await WorkOrder.update({WorkOrder.status: "in_progress", WorkOrder.updated_at: at})
            .where((WorkOrder.request == request_id) & WorkOrder.status.is_in(["new", "assigned"]))
            .returning(WorkOrder.id)
        )
        return len(rows)

    async def open_work_order_count(self, request_id: int) -> int:
        row = await self.reader.fetchrow(
            "SELECT COUNT(*) AS n FROM work_order WHERE request = $1 AND status <> 'done'",
            request_id,
        )
        return row["n"] if row else 0

    async def queue(self, filters: QueueFilters) -> QueuePage:
        """Oldest first (the work order's id), one page and one more to know there is a next;
        open work orders are read from the partial index (department, id) of migration 0019."""
        args: list[object] = [filters.department_id]
        where = ["w.department = $1"]

        def param(value: object) -> str:
            args.append(value)
            return f"${len(args)}"

        if filters.statuses:
            where.append(
                "w.status IN (" + ", ".join(param(s) for s in sorted(filters.statuses)) + ")"
            )
        else:
            where.append("w.status <> 'done'")
        # the work order's own copies: each a range of a partial index (migration 0021)
        if filters.service_type_id is not None:
            where.append(f"w.service_type = {param(filters.service_type_id)}")
        if filters.ward is not None:
            where.append(f"w.ward = {param(filters.ward)}")
        if filters.community_area is not None:
            where.append(f"w.community_area = {param(filters.community_area)}")
        if filters.language is not None:
            where.append(f"r.language = {param(filters.language)}")
        if filters.due_before is not None:
            where.append(f"r.sla_due_at <= {param(filters.due_before)}")
        if filters.created_before is not None:
            where.append(f"r.created_at <= {param(filters.created_before)}")
        if filters.after_id is not None:
            where.append(f"w.id > {param(filters.after_id)}")
        rows = await self.reader.scan(
            f"{_WORK_ORDER} WHERE {' AND '.join(where)} ORDER BY w.id "
            f"LIMIT {int(filters.limit) + 1}",
            *args,
        )
        items = [_work_order(r) for r in rows[: filters.limit]]
        more = len(rows) > filters.limit
        return QueuePage(items=items, next_after_id=items[-1].id if more and items else None)

    # -- the audit trail (insert only: no update or delete exists) ----------------------------

    async def insert_audit(
        self,
        actor: Actor,
        kind: str,
        at: datetime,
        request_id: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> int:
        rows = await AuditEvent.insert(
            AuditEvent(
                actor_kind=actor.kind.value,
                actor_id=actor.id,
                kind=kind,
                request=request_id,
                details=json.dumps(details or {}, default=str),
                ip=actor.ip,
                created_at=at,
            )
        ).returning(AuditEvent.id)
        audit_id: int = rows[0]["id"]
        return audit_id

    async def audit(self, filters: AuditFilters) -> list[AuditView]:
        args: list[object] = []
        where: list[str] = []

        def param(value: object) -> str:
            args.append(value)
            return f"${len(args)}"

        if filters.tracking_number is not None:
            where.append(f"r.tracking_number = {param(filters.tracking_number)}")
        if filters.actor_kind is not None:
            where.append(f"a.actor_kind = {param(filters.actor_kind)}")
        if filters.actor_id is not None:
            where.append(f"a.actor_id = {param(filters.actor_id)}")
        if filters.kind is not None:
            where.append(f"a.kind = {param(filters.kind)}")
        if filters.before_id is not None:
            where.append(f"a.id < {param(filters.before_id)}")
        sql = (
            "SELECT a.id, a.actor_kind, a.actor_id, a.kind, r.tracking_number, a.details, a.ip, "
            "a.created_at FROM audit_event a LEFT JOIN service_request r ON r.id = a.request"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = await self.reader.scan(
            sql + f" ORDER BY a.id DESC LIMIT {int(filters.limit)}", *args
        )
        return [
            AuditView(
                id=r["id"],
                actor_kind=r["actor_kind"],
                actor_id=r["actor_id"],
                kind=r["kind"],
                tracking_number=r["tracking_number"],
                details=json.loads(r["details"]) if isinstance(r["details"], str) else r["details"],
                ip=r["ip"],
                created_at=as_utc(r["created_at"]),
            )
            for r in rows
        ]
