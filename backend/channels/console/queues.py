"""Operator console: a department's queue of work orders, oldest first, with the staff API's
filters (work order status, service type, ward, community area, the resident's language, SLA due,
the request's age)
and keyset pages. The departments offered are those the staff member may open (the domain's
queue rule, RequestService.check_queue_access, refuses the others anyway)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from urllib.parse import urlencode

from litestar import get
from litestar.params import Parameter
from litestar.response import Template

from backend.catalog.snapshot import Catalog
from backend.channels.console import callbacks, request_page
from backend.channels.console.request_page import same_roles, when
from backend.channels.console.session import page
from backend.channels.deps import Injected
from backend.channels.staff import queues_api
from backend.channels.staff.guards import departments_of
from backend.errors import InvalidInput
from backend.i18n.catalogs import LANGUAGES
from backend.identity.staff import StaffPrincipal
from backend.service_requests.models import QueueFilters
from backend.service_requests.repo import MAX_ID
from backend.service_requests.service import RequestService
from backend.service_requests.workflow import WorkStatus

PAGE_SIZE = 50
# "due" filter: work whose SLA falls due before now plus this much
DUE = {
    "overdue": timedelta(0),
    "1d": timedelta(days=1),
    "3d": timedelta(days=3),
    "7d": timedelta(days=7),
}
# "age" filter: requests made at least this long ago
AGE = {
    "1d": timedelta(days=1),
    "3d": timedelta(days=3),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
}
AGE_LABELS = {"1d": "a day", "3d": "3 days", "7d": "a week", "30d": "30 days"}
DUE_LABELS = {
    "overdue": "overdue",
    "1d": "within a day",
    "3d": "within 3 days",
    "7d": "within a week",
}


def departments(catalog: Catalog, staff: StaffPrincipal) -> dict[int, str]:
    """The departments whose queue this staff member may open, by name: a department user's own,
    every department of the catalog for the other roles."""
    found = {t.department_id: t.department for t in (*catalog.types, *catalog.private)}
    own = departments_of(staff)
    if own is not None:
        found = {k: v for k, v in found.items() if k in own}
    return dict(sorted(found.items(), key=lambda item: item[1]))


def _number(value: str | None, field: str, low: int, high: int) -> int | None:
    """A whole number from a GET form's field (empty: none), or a 422 naming the field."""
    text = (value or "").strip()
    if not text:
        return None
    if not text.isdecimal() or not low <= int(text) <= high:
        raise InvalidInput.for_field(field, f"{field}: a whole number from {low} to {high}")
    return int(text)


@get("/queues", include_in_schema=False, opt=same_roles(queues_api.queue, nav="Queues"))
async def queue_page(
    requests: Injected[RequestService],
    catalog: Injected[Catalog],
    staff: Injected[StaffPrincipal],
    # a GET form's fields, empty when left at "any": read here, so an empty one is no filter
    department: Annotated[str | None, Parameter(max_length=20)] = None,
    status: Annotated[list[str] | None, Parameter(max_items=4)] = None,
    service: Annotated[str | None, Parameter(max_length=32)] = None,
    ward: Annotated[str | None, Parameter(max_length=20)] = None,
    area: Annotated[str | None, Parameter(max_length=20)] = None,
    language: Annotated[str | None, Parameter(max_length=8)] = None,
    due: Annotated[str | None, Parameter(max_length=8)] = None,
    age: Annotated[str | None, Parameter(max_length=8)] = None,
    after: Annotated[str | None, Parameter(max_length=20)] = None,
) -> Template:
    offered = departments(catalog, staff)
    department_id = _number(department, "department", 1, MAX_ID)
    ward_no, area_no = _number(ward, "ward", 1, 50), _number(area, "area", 1, 77)
    after_id = _number(after, "after", 0, MAX_ID)
    if department_id is None:
        if not offered:
            return page("queues.html", staff, departments=offered, department=None, items=[])
        department_id = next(iter(offered))
    requests.check_queue_access(department_id, departments_of(staff))
    statuses = frozenset(s for s in (status or []) if s)
    unknown = statuses - {s.value for s in WorkStatus}
    if unknown:
        raise InvalidInput.for_field("status", f"'{sorted(unknown)[0]}' is not a work order status")
    service_type = catalog.by_code(service) if service else None
    if service and service_type is None:
        raise InvalidInput.for_field("service", f"'{service}' is not a service code")
    if due and due not in DUE:
        raise InvalidInput.for_field("due", "due: overdue, 1d, 3d or 7d")
    if age and age not in AGE:
        raise InvalidInput.for_field("age", "age: 1d, 3d, 7d or 30d")
    now = requests.clock()
    result = await requests.queue(
        QueueFilters(
            department_id=department_id,
            statuses=statuses or None,
            service_type_id=service_type.id if service_type else None,
            ward=ward_no,
            community_area=area_no,
            language=language.strip().lower() if language and language.strip() else None,
            due_before=now + DUE[due] if due else None,
            created_before=now - AGE[age] if age else None,
            after_id=after_id,
            limit=PAGE_SIZE,
        )
    )
    chosen: list[tuple[str, str | int]] = [("department", department_id)]
    chosen += [("status", s) for s in sorted(statuses)]
    chosen += [
        (name, value)
        for name, value in (
            ("service", service or ""),
            ("ward", ward_no or ""),
            ("area", area_no or ""),
            ("language", (language or "").strip()),
            ("due", due or ""),
            ("age", age or ""),
        )
        if value
    ]
    next_page = None
    if result.next_after_id is not None:
        next_page = "/staff/queues?" + urlencode([*chosen, ("after", result.next_after_id)])
    types = sorted(
        (t for t in (*catalog.types, *catalog.private) if t.department_id == department_id),
        key=lambda t: t.name,
    )
    return page(
        "queues.html",
        staff,
        departments=offered,
        department=department_id,
        department_name=offered.get(department_id, str(department_id)),
        items=result.items,
        statuses=[s.value for s in WorkStatus],
        chosen_statuses=statuses,
        types=types,
        service=service_type.code if service_type else "",
        ward=ward_no,
        area=area_no,
        language=(language or "").strip(),
        languages=LANGUAGES,
        due=due or "",
        due_labels=DUE_LABELS,
        age=age or "",
        age_labels=AGE_LABELS,
        after=after_id,
        first_page="/staff/queues?" + urlencode(chosen),
        next_page=next_page,
        now=now,
        when=when,
    )


ROUTES = [queue_page]
# the console's pages for working requests, as the router lists them
WORK_PAGES = [*ROUTES, *request_page.ROUTES, *callbacks.ROUTES]
