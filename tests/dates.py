"""Times for tests, always relative to now: a test never depends on the day it runs."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

CHICAGO = ZoneInfo("America/Chicago")


def last_noon_in_chicago(now: datetime | None = None) -> datetime:
    """The latest noon in Chicago that is not after `now` (so always less than a day ago, and
    outside the city's quiet hours), in UTC."""
    local = (now or datetime.now(UTC)).astimezone(CHICAGO)
    noon = datetime.combine(local.date(), time(12), tzinfo=CHICAGO)
    if noon > local:
        noon = datetime.combine(local.date() - timedelta(days=1), time(12), tzinfo=CHICAGO)
    return noon.astimezone(UTC)
