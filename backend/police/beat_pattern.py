"""A beat's recurring meeting pattern, inferred from its past meetings ("third Wednesday of odd
months, 6:30 pm, at Bucktown Library, 1701 N. Milwaukee"), and the dates it projects after a moment.

Pure (no database, no clock of its own). The pattern is read from the beat's latest year of
meetings (a beat that changed its day or place keeps the new one): the commonest weekday, then
the week of the month that fits most of those meetings (first to fourth, or last), the months
(odd, even, or every month), the commonest start time, and the latest place."""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from backend.city import TIME_ZONE

LOCAL = TIME_ZONE  # the city's
REGIME = timedelta(days=400)  # the latest year (and a little) of a beat's meetings
ODD, EVEN, EVERY = tuple(range(1, 13, 2)), tuple(range(2, 13, 2)), tuple(range(1, 13))
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
MAX_PLACE = 80


@dataclass(frozen=True)
class Past:
    """One meeting that took place (or was published): local start, and where."""

    starts: datetime  # aware, any zone
    location: str


@dataclass(frozen=True)
class Pattern:
    weekday: int  # 0 Monday … 6 Sunday
    week: int  # 1..4, or -1 for the last of the month
    months: tuple[int, ...]
    at: time  # local start time
    location: str
    based_on: int  # meetings it was read from
    first: date  # the earliest and latest of them
    last: date

    @property
    def months_name(self) -> str:
        return {ODD: "odd months", EVEN: "even months"}.get(self.months, "every month")

    def describe(self) -> str:
        """ "second Tuesday of odd months, 6:30 pm, at <place>" (English, for the API)."""
        hour = self.at.hour % 12 or 12
        clock = f"{hour}:{self.at.minute:02d} {'am' if self.at.hour < 12 else 'pm'}"
        every = "each month" if self.months == EVERY else self.months_name
        day = calendar.day_name[self.weekday]
        return f"{ORDINALS[self.week]} {day} of {every}, {clock}, at {self.location}"

    def day_in(self, year: int, month: int) -> date:
        first_weekday, days = calendar.monthrange(year, month)
        first = 1 + (self.weekday - first_weekday) % 7
        if self.week == -1:
            return date(year, month, first + 7 * ((days - first) // 7))
        return date(year, month, first + 7 * (self.week - 1))

    def after(self, moment: datetime, count: int) -> list[datetime]:
        """The next `count` meetings the pattern projects after `moment` (aware, Chicago time)."""
        local = moment.astimezone(LOCAL)
        year, month = local.year, local.month
        found: list[datetime] = []
        for _ in range(36):
            if month in self.months:
                starts = datetime.combine(self.day_in(year, month), self.at, LOCAL)
                if starts > local:
                    found.append(starts)
                    if len(found) == count:
                        break
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found


def clean_place(text: str) -> str:
    """ "Pulaski Park1419 W. Blackhawk" -> "Pulaski Park 1419 W. Blackhawk"; one line, not too long."""
    text = re.sub(r"(?<=[A-Za-z.'’)])(?=\d)", " ", " ".join((text or "").split()))
    return text[:MAX_PLACE].rstrip(" ,;-")


def _week(day: date) -> int:
    return (day.day - 1) // 7 + 1


def _is_last(day: date) -> bool:
    return day.day + 7 > calendar.monthrange(day.year, day.month)[1]


def _months(seen: Iterable[int]) -> tuple[int, ...]:
    """Odd or even months when (nearly) all meetings were in them, else every month (a beat that
    skipped some months met monthly in the others)."""
    months = list(seen)
    odd = sum(m % 2 == 1 for m in months)
    if len(set(months)) >= 2 and odd >= 0.8 * len(months):
        return ODD
    if len(set(months)) >= 2 and len(months) - odd >= 0.8 * len(months):
        return EVEN
    return EVERY


def infer(meetings: Iterable[Past]) -> Pattern | None:
    """The pattern of a beat's past meetings; None when there are fewer than two."""
    by_start: dict[datetime, str] = {}
    for m in meetings:
        local = m.starts.astimezone(LOCAL)
        by_start.setdefault(local.replace(second=0, microsecond=0), m.location)
    if len(by_start) < 2:
        return None
    latest = max(by_start)
    regime = sorted(s for s in by_start if latest - s <= REGIME)
    if len(regime) < 3:
        regime = sorted(by_start)
    weekday = Counter(s.weekday() for s in regime).most_common(1)[0][0]
    same_day = [s for s in regime if s.weekday() == weekday]
    nth, nth_fits = Counter(_week(s.date()) for s in same_day).most_common(1)[0]
    last_fits = sum(_is_last(s.date()) for s in same_day)
    week = -1 if last_fits > nth_fits else min(nth, 4)
    at = Counter(s.time() for s in same_day).most_common(1)[0][0]
    return Pattern(
        weekday=weekday,
        week=week,
        months=_months(s.month for s in same_day),
        at=at,
        location=clean_place(by_start[max(same_day)]),
        based_on=len(regime),
        first=regime[0].date(),
        last=regime[-1].date(),
    )
