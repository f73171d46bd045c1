"""Beat meetings on both engines: the published calendars loaded once, each beat's next meetings
projected from its pattern after an injected clock, staff's confirmed meetings winning."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backend.errors import InvalidInput, NotFound
from backend.police.beat_pattern import LOCAL
from backend.police.meetings import beat_number, read_meetings

# A fixed moment: the projection depends on the clock given, never on today.
NOW = datetime(2027, 2, 10, 12, 0, tzinfo=LOCAL)  # any date


def test_the_published_calendars_hold_a_row_per_beat_of_each_meeting_once():
    rows = read_meetings()
    keys = [(r["beat"], r["starts_at"]) for r in rows]
    assert len(keys) == len(set(keys)) > 4000
    joint = [r for r in rows if ";" in r["beats"]]
    assert joint and all(r["beat"] in r["beats"].split(";") for r in joint)
    assert len({r["beat"] for r in rows}) == 261


async def test_importing_again_changes_nothing_and_keeps_staffs(services, beat_history):
    meetings = services.meetings
    await meetings.confirm("1434", NOW + timedelta(days=3), "Bucktown Library")
    before = await services.reader.fetch("SELECT COUNT(*) AS n FROM beat_meeting")
    again = await meetings.import_file()
    assert again == beat_history
    after = await services.reader.fetch("SELECT COUNT(*) AS n FROM beat_meeting")
    assert before == after
    assert any(m.confirmed for m in await meetings.history("1434"))


async def test_next_meetings_are_projected_after_the_clock(services, beat_history):
    found = await services.meetings.schedule("1434", 3, now=NOW)
    assert found.district == 14 and found.pattern is not None
    assert found.pattern.describe().startswith("fourth Wednesday of odd months, 6:30 pm")
    starts = [m.starts_at.astimezone(LOCAL) for m in found.meetings]
    assert [s.date().isoformat() for s in starts] == ["2027-03-24", "2027-05-26", "2027-07-28"]
    assert all(m.projected and not m.confirmed for m in found.meetings)
    assert "Bucktown Library" in found.meetings[0].location


async def test_always_a_future_date_whatever_the_clock(services, beat_history):
    for moment in (datetime.now(UTC), NOW, NOW + timedelta(days=3650)):
        meeting = await services.meetings.next_meeting("1434", now=moment)
        assert meeting is not None and meeting.starts_at > moment


async def test_a_confirmed_meeting_wins_in_its_month_and_can_be_taken_back(services, beat_history):
    meetings = services.meetings
    moved = datetime(
        2027, 3, 31, 19, 0, tzinfo=LOCAL
    )  # any date; instead of the projected March 24
    confirmed = await meetings.confirm("1434", moved, "Holstein Park, 2200 N Oakley")
    found = await meetings.schedule("1434", 3, now=NOW)
    assert [(m.starts_at, m.confirmed, m.projected) for m in found.meetings][0] == (
        moved.astimezone(UTC),
        True,
        False,
    )
    assert [m.starts_at.astimezone(LOCAL).month for m in found.meetings] == [3, 5, 7]
    assert found.meetings[0].location == "Holstein Park, 2200 N Oakley"
    again = await meetings.confirm("1434", moved, "Holstein Park fieldhouse")  # corrected place
    assert again.id == confirmed.id
    await meetings.cancel("1434", confirmed.id)
    first = (await meetings.schedule("1434", 1, now=NOW)).meetings[0]
    assert first.projected and first.starts_at.astimezone(LOCAL).day == 24
    with pytest.raises(NotFound):
        await meetings.cancel("1434", confirmed.id)


async def test_bad_confirmations_are_refused(services, beat_history):
    meetings = services.meetings
    with pytest.raises(InvalidInput):
        await meetings.confirm("1434", datetime(2027, 3, 1, 18), "Library")  # any date; no offset
    with pytest.raises(InvalidInput):
        await meetings.confirm("1434", NOW, "Library", ends_at=NOW - timedelta(hours=1))
    with pytest.raises(InvalidInput):
        await meetings.confirm("1434", NOW, "  ")


def test_beat_numbers():
    assert beat_number("1434") == beat_number(" 1434 ") == "1434"
    assert beat_number("111") == beat_number("0111") == "0111"
    for bad in ("", "14", "abcd", "12345"):
        with pytest.raises(InvalidInput):
            beat_number(bad)
    with pytest.raises(NotFound):
        beat_number("9999")


@pytest.mark.slow
def test_the_beats_commands(beat_history):
    """`city311 beats show` prints the pattern and the next meetings (projected after now);
    `city311 beats import` loads the same rows again; a beat that is none is refused."""
    import os
    import subprocess
    import sys

    cli = [sys.executable, "-m", "backend.cli", "beats"]
    shown = subprocess.run([*cli, "show", "1434", "--count", "2"], env=os.environ.copy(),
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == "beat 1434, district 14"
    assert "fourth Wednesday of odd months, 6:30 pm" in lines[1]
    assert len(lines) == 4 and all("(projected)" in line for line in lines[2:])
    imported = subprocess.run([*cli, "import"], env=os.environ.copy(), capture_output=True,
                              text=True, timeout=120)  # fmt: skip
    assert imported.returncode == 0 and "meetings=4829, beats=261" in imported.stdout
    bad = subprocess.run([*cli, "show", "9999"], env=os.environ.copy(), capture_output=True,
                         text=True, timeout=120)  # fmt: skip
    assert bad.returncode != 0 and "no police beat 9999" in bad.stderr
