"""Retry-After (RFC 9110 §10.2.3) as seconds to wait, for every transport that reads it (Web Push,
Twilio): delta-seconds or an HTTP date; anything else (a word, a negative, inf, nan) is None."""

from __future__ import annotations

import email.utils
import math
from datetime import UTC, datetime


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """'30' -> 30.0; an HTTP date -> the seconds until it (0 once past); else None."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:  # delta-seconds (a fraction is read too): finite only, and never below 0
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
