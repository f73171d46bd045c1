"""Quiet hours in the city's time ("21:00-08:00"): a notification due inside them is held until they end."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from backend.city import TIME_ZONE


class QuietHours:
    def __init__(self, spec: str) -> None:
        """'21:00-08:00' (wrapping midnight), '13:00-14:00', or '' for none."""
        self.start: time | None = None
        self.end: time | None = None
        spec = (spec or "").strip()
        if spec:
            try:
                start, end = (time.fromisoformat(part.strip()) for part in spec.split("-"))
            except ValueError:
                raise ValueError(
                    f"CITY311_QUIET_HOURS: cannot read {spec!r}; write e.g. 21:00-08:00, or "
                    "leave it empty for none"
                ) from None
            if start != end:
                self.start, self.end = start, end

    def __bool__(self) -> bool:
        return self.start is not None

    def _inside(self, local: time) -> bool:
        assert self.start is not None and self.end is not None
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def release(self, at: datetime) -> datetime:
        """When something due at `at` may go: `at` itself, or the end of the quiet hours."""
        if not self:
            return at
        local = at.astimezone(TIME_ZONE)
        if not self._inside(local.time().replace(tzinfo=None)):
            return at
        assert self.end is not None
        day = local.date() if local.time() < self.end else local.date() + timedelta(days=1)
        # A wall-clock time on that day (zoneinfo resolves DST), back to the caller's zone.
        return datetime.combine(day, self.end, TIME_ZONE).astimezone(at.tzinfo)


_HOUR = r"(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?"
_RANGE = re.compile(rf"^{_HOUR}\s*(?:-|–|to|a|do|至|到)\s*{_HOUR}$", re.IGNORECASE)


def _clock(hour: str, minute: str | None, half: str | None) -> str | None:
    h, m = int(hour), int(minute or 0)
    if half:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if half.lower().startswith("p") else 0)
    if not (0 <= h <= 23 and 0 <= m <= 59):
        return None
    return f"{h:02d}:{m:02d}"


def parse_hours(text: str) -> str | None:
    """How people write quiet hours, as QuietHours reads them: '22-7', '22:30-6:00', '10pm to
    7am' -> '22:00-07:00'…; None when it is not two different times."""
    match = _RANGE.match(text.strip())
    if not match:
        return None
    start = _clock(*match.group(1, 2, 3))
    end = _clock(*match.group(4, 5, 6))
    if start is None or end is None or start == end:
        return None
    return f"{start}-{end}"
