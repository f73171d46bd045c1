"""Where a submitted request is: its given point, else its typed address (geocoded offline), else
its photo's GPS; always inside the city; and, for a point alone, the nearest address to show.
Field names are the domain's (`lat`, `address`, `photos`)."""

from __future__ import annotations

from dataclasses import dataclass

from backend.city import OUTSIDE_CITY_PHONE
from backend.errors import FieldError, InvalidInput, OutsideCity
from backend.geo.areas import Places
from backend.geo.city import CityMap
from backend.geo.geocoder import Geocoder, GeocodeResult

# Below this a geocoded answer is offered back as a question, never used silently.
MIN_CONFIDENCE = 0.6
# A point further than this from any street gets no "near …" address.
NEAREST_ADDRESS_M = 150.0


@dataclass(frozen=True)
class Located:
    lat: float
    long: float
    address: str | None


@dataclass(frozen=True)
class PlaceColumns:
    """The areas a request is stored with (its columns of the same names); all None outside
    every area."""

    community_area: int | None = None
    ward: int | None = None
    police_district: int | None = None
    police_beat: str | None = None


def place_columns(places: Places | None) -> PlaceColumns:
    """The one mapping from a point's places to a request's area columns."""
    if places is None:
        return PlaceColumns()
    return PlaceColumns(
        community_area=places.community_area,
        ward=places.ward.number if places.ward else None,
        police_district=places.police_district.number if places.police_district else None,
        police_beat=places.beat,
    )


def pretty(address: str) -> str:
    """'1845 W CORTLAND ST' -> '1845 W Cortland St'; '63RD' -> '63rd'."""
    return " ".join(w.lower() if w[:1].isdigit() else w.capitalize() for w in address.split())


class Locator:
    def __init__(self, city: CityMap, geocoder: Geocoder) -> None:
        self.city = city
        self.geocoder = geocoder

    def from_text(self, address: str) -> Located:
        """The typed address's point; InvalidInput on `address`, with the candidates, when it
        is unknown or could be several places."""
        result = self.geocoder.geocode(address)
        lat, long = result.lat, result.long
        if (
            lat is not None  # found
            and long is not None
            and not result.candidates
            and result.confidence >= MIN_CONFIDENCE
        ):
            located = Located(lat, long, pretty(result.address))
            self.check_inside(located.lat, located.long, "address")
            return located
        raise _not_placed(address, result)

    def lookup(
        self, address: str | None = None, lat: float | None = None, long: float | None = None
    ) -> tuple[Located, Places]:
        """A resident's "where is this, and who serves it": by address, or by point (which gets
        its nearest address)."""
        if address and address.strip():
            located = self.from_text(address.strip())
        elif lat is not None and long is not None:
            self.check_inside(lat, long, "lat")
            located = Located(lat, long, self.nearest_address(lat, long))
        else:
            raise InvalidInput.for_field("address", "give an address, or lat and long")
        places = self.city.places(located.lat, located.long)
        assert places is not None  # checked inside the city above
        return located, places

    def check_inside(self, lat: float, long: float, field: str) -> None:
        if not self.city.contains(lat, long):
            raise OutsideCity.for_field(
                field,
                f"({lat:.5f}, {long:.5f}) is outside the City of Chicago; City311 only takes "
                f"requests inside the city limits (from outside the city, call {OUTSIDE_CITY_PHONE})",
            )

    def nearest_address(self, lat: float, long: float) -> str | None:
        result = self.geocoder.reverse(lat, long)
        if not result.found or (result.distance_m or 0) > NEAREST_ADDRESS_M:
            return None
        return f"near {pretty(result.address)}"


def _not_placed(address: str, result: GeocodeResult) -> InvalidInput:
    options = result.candidates or ((result,) if result.found else ())
    if options:
        message = f"'{address[:60]}' could be more than one place; {result.reason or 'say which'}"
    else:
        message = f"cannot find '{address[:60]}' in Chicago" + (
            f": {result.reason}" if result.reason else ""
        )
    errors = [FieldError("address", message)]
    errors += [FieldError("address", f"did you mean {pretty(c.address)}?") for c in options[:5]]
    return InvalidInput(message, errors)
