"""Staff console: a department's queue of work orders (oldest first, keyset pages), working a work
order (assign, start, finish: the request completes when its last one is done), and the audit
trail supervisors read."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from litestar import get, patch
from litestar.params import Parameter

from backend.catalog.snapshot import Catalog
from backend.channels.deps import Injected
from backend.channels.handler_types import AnyRequest
from backend.channels.openapi_bodies import json_body
from backend.channels.openapi_problems import problem_responses
from backend.errors import InvalidInput
from backend.identity.staff import StaffPrincipal, StaffRole
from backend.limits import MOMENTS, in_range
from backend.service_requests.audit import ActorKind, AuditKind
from backend.service_requests.models import AuditFilters, QueueFilters
from backend.service_requests.repo import MAX_ID
from backend.service_requests.service import RequestService
from backend.service_requests.workflow import WorkStatus

from .guards import departments_of, staff_route
from .requests_api import _fields, actor, body
from .schemas import AuditListOut, AuditOut, QueueOut, WorkOrderIn, WorkOrderOut

WORKERS = (StaffRole.DEPARTMENT, StaffRole.SUPERVISOR)
Id = Annotated[int, Parameter(ge=1, le=MAX_ID)]


# RFC 3339's date-time, as the document's `format: date-time` says (Python's fromisoformat
# alone would also take "2026-12-01 00:00+00:00", week dates and the basic format)
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def _moment(value: str, field: str = "dueBefore") -> datetime:
    try:
        moment = (
            datetime.fromisoformat(value.replace("z", "Z")) if RFC3339.fullmatch(value) else None
        )
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or not in_range(moment):
        raise InvalidInput.for_field(
            field,
            f"{field}: a date and time with its offset, e.g. 2026-12-01T00:00:00-06:00 ({MOMENTS})",
        )
    return moment


@get(
    "/departments/{department_id:int}/queue",
    summary="A department's work orders, oldest first: open ones unless `status` says",
    opt=staff_route(*WORKERS),
    responses=problem_responses(400, 401, 403, 404, 422),
)
async def queue(
    requests: Injected[RequestService],
    catalog: Injected[Catalog],
    staff: Injected[StaffPrincipal],
    department_id: Id,
    status: Annotated[
        str | None,
        Parameter(description="new, assigned, in_progress, done; comma-separated", max_length=60),
    ] = None,
    service_code: Annotated[str | None, Parameter(query="serviceCode", max_length=32)] = None,
    ward: Annotated[int | None, Parameter(ge=1, le=50)] = None,
    community_area: Annotated[int | None, Parameter(query="communityArea", ge=1, le=77)] = None,
    language: Annotated[
        str | None,
        Parameter(
            description="the request's language: en, es, pl, zh (or a phone call's)",
            min_length=2,
            max_length=8,
        ),
    ] = None,
    due_before: Annotated[
        str | None,
        Parameter(
            query="dueBefore",
            max_length=40,
            description="an ISO 8601 date and time with its offset",
            schema_extra={"format": "date-time"},
        ),
    ] = None,
    created_before: Annotated[
        str | None,
        Parameter(
            query="createdBefore",
            max_length=40,
            description="the request made at or before this moment (its age): an ISO 8601 date "
            "and time with its offset",
            schema_extra={"format": "date-time"},
        ),
    ] = None,
    after: Annotated[int | None, Parameter(ge=0, le=MAX_ID)] = None,
    limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
) -> QueueOut:
    requests.check_queue_access(department_id, departments_of(staff))
    statuses = None
    if status:
        statuses = frozenset(part.strip() for part in status.split(",") if part.strip())
        unknown = statuses - {s.value for s in WorkStatus}
        if unknown:
            raise InvalidInput.for_field(
                "status",
                f"'{sorted(unknown)[0]}' is not a work order status: new, assigned, in_progress, done",
            )
    service_type_id = None
    if service_code:
        found = catalog.by_code(service_code)
        if found is None:
            raise InvalidInput.for_field("serviceCode", f"'{service_code}' is not a service code")
        service_type_id = found.id
    due = _moment(due_before) if due_before is not None else None
    page = await requests.queue(
        QueueFilters(
            department_id=department_id,
            statuses=statuses,
            service_type_id=service_type_id,
            ward=ward,
            community_area=community_area,
            language=language.strip().lower() if language else None,
            due_before=due,
            created_before=(
                _moment(created_before, "createdBefore") if created_before is not None else None
            ),
            after_id=after,
            limit=limit,
        )
    )
    return QueueOut(
        items=[WorkOrderOut(**_fields(w)) for w in page.items], next_after_id=page.next_after_id
    )


@patch(
    "/work-orders/{work_order_id:int}",
    operation_class=json_body(WorkOrderIn),
    summary="Work a work order: assign it, start it, finish it",
    opt=staff_route(*WORKERS),
    responses=problem_responses(400, 401, 403, 404, 409, 415, 422),
)
async def change_work_order(
    request: AnyRequest,
    requests: Injected[RequestService],
    staff: Injected[StaffPrincipal],
    work_order_id: Id,
) -> WorkOrderOut:
    data: WorkOrderIn = await body(request, WorkOrderIn)
    view = await requests.change_work_order(
        work_order_id,
        actor=actor(staff),
        status=data.status,
        assignee_id=data.assignee_id,
        unassign=data.unassign,
        departments=departments_of(staff),
        note=data.note,
    )
    return WorkOrderOut(**_fields(view))


@get(
    "/audit",
    summary="The audit trail, newest first: who did what, when, from where",
    opt=staff_route(StaffRole.SUPERVISOR),
    responses=problem_responses(400, 401, 403, 422),
)
async def audit(
    requests: Injected[RequestService],
    tracking_number: Annotated[str | None, Parameter(query="trackingNumber", max_length=40)] = None,
    actor_kind: Annotated[ActorKind | None, Parameter(query="actorKind")] = None,
    actor_id: Annotated[int | None, Parameter(query="actorId", ge=0, le=MAX_ID)] = None,
    kind: Annotated[AuditKind | None, Parameter()] = None,
    before: Annotated[int | None, Parameter(ge=1, le=MAX_ID)] = None,
    limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
) -> AuditListOut:
    rows = await requests.audit_trail(
        AuditFilters(
            tracking_number=tracking_number,
            actor_kind=actor_kind.value if actor_kind else None,
            actor_id=actor_id,
            kind=kind.value if kind else None,
            before_id=before,
            limit=limit + 1,
        )
    )
    items = [AuditOut(**_fields(r)) for r in rows[:limit]]
    more = len(rows) > limit
    return AuditListOut(items=items, next_before_id=items[-1].id if more and items else None)


ROUTES = [queue, change_work_order, audit]
