"""Operator console: a request's page — its details, its public and internal history, its work
orders (and, for supervisors, their changes from the audit trail) — and the forms that act on it:
a status change with public and internal notes, a note, a work order's progress, marking or
unmarking it a duplicate. Each form posts to a route with the staff API's roles for the same act
and calls the same RequestService method; it answers a redirect back to the page (POST, redirect,
GET), or the page again with the domain's own error messages and what was typed."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, NamedTuple, TypeVar
from urllib.parse import quote

import msgspec
from litestar import Response, get, post
from litestar.params import Parameter
from litestar.response import Redirect, Template

from backend.channels.app_api.submit_body import decode_json
from backend.channels.console.session import form_of, page
from backend.channels.deps import Injected
from backend.channels.handler_types import AnyRequest
from backend.channels.staff import queues_api, requests_api
from backend.channels.staff.guards import allowed_roles, departments_of
from backend.channels.staff.schemas import DuplicateIn, NoteIn, TransitionIn, WorkOrderIn
from backend.city import TIME_ZONE
from backend.errors import DomainError, FieldError, Forbidden, NotFound
from backend.identity.staff import StaffPrincipal
from backend.limits import MAX_NOTE
from backend.service_requests import workflow
from backend.service_requests.audit import AuditKind
from backend.service_requests.models import AuditFilters, AuditView, WorkOrderView
from backend.service_requests.repo import MAX_ID
from backend.service_requests.service import RequestService
from backend.service_requests.staff_ops import StaffView
from backend.service_requests.workflow import Status, WorkStatus

T = TypeVar("T")
PAGE = "/staff/requests"
# what a redirect back to the page says was done (?done=…), shown in the page's status region
DONE = {
    "status": "Status changed.",
    "note": "Note added.",
    "work": "Work order updated.",
    "duplicate": "Marked a duplicate.",
    "not-duplicate": "No longer a duplicate: reopened.",
}


# the console's names for the fields the staff API's messages name
FIELD_LABELS = {
    "to": "New status",
    "from": "Status",
    "reasonCode": "Reason code",
    "publicNote": "Public note",
    "internalNote": "Internal note",
    "note": "Note",
    "original": "Duplicate of",
    "status": "Status",
    "assigneeId": "Assignee",
    "interpreterLanguage": "Interpreter's language",
    "trackingNumber": "Tracking number",
}


def said(error: DomainError) -> list[str]:
    """What a refusal says, a line per field, each named as the form names it."""
    lines = []
    for found in error.errors or [FieldError("", error.detail)]:
        label = FIELD_LABELS.get(found.field)
        message = found.worded(lambda field: FIELD_LABELS.get(field, field))
        lines.append(f"{label}: {message}" if label and label not in message else message)
    return lines


def when(moment: datetime | None) -> str:
    """A moment as the console shows it: the city's local time, to the minute."""
    return moment.astimezone(TIME_ZONE).strftime("%Y-%m-%d %H:%M") if moment else ""


def same_roles(handler: Any, **more: Any) -> dict[str, Any]:
    """The `opt` of a console route that the same roles may use as the staff API route
    `handler` (and `more`, e.g. its navigation label)."""
    return {"roles": allowed_roles(handler.opt), **more}


def may(staff: StaffPrincipal, handler: Any) -> bool:
    """Whether the staff API route `handler` lets this staff member's role in: the console shows
    a form only to the roles its API route admits (and its own route admits the same roles)."""
    roles = allowed_roles(handler.opt)
    return roles is None or staff.role in roles


class Allowed(NamedTuple):
    """What this staff member may do on this request, by the staff API's rules."""

    transition: bool  # change its status (role, and for department staff, whose work it is)
    targets: list[str]  # ... to these statuses
    note: bool
    duplicate: bool  # mark it a duplicate of another
    not_duplicate: bool  # take the mark off
    work: bool  # work its work orders (role; each work order's department is checked too)
    work_changes: bool  # read the work orders' changes (the audit trail's readers)


async def _own_work(requests: RequestService, staff: StaffPrincipal, request_id: int) -> bool:
    """The domain's department rule: its work belongs to one of the staff member's departments
    (always so for roles not bound to departments)."""
    try:
        await requests.check_departments(request_id, departments_of(staff))
    except Forbidden:
        return False
    return True


def _targets(staff: StaffPrincipal, status: str) -> list[str]:
    """The statuses the workflow lets this staff member move the request to by hand: a duplicate
    is marked with its own form, and closing is refused to staff bound to departments."""
    bound = departments_of(staff) is not None
    found = []
    for target in sorted(workflow.TRANSITIONS[Status(status)]):
        if target == Status.DUPLICATE:
            continue
        try:
            workflow.check_closing_by_hand(target.value, "reason", bound_to_departments=bound)
        except Forbidden:
            continue
        found.append(target.value)
    return found


async def allowed(requests: RequestService, staff: StaffPrincipal, found: StaffView) -> Allowed:
    view = found.request
    own = await _own_work(requests, staff, view.id)
    targets = _targets(staff, view.status) if may(staff, requests_api.transition) and own else []
    may_mark = may(staff, requests_api.mark_duplicate)
    return Allowed(
        transition=bool(targets),
        targets=targets,
        note=may(staff, requests_api.note) and own,
        duplicate=may_mark
        and Status.DUPLICATE in workflow.TRANSITIONS[Status(view.status)]
        and view.duplicate_of is None,
        not_duplicate=may(staff, requests_api.unmark_duplicate) and view.status == Status.DUPLICATE,
        work=may(staff, queues_api.change_work_order),
        work_changes=may(staff, queues_api.audit),
    )


def work_actions(staff: StaffPrincipal, work: WorkOrderView) -> list[str]:
    """The statuses this staff member may move a work order to (none: not theirs to work)."""
    departments = departments_of(staff)
    if not may(staff, queues_api.change_work_order):
        return []
    if departments is not None and work.department_id not in departments:
        return []
    return sorted(s.value for s in workflow.WORK_TRANSITIONS[WorkStatus(work.status)])


def _changes_of(changes: list[AuditView], work_order_id: int) -> list[AuditView]:
    """A work order's changes, oldest first."""
    return [c for c in reversed(changes) if c.details.get("workOrderId") == work_order_id]


async def render_page(
    requests: RequestService,
    staff: StaffPrincipal,
    tracking_number: str,
    *,
    done: str | None = None,
    error: DomainError | None = None,
    form: str | None = None,
    typed: dict[str, str] | None = None,
) -> Template:
    """The page; after a refused form, `error` (its status is the page's), the form it came
    from and what was typed in it."""
    found = await requests.staff_view(tracking_number)
    can = await allowed(requests, staff, found)
    changes: list[AuditView] = []
    if can.work_changes:
        changes = await requests.audit_trail(
            AuditFilters(
                tracking_number=found.request.tracking_number,
                kind=AuditKind.WORK_ORDER_CHANGED.value,
                limit=100,
            )
        )
    # open requests of the same type within 150 m: what a supervisor may mark it a duplicate of
    nearby = await requests.possible_duplicates(found.request) if can.duplicate else []
    return page(
        "request.html",
        staff,
        error.status if error else 200,
        found=found,
        view=found.request,
        caller=found.private,
        can=can,
        work=[(w, work_actions(staff, w), _changes_of(changes, w.id)) for w in found.work_orders],
        nearby=nearby,
        done=DONE.get(done or ""),
        error=error,
        form=form,
        typed=typed or {},
        when=when,
        said=said,
        max_note=MAX_NOTE,
    )


@get("/requests", include_in_schema=False, opt=same_roles(requests_api.search))
async def find_request(tracking_number: str | None = None) -> Redirect:
    """The "go to a request" box: its page (the page says when there is no such request)."""
    number = quote((tracking_number or "").strip()[:40], safe="")
    return Redirect(path=f"{PAGE}/{number}" if number else "/staff/", status_code=303)


@get(
    "/requests/{tracking_number:str}",
    include_in_schema=False,
    opt=same_roles(requests_api.staff_request),
)
async def request_page(
    requests: Injected[RequestService],
    staff: Injected[StaffPrincipal],
    tracking_number: str,
    done: str | None = None,
) -> Template:
    return await render_page(requests, staff, tracking_number, done=done)


def _text(form: dict[str, str], name: str) -> str | None:
    return form.get(name, "").strip() or None


def _typed(form: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in form.items() if not k.startswith("_")}


async def _act(
    request: AnyRequest,
    requests: RequestService,
    staff: StaffPrincipal,
    tracking_number: str,
    form_name: str,
    action: Any,
) -> Response[Any]:
    """Run `action(form)`; redirect to the page saying it was done, or show the page with the
    domain's refusal (its status code) and the form as it was typed."""
    form = await form_of(request)
    try:
        await action(form)
    except DomainError as exc:
        if exc.status in (403, 409, 422):
            return await render_page(
                requests, staff, tracking_number, error=exc, form=form_name, typed=_typed(form)
            )
        raise
    number = (await requests.get(tracking_number)).tracking_number
    return Redirect(path=f"{PAGE}/{number}?done={form_name}", status_code=303)


def as_api(struct: type[T], fields: dict[str, Any]) -> T:
    """A form's fields read as the staff API's body `struct`: the API's own limits and messages
    (a field left empty is left out)."""
    given = {k: v for k, v in fields.items() if v not in (None, "")}
    return decode_json(msgspec.json.encode(given), struct)


@post(
    "/requests/{tracking_number:str}/status",
    include_in_schema=False,
    opt=same_roles(requests_api.transition),
)
async def change_status(
    request: AnyRequest,
    requests: Injected[RequestService],
    staff: Injected[StaffPrincipal],
    tracking_number: str,
) -> Response[Any]:
    async def act(form: dict[str, str]) -> None:
        data = as_api(
            TransitionIn,
            {
                "to": _text(form, "to"),
                "from": _text(form, "from"),
                "reasonCode": _text(form, "reason_code"),
                "publicNote": _text(form, "public_note"),
                "internalNote": _text(form, "internal_note"),
            },
        )
        await requests.staff_transition(
            tracking_number,
            data.to,
            actor=requests_api.actor(staff),
            expected_status=data.from_,
            reason=data.reason_code,
            public_note=data.public_note,
            internal_note=data.internal_note,
            departments=departments_of(staff),
        )

    return await _act(request, requests, staff, tracking_number, "status", act)


@post(
    "/requests/{tracking_number:str}/notes",
    include_in_schema=False,
    opt=same_roles(requests_api.note),
)
async def add_note(
    request: AnyRequest,
    requests: Injected[RequestService],
    staff: Injected[StaffPrincipal],
    tracking_number: str,
) -> Response[Any]:
    async def act(form: dict[str, str]) -> None:
        data = as_api(NoteIn, {"note": form.get("note", ""), "public": form.get("public") == "yes"})
        await requests.staff_note(
            tracking_number,
            data.note,
            public=data.public,
            actor=requests_api.actor(staff),
            departments=departments_of(staff),
        )

    return await _act(request, requests, staff, tracking_number, "note", act)


@post(
    "/requests/{tracking_number:str}/duplicate",
    include_in_schema=False,
    opt=same_roles(requests_api.mark_duplicate),
)
async def mark_duplicate(
    request: AnyRequest,
    requests: Injected[RequestService],
    staff: Injected[StaffPrincipal],
    tracking_number: str,
) -> Response[Any]:
    async def act(form: dict[str, str]) -> None:
        data = as_api(
            DuplicateIn, {"original": form.get("original", "").strip(), "note": _text(form, "note")}
        )
        await requests.mark_duplicate(
            tracking_number, data.original, actor=requests_api.actor(staff), note=data.note
        )

    return await _act(request, requests, staff, tracking_number, "duplicate", act)


@post(
    "/requests/{tracking_number:str}/not-duplicate",
    include_in_schema=False,
    opt=same_roles(requests_api.unmark_duplicate),
)
async def unmark_duplicate(
    request: AnyRequest,
    requests: Injected[RequestService],
    staff: Injected[StaffPrincipal],
    tracking_number: str,
) -> Response[Any]:
    async def act(form: dict[str, str]) -> None:
        await requests.unmark_duplicate(tracking_number, actor=requests_api.actor(staff))

    return await _act(request, requests, staff, tracking_number, "not-duplicate", act)


@post(
    "/work-orders/{work_order_id:int}",
    include_in_schema=False,
    opt=same_roles(queues_api.change_work_order),
)
async def change_work_order(
    request: AnyRequest,
    requests: Injected[RequestService],
    staff: Injected[StaffPrincipal],
    work_order_id: Annotated[int, Parameter(ge=1, le=MAX_ID)],
) -> Response[Any]:
    """A work order's progress (its status, taking it, letting it go) from its request's page."""
    form = await form_of(request)
    tracking_number = _text(form, "tracking_number") or ""
    if work_order_id not in [w.id for w in await requests.work_orders(tracking_number)]:
        raise NotFound.for_field(
            "workOrderId", f"{tracking_number} has no work order {work_order_id}"
        )

    async def act(form: dict[str, str]) -> None:
        assignee = form.get("assignee")
        data = as_api(
            WorkOrderIn,
            {
                "status": _text(form, "status"),
                "assigneeId": staff.id if assignee == "me" else None,
                "unassign": assignee == "nobody",
                "note": _text(form, "note"),
            },
        )
        await requests.change_work_order(
            work_order_id,
            actor=requests_api.actor(staff),
            status=data.status,
            assignee_id=data.assignee_id,
            unassign=data.unassign,
            departments=departments_of(staff),
            note=data.note,
        )

    return await _act(request, requests, staff, tracking_number, "work", act)


ROUTES = [
    find_request,
    request_page,
    change_status,
    add_note,
    mark_duplicate,
    unmark_duplicate,
    change_work_order,
]
