"""App API v1: where a point is in Chicago (ward and alderman, community area, neighborhood, police
district and station, beat), for residents looking up who and what serves them."""

from __future__ import annotations

from typing import Annotated

from litestar import get
from litestar.datastructures import State
from litestar.params import QueryParameter

from backend.channels.openapi_problems import problem_responses
from backend.errors import OutsideCity

from .schemas import PlacesOut, PoliceDistrictOut, WardOut

Lat = Annotated[float, QueryParameter(ge=-90, le=90, description="Latitude (WGS 84)")]
Long = Annotated[float, QueryParameter(ge=-180, le=180, description="Longitude (WGS 84)")]


@get(
    "/places/lookup",
    summary="The ward, community area, police district and beat of a point",
    responses=problem_responses(422),
)
async def lookup_place(lat: Lat, long: Long, state: State) -> PlacesOut:
    places = state.services.city.places(lat, long)
    if places is None:
        raise OutsideCity.for_field(
            "lat", f"({lat:.5f}, {long:.5f}) is outside the City of Chicago"
        )
    ward, district = places.ward, places.police_district
    return PlacesOut(
        lat=lat,
        long=long,
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
    )


ROUTES = [lookup_place]
