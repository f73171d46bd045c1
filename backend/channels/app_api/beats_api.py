"""App API v1: a police beat's meetings (CAPS): the next ones — confirmed by staff, or projected
from the beat's published pattern and labelled so — or the published history; and whom to call
(the city's numbers, inside and outside it)."""

from __future__ import annotations

import calendar
from typing import Annotated

from litestar import get
from litestar.params import Parameter

from backend.channels.deps import Injected
from backend.channels.openapi_problems import problem_responses
from backend.city import CITY
from backend.police.beat_pattern import EVEN, ODD, Pattern
from backend.police.meetings import MAX_UPCOMING, BeatMeetings, Meeting, Schedule, beat_number

from .render import local
from .schemas import BeatMeetingOut, BeatMeetingsOut, BeatPatternOut, CityOut

Beat = Annotated[str, Parameter(description="a police beat, e.g. 1434 (district 14)", max_length=8)]
PROJECTED_NOTE = (
    "Dates marked projected are not announced: they follow the pattern of the beat's published "
    "meetings of {first:%B %Y} to {last:%B %Y}. Confirm with the district's CAPS office."
)


def meeting_out(m: Meeting) -> BeatMeetingOut:
    starts = local(m.starts_at)
    assert starts is not None
    return BeatMeetingOut(
        starts_at=starts,
        ends_at=local(m.ends_at),
        location=m.location,
        projected=m.projected,
        confirmed=m.confirmed,
        id=m.id if m.confirmed else None,
    )


def pattern_out(p: Pattern) -> BeatPatternOut:
    return BeatPatternOut(
        description=p.describe(),
        weekday=calendar.day_name[p.weekday],
        week=p.week,
        months="odd" if p.months == ODD else "even" if p.months == EVEN else "every",
        time=f"{p.at:%H:%M}",
        location=p.location,
        based_on=p.based_on,
        first_meeting=p.first,
        last_meeting=p.last,
    )


def schedule_out(found: Schedule, meetings: list[Meeting]) -> BeatMeetingsOut:
    p = found.pattern
    return BeatMeetingsOut(
        beat=found.beat,
        district=found.district,
        pattern=pattern_out(p) if p else None,
        note=PROJECTED_NOTE.format(first=p.first, last=p.last)
        if p
        else "No published meetings to project from; only confirmed meetings are listed.",
        meetings=[meeting_out(m) for m in meetings],
    )


@get(
    "/beats/{beat:str}/meetings",
    summary="A police beat's next meetings (confirmed, or projected from its pattern), or its "
    "published history",
    responses=problem_responses(404, 422),
)
async def beat_meetings(
    meetings: Injected[BeatMeetings],
    beat: Beat,
    upcoming: Annotated[
        bool,
        Parameter(
            description="true (the default): the next meetings after now; false: the published "
            "and confirmed meetings, latest first"
        ),
    ] = True,
    limit: Annotated[int, Parameter(ge=1, le=MAX_UPCOMING, description="how many")] = 3,
) -> BeatMeetingsOut:
    number = beat_number(beat)
    found = await meetings.schedule(number, limit)
    if upcoming:
        return schedule_out(found, found.meetings)
    return schedule_out(found, (await meetings.history(number))[:limit])


@get("/city", summary="The city's numbers: 311, and the one to call from outside the city")
async def city_contact() -> CityOut:
    return CityOut(
        name=CITY.name,
        phone=CITY.phone,
        outside_city_phone=CITY.outside_city_phone,
        website=CITY.website,
        time_zone=CITY.time_zone,
    )


ROUTES = [beat_meetings, city_contact]
