"""The beat meetings table: CAPS meetings the police published (loaded by `city311 beats import`)
and the ones staff confirm, one row per beat (a joint meeting of two beats is a row for each)."""

from __future__ import annotations

from piccolo.columns import Boolean, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class BeatMeeting(Table):
    """Importing the published meetings replaces them (staff's stay): importing again changes
    nothing."""

    id: Serial  # Piccolo's primary key, named for the type checker
    beat = Varchar(length=4, index=True)  # "1434": district 14, sector 3, beat 4
    beats = Varchar(length=64, default="")  # every beat of a joint meeting: "1531;1532"
    district = Integer()
    starts_at = Timestamptz()
    ends_at = Timestamptz(null=True, default=None)
    location = Text(default="")
    contact = Text(default="")
    source = Varchar(length=48)  # the published calendar it came from, or "staff"
    confirmed = Boolean(default=False)  # entered by staff: wins over the projected schedule
    created_at = Timestamptz()
