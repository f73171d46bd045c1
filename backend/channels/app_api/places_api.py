"""App API v1: where a point is in Chicago (ward and alderman, community area, neighborhood, police
district and station, beat, and the beat's next meeting), for residents looking up who and what
serves them; and the places a typed address, cross street or landmark may be, to pick one."""

from __future__ import annotations

from typing import Annotated

from litestar import get
from litestar.params import QueryParameter

from backend.channels.deps import Injected
from backend.channels.openapi_problems import problem_responses
from backend.geo.areas import Places
from backend.limits import LINE_PATTERN, MAX_ADDRESS
from backend.police.meetings import BeatMeetings, Meeting
from backend.service_requests.location import Located, Locator
from backend.service_requests.place_search import search_places

from .beats_api import meeting_out
from .schemas import PlaceOut, PlaceSearchOut, PlacesOut, PoliceDistrictOut, WardOut

Lat = Annotated[
    float | None,
    QueryParameter(ge=41.6, le=42.1, description="Latitude (WGS 84), with long; Chicago's box"),
]
Long = Annotated[
    float | None,
    QueryParameter(ge=-88.0, le=-87.5, description="Longitude (WGS 84), with lat; Chicago's box"),
]
Address = Annotated[
    str | None,
    QueryParameter(
        max_length=MAX_ADDRESS,
        pattern=LINE_PATTERN,
        description="A street address or two cross streets, e.g. 4500 N Kedzie or Damen and "
        "Division",
    ),
]


@get(
    "/places/lookup",
    summary="The ward, community area, police district, beat and next beat meeting of an "
    "address or a point",
    responses=problem_responses(422),
)
async def lookup_place(
    locator: Injected[Locator],
    meetings: Injected[BeatMeetings],
    address: Address = None,
    lat: Lat = None,
    long: Long = None,
) -> PlacesOut:
    located, places = locator.lookup(address, lat, long)
    meeting = await meetings.next_meeting(places.beat)
    return places_out(located, places, meeting)


def places_out(located: Located, places: Places, meeting: Meeting | None = None) -> PlacesOut:
    ward, district = places.ward, places.police_district
    return PlacesOut(
        address=located.address,
        lat=located.lat,
        long=located.long,
        ward=WardOut(
            number=ward.number,
            alderman=ward.alderman,
            office_address=ward.office_address,
            office_phone=ward.office_phone,
            email=ward.email,
        )
        if ward
        else None,
        community_area=places.community_area_name,
        community_area_number=places.community_area,
        neighborhood=places.neighborhood,
        police_district=PoliceDistrictOut(
            number=district.number,
            name=district.name,
            station_address=district.station_address,
            station_phone=district.station_phone,
        )
        if district
        else None,
        police_beat=places.beat,
        next_beat_meeting=meeting_out(meeting) if meeting else None,
    )


@get(
    "/places/search",
    summary="The places a typed address, cross street or landmark may be, best first (to pick one)",
    description="The offline geocoder's answers inside the city: one when the text is clear, "
    "several when it could be more than one place (then `reason` says what would tell them "
    "apart), none when it names no place (`reason` says why). Submit the picked place's `lat` "
    "and `long`, with its `label` as the request's `address`.",
    responses=problem_responses(422),
)
async def search_place(
    locator: Injected[Locator],
    q: Annotated[
        str,
        QueryParameter(
            min_length=1,
            max_length=MAX_ADDRESS,
            pattern=LINE_PATTERN,
            description="An address, two cross streets or a landmark, e.g. 1845 W Cortland, "
            "Damen and Division, the bean",
        ),
    ],
) -> PlaceSearchOut:
    found = search_places(locator, q)
    return PlaceSearchOut(
        query=q,
        places=[
            PlaceOut(
                label=p.label,
                lat=p.lat,
                long=p.long,
                kind=p.kind,
                confidence=p.confidence,
                address=p.address,
            )
            for p in found.places
        ],
        reason=found.reason,
    )


ROUTES = [lookup_place, search_place]
