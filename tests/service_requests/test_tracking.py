"""Tracking numbers: Chicago's format, typed loosely by residents."""

import pytest

from backend.service_requests.tracking import format_tracking_number, parse_tracking_number


def test_format_is_chicagos():
    assert format_tracking_number(2026, 12345) == "SR26-00012345"
    assert format_tracking_number(2031, 1) == "SR31-00000001"


def test_format_refuses_out_of_range_sequences():
    with pytest.raises(ValueError):
        format_tracking_number(2026, 0)
    with pytest.raises(ValueError):
        format_tracking_number(2026, 100_000_000)


@pytest.mark.parametrize(
    "typed",
    [
        "SR26-00012345",
        "sr26-00012345",
        "sr 26 12345",
        "SR26 12345",
        "SR2600012345",
        "  Sr-26-12345 ",
        "sr#26-12345",
    ],
)
def test_lenient_parse(typed):
    assert parse_tracking_number(typed) == "SR26-00012345"


@pytest.mark.parametrize(
    "typed",
    ["", "hello", "SR-12345", "SR26-", "SR26-00000000", "SR26-123456789", "26-12345", "SR2-12345"],
)
def test_not_a_tracking_number(typed):
    assert parse_tracking_number(typed) is None
