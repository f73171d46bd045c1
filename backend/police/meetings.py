"""Beat meetings: the CAPS meetings the police published (imported from backend/police/data), the
ones staff confirm, and each beat's next meetings — confirmed ones first, then the dates its
inferred pattern projects (labelled projected). A confirmed meeting wins: no projected date is
given in a month that has one. Upcoming means after the service's clock (injected in tests)."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from backend.city import CITY
from backend.db import Reader, Writer, as_stored, as_utc
from backend.errors import InvalidInput, NotFound
from backend.police import repo
from backend.police.beat_pattern import LOCAL, Past, Pattern, clean_place, infer

DATA_FILE = CITY.files.beat_meetings
STAFF = "staff"
MAX_UPCOMING = 12


@dataclass(frozen=True)
class Meeting:
    beat: str
    starts_at: datetime  # aware (UTC as stored; shown in Chicago time)
    ends_at: datetime | None
    location: str
    contact: str
    projected: bool  # from the beat's pattern, not a published or confirmed meeting
    confirmed: bool  # entered by staff
    id: int | None = None  # a stored meeting's row


@dataclass(frozen=True)
class Schedule:
    beat: str
    district: int
    pattern: Pattern | None
    meetings: list[Meeting]


@dataclass(frozen=True)
class Imported:
    meetings: int  # rows written: one per beat of a published meeting, once each
    beats: int


@lru_cache(maxsize=1)
def known_beats() -> frozenset[str]:
    from backend.geo.city import city_map

    return frozenset(b for b in city_map().beats.values if b)


def beat_number(text: str) -> str:
    """ "1434", "434" or "0434" -> the beat's 4-digit number; NotFound when no beat has it."""
    digits = (text or "").strip()
    if not digits.isdigit() or not 3 <= len(digits) <= 4:
        raise InvalidInput.for_field("beat", "a police beat is 3 or 4 digits, e.g. 1434")
    beat = digits.zfill(4)
    if beat not in known_beats():
        raise NotFound.for_field("beat", f"there is no police beat {beat} in Chicago")
    return beat


def read_meetings(path: Path = DATA_FILE) -> list[dict[str, Any]]:
    """The published meetings, one row per beat, without a beat's second copy of a meeting (2017
    is in both calendars)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as raw:
        rows = list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8")))
    seen: set[tuple[str, datetime]] = set()
    out = []
    for row in rows:
        beats = [b.zfill(4) for b in (row.get("beats") or "").split(";") if b.strip()]
        if not beats or not row.get("start"):
            continue
        starts = datetime.fromisoformat(row["start"]).replace(tzinfo=LOCAL)
        ends = datetime.fromisoformat(row["end"]).replace(tzinfo=LOCAL) if row["end"] else None
        for beat in beats:
            if (beat, starts) in seen:
                continue
            seen.add((beat, starts))
            out.append(
                {
                    "beat": beat,
                    "beats": ";".join(beats)[:64],
                    "district": int(beat[:2]),
                    "starts_at": starts,
                    "ends_at": ends,
                    "location": clean_place(row.get("location") or ""),
                    "contact": " ".join((row.get("contact") or "").split())[:200],
                    "source": (row.get("source") or "cpd")[:48],
                }
            )
    return out


class BeatMeetings:
    def __init__(
        self,
        reader: Reader,
        writer: Writer,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.reader, self.writer, self.clock = reader, writer, clock

    async def import_file(self, path: Path = DATA_FILE) -> Imported:
        """Loads the published meetings in place of those loaded before (staff's stay): running
        it again changes nothing."""
        rows = read_meetings(path)
        now = self.clock()
        async with self.writer.transaction():
            await self.writer.lock_table("beat_meeting")  # two imports at once: one after the other
            await repo.replace_published_meetings(rows, STAFF, now)
        return Imported(meetings=len(rows), beats=len({r["beat"] for r in rows}))

    async def history(self, beat: str) -> list[Meeting]:
        """Every meeting stored for a beat (published and confirmed), latest first."""
        rows = await repo.meetings_of(self.reader, beat)
        return [_meeting(r) for r in rows]

    async def schedule(self, beat: str, count: int = 3, now: datetime | None = None) -> Schedule:
        """The beat's pattern and its next `count` meetings after now: confirmed ones, and the
        dates the pattern projects in the months that have none."""
        count = max(1, min(count, MAX_UPCOMING))
        now = now or self.clock()
        meetings = await self.history(beat)
        pattern = infer(Past(m.starts_at, m.location) for m in meetings if not m.confirmed)
        confirmed = sorted(
            (m for m in meetings if m.confirmed and m.starts_at > now), key=lambda m: m.starts_at
        )
        taken = {_month(m.starts_at) for m in confirmed}
        projected = []
        if pattern is not None:
            for starts in pattern.after(now, count + len(taken)):
                if _month(starts) not in taken:
                    projected.append(
                        Meeting(
                            beat, starts.astimezone(UTC), None, pattern.location, "", True, False
                        )
                    )
        upcoming = sorted([*confirmed, *projected], key=lambda m: m.starts_at)[:count]
        return Schedule(beat, int(beat[:2]), pattern, upcoming)

    async def next_meeting(self, beat: str | None, now: datetime | None = None) -> Meeting | None:
        if not beat:
            return None
        found = await self.schedule(beat, 1, now)
        return found.meetings[0] if found.meetings else None

    async def confirm(
        self,
        beat: str,
        starts_at: datetime,
        location: str,
        ends_at: datetime | None = None,
        contact: str = "",
    ) -> Meeting:
        """A meeting staff know of: it wins over the projection in its month."""
        if starts_at.tzinfo is None:
            raise InvalidInput.for_field("starts_at", "give the time with its offset")
        if ends_at is not None and ends_at <= starts_at:
            raise InvalidInput.for_field("ends_at", "a meeting ends after it starts")
        if not location.strip():
            raise InvalidInput.for_field("location", "say where the meeting is")
        now = self.clock()
        async with self.writer.transaction():
            row_id = await repo.meeting_at(self.reader, beat, starts_at, STAFF)
            if row_id is not None:
                await repo.update_meeting(row_id, location.strip(), ends_at, contact.strip())
            else:
                row_id = await repo.insert_confirmed_meeting(
                    beat, starts_at, ends_at, location.strip(), contact.strip(), STAFF, now
                )
        return Meeting(
            beat,
            as_stored(starts_at),
            as_stored(ends_at) if ends_at else None,
            location.strip(),
            contact.strip(),
            False,
            True,
            row_id,
        )

    async def cancel(self, beat: str, meeting_id: int) -> None:
        """Takes back a meeting staff confirmed (published ones stay as history)."""
        async with self.writer.transaction():
            if not await repo.meeting_exists(self.reader, meeting_id, beat, STAFF):
                raise NotFound.for_field("id", f"beat {beat} has no confirmed meeting {meeting_id}")
            await repo.delete_meeting(meeting_id)


def _month(moment: datetime) -> tuple[int, int]:
    local = moment.astimezone(LOCAL)
    return local.year, local.month


def _meeting(row: dict[str, Any]) -> Meeting:
    starts = as_utc(row["starts_at"])
    assert starts is not None
    return Meeting(
        beat=row["beat"],
        starts_at=starts,
        ends_at=as_utc(row["ends_at"]),
        location=row["location"],
        contact=row["contact"],
        projected=False,
        confirmed=bool(row["confirmed"]),
        id=row["id"],
    )


async def import_beat_meetings(path: Path = DATA_FILE) -> Imported:
    """`city311 beats import` and `city311 seed`: the published meetings into the database."""
    from piccolo.engine import engine_finder

    engine = engine_finder()
    assert engine is not None, "piccolo_conf.DB is not configured"
    reader, writer = Reader(engine), Writer(engine)
    await reader.open()
    try:
        return await BeatMeetings(reader, writer).import_file(path)
    finally:
        await writer.close()
        await reader.close()
