"""Quiet hours in Chicago time ("21:00-08:00"): a notification due inside them is held until they end."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

CHICAGO = ZoneInfo("America/Chicago")


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
        local = at.astimezone(CHICAGO)
        if not self._inside(local.time().replace(tzinfo=None)):
            return at
        assert self.end is not None
        day = local.date() if local.time() < self.end else local.date() + timedelta(days=1)
        # A wall-clock time on that day (zoneinfo resolves DST), back to the caller's zone.
        return datetime.combine(day, self.end, CHICAGO).astimezone(at.tzinfo)
