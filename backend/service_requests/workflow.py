"""The request life cycle as a pure state machine: statuses, allowed transitions, open/closed groups."""

from __future__ import annotations

from enum import StrEnum

from backend.errors import Forbidden, InvalidInput, InvalidTransition


class Status(StrEnum):
    SUBMITTED = "submitted"
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CLOSED_NOT_FIXED = "closed_not_fixed"
    DUPLICATE = "duplicate"
    CANCELLED = "cancelled"
    REOPENED = "reopened"


OPEN_STATUSES = frozenset({Status.SUBMITTED, Status.OPEN, Status.IN_PROGRESS, Status.REOPENED})
CLOSED_STATUSES = frozenset(Status) - OPEN_STATUSES

_CLOSING = {Status.COMPLETED, Status.CLOSED_NOT_FIXED, Status.DUPLICATE, Status.CANCELLED}

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.SUBMITTED: frozenset({Status.OPEN, Status.IN_PROGRESS, *_CLOSING}),
    Status.OPEN: frozenset({Status.IN_PROGRESS, *_CLOSING}),
    Status.IN_PROGRESS: frozenset({Status.OPEN, *_CLOSING}),
    Status.REOPENED: frozenset({Status.OPEN, Status.IN_PROGRESS, *_CLOSING}),
    # A closed request can only come back by being reopened; a cancelled one stays cancelled.
    Status.COMPLETED: frozenset({Status.REOPENED}),
    Status.CLOSED_NOT_FIXED: frozenset({Status.REOPENED}),
    Status.DUPLICATE: frozenset({Status.REOPENED}),
    Status.CANCELLED: frozenset(),
}


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


def parse_status(value: str, field: str = "status") -> Status:
    try:
        return Status(value)
    except ValueError:
        allowed = ", ".join(s.value for s in Status)
        raise InvalidInput.for_field(
            field, f"'{value}' is not a status; use one of: {allowed}"
        ) from None


def check_transition(current: str, target: str) -> Status:
    """Return the target status if the move is allowed, else raise InvalidTransition."""
    source, goal = Status(current), parse_status(target)
    if goal not in TRANSITIONS[source]:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[source])) or "none"
        raise InvalidTransition.for_field(
            "status", f"cannot go from {source.value} to {goal.value}; allowed: {allowed}"
        )
    return goal


class WorkStatus(StrEnum):
    """A work order's own life: the department's, beside the request's."""

    NEW = "new"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    DONE = "done"


WORK_TRANSITIONS: dict[WorkStatus, frozenset[WorkStatus]] = {
    WorkStatus.NEW: frozenset({WorkStatus.ASSIGNED, WorkStatus.IN_PROGRESS, WorkStatus.DONE}),
    WorkStatus.ASSIGNED: frozenset({WorkStatus.NEW, WorkStatus.IN_PROGRESS, WorkStatus.DONE}),
    WorkStatus.IN_PROGRESS: frozenset({WorkStatus.ASSIGNED, WorkStatus.DONE}),
    # Done is done: a reopened request gets a new work order.
    WorkStatus.DONE: frozenset(),
}


def check_work_transition(current: str, target: str) -> WorkStatus:
    source = WorkStatus(current)
    try:
        goal = WorkStatus(target)
    except ValueError:
        allowed = ", ".join(s.value for s in WorkStatus)
        raise InvalidInput.for_field(
            "status", f"'{target}' is not a work order status; use one of: {allowed}"
        ) from None
    if goal != source and goal not in WORK_TRANSITIONS[source]:
        allowed = ", ".join(sorted(s.value for s in WORK_TRANSITIONS[source])) or "none"
        raise InvalidTransition.for_field(
            "status",
            f"a work order cannot go from {source.value} to {goal.value}; allowed: {allowed}",
        )
    return goal


CLOSING_BY_HAND = frozenset(s.value for s in CLOSED_STATUSES)


def check_closing_by_hand(to: str, reason: str | None, bound_to_departments: bool) -> None:
    """Closing by hand (not through the work orders) is a supervisor's, with a reason: staff bound
    to departments complete a request by finishing its work orders. Forbidden or InvalidInput on
    `to` and `reason_code`, before anything else is checked."""
    if to not in CLOSING_BY_HAND:
        return
    if bound_to_departments:
        raise Forbidden.for_field(
            "to",
            "department staff complete a request by finishing its work orders; a "
            "supervisor closes it otherwise",
        )
    if not reason:
        raise InvalidInput.for_field("reasonCode", "closing a request needs a reasonCode")
