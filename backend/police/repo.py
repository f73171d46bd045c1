"""The police tables' statements: beat meetings and police reports. The services open the
transactions; these run inside them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from backend.db import Reader, Row, as_stored
from backend.police.meeting_tables import BeatMeeting
from backend.police.tables import PoliceReport

_CHUNK = 500

# -- beat meetings ------------------------------------------------------------------------------


async def replace_published_meetings(
    rows: Sequence[dict[str, Any]], keep_source: str, at: datetime
) -> None:
    """The published meetings `rows` in place of every meeting not from `keep_source`."""
    await BeatMeeting.delete().where(BeatMeeting.source != keep_source)
    for start in range(0, len(rows), _CHUNK):
        await BeatMeeting.insert(
            *(
                BeatMeeting(
                    **{
                        **r,
                        "starts_at": as_stored(r["starts_at"]),
                        "ends_at": as_stored(r["ends_at"]) if r["ends_at"] else None,
                    },
                    confirmed=False,
                    created_at=at,
                )
                for r in rows[start : start + _CHUNK]
            )
        )


async def meetings_of(reader: Reader, beat: str) -> list[Row]:
    """Every meeting stored for a beat, latest first."""
    return await reader.fetch(
        "SELECT id, beat, starts_at, ends_at, location, contact, confirmed FROM beat_meeting "
        "WHERE beat = $1 ORDER BY starts_at DESC, id",
        beat,
    )


async def meeting_at(reader: Reader, beat: str, starts_at: datetime, source: str) -> int | None:
    row = await reader.fetchrow(
        "SELECT id FROM beat_meeting WHERE beat = $1 AND starts_at = $2 AND source = $3",
        beat,
        as_stored(starts_at),
        source,
    )
    return None if row is None else int(row["id"])


async def update_meeting(
    meeting_id: int, location: str, ends_at: datetime | None, contact: str
) -> None:
    await BeatMeeting.update(
        {
            BeatMeeting.location: location,
            BeatMeeting.ends_at: as_stored(ends_at) if ends_at else None,
            BeatMeeting.contact: contact,
        }
    ).where(BeatMeeting.id == meeting_id)


async def insert_confirmed_meeting(
    beat: str,
    starts_at: datetime,
    ends_at: datetime | None,
    location: str,
    contact: str,
    source: str,
    at: datetime,
) -> int:
    saved = await BeatMeeting.insert(
        BeatMeeting(
            beat=beat,
            beats=beat,
            district=int(beat[:2]),
            starts_at=as_stored(starts_at),
            ends_at=as_stored(ends_at) if ends_at else None,
            location=location,
            contact=contact,
            source=source,
            confirmed=True,
            created_at=at,
        )
    ).returning(BeatMeeting.id)
    meeting_id: int = saved[0]["id"]
    return meeting_id


async def meeting_exists(reader: Reader, meeting_id: int, beat: str, source: str) -> bool:
    row = await reader.fetchrow(
        "SELECT id FROM beat_meeting WHERE id = $1 AND beat = $2 AND source = $3",
        meeting_id,
        beat,
        source,
    )
    return row is not None


async def delete_meeting(meeting_id: int) -> None:
    await BeatMeeting.delete().where(BeatMeeting.id == meeting_id)


# -- police reports -----------------------------------------------------------------------------


async def insert_report(request_id: int, kind: str) -> None:
    await PoliceReport.insert(PoliceReport(request=request_id, kind=kind))


async def pending_reports(decision: str, limit: int, after_id: int) -> list[Row]:
    """Reports with this decision after `after_id`, oldest first."""
    rows: list[Row] = (
        await PoliceReport.select(*PoliceReport.all_columns())
        .where((PoliceReport.decision == decision) & (PoliceReport.id > after_id))
        .order_by(PoliceReport.id)
        .limit(limit)
    )
    return rows


async def report_of(request_id: int) -> Row | None:
    rows = await PoliceReport.select(*PoliceReport.all_columns()).where(
        PoliceReport.request == request_id
    )
    return rows[0] if rows else None


async def decide_report(
    report_id: int,
    decision: str,
    rd_number: str | None,
    decline_reason: str | None,
    reviewed_by: str,
    at: datetime,
) -> None:
    await PoliceReport.update(
        {
            PoliceReport.decision: decision,
            PoliceReport.rd_number: rd_number,
            PoliceReport.decline_reason: decline_reason,
            PoliceReport.reviewed_by: reviewed_by,
            PoliceReport.reviewed_at: at,
        }
    ).where(PoliceReport.id == report_id)


async def highest_rd_number(prefix: str) -> str | None:
    """The highest RD number starting with `prefix`."""
    rows = (
        await PoliceReport.select(PoliceReport.rd_number)
        .where(PoliceReport.rd_number.like(f"{prefix}%"))
        .order_by(PoliceReport.rd_number, ascending=False)
        .limit(1)
    )
    return rows[0]["rd_number"] if rows else None
