"""Retry-After, read one way for every transport (backend/retry_after.py)."""

from datetime import UTC, datetime

import pytest

from backend.retry_after import retry_after_seconds

NOW = datetime(2026, 11, 29, 15, 0, tzinfo=UTC)  # any date


def test_delta_seconds_and_http_dates():
    assert retry_after_seconds("30") == 30.0
    assert retry_after_seconds(" 2.5 ") == 2.5
    assert retry_after_seconds("-4") == 0.0
    assert retry_after_seconds("Sun, 29 Nov 2026 15:02:00 GMT", now=NOW) == 120.0
    assert retry_after_seconds("Sun, 29 Nov 2026 14:00:00 GMT", now=NOW) == 0.0


@pytest.mark.parametrize("value", [None, "", "soon", "inf", "Infinity", "-inf", "nan", "NaN"])
def test_anything_else_is_none(value):
    assert retry_after_seconds(value, now=NOW) is None
