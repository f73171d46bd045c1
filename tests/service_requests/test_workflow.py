"""The request life cycle: which status changes are allowed."""

import pytest

from backend.errors import InvalidInput, InvalidTransition
from backend.service_requests.workflow import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    TRANSITIONS,
    Status,
    check_transition,
    is_open,
)


def test_every_status_has_a_rule_and_belongs_to_one_group():
    assert set(TRANSITIONS) == set(Status)
    assert OPEN_STATUSES | CLOSED_STATUSES == set(Status)
    assert not OPEN_STATUSES & CLOSED_STATUSES


@pytest.mark.parametrize(
    "source,target",
    [
        ("submitted", "open"),
        ("open", "in_progress"),
        ("in_progress", "completed"),
        ("completed", "reopened"),
        ("reopened", "in_progress"),
        ("submitted", "duplicate"),
        ("closed_not_fixed", "reopened"),
    ],
)
def test_allowed_moves(source, target):
    assert check_transition(source, target) == Status(target)


@pytest.mark.parametrize(
    "source,target",
    [
        ("cancelled", "open"),
        ("completed", "open"),
        ("submitted", "submitted"),
        ("completed", "in_progress"),
        ("open", "reopened"),
    ],
)
def test_refused_moves_say_what_is_allowed(source, target):
    with pytest.raises(InvalidTransition) as info:
        check_transition(source, target)
    assert info.value.errors[0].field == "status"
    assert f"cannot go from {source} to {target}" in info.value.errors[0].message


def test_unknown_target_status_is_invalid_input():
    with pytest.raises(InvalidInput) as info:
        check_transition("open", "fixed-ish")
    assert "is not a status" in info.value.errors[0].message


def test_open_group():
    assert is_open("reopened") and is_open("submitted")
    assert not is_open("completed") and not is_open("duplicate")
