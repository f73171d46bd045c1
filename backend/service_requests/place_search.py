"""The places a typed location may be, for the resident to pick one: an address or two cross
streets (the offline geocoder, every answer when it is ambiguous) and a landmark by the name
people use ("the bean", "Belmont blue line"); inside the city only, best first. A picked place is
sent with the request as its point (lat/long) and its label as the address."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from backend.geo.distance import metres_between
from backend.geo.geocoder import GeocodeResult
from backend.geo.landmarks import Gazetteer, gazetteer, words_of

from .location import Locator, pretty

MAX_PLACES = 5
SAME_PLACE_M = 30.0  # two answers this close are one place
PlaceKind = Literal["address", "intersection", "landmark"]


@dataclass(frozen=True)
class Place:
    label: str  # "1845 W Cortland St", "N Damen Ave & W Division St", "Wrigley Field"
    lat: float
    long: float
    kind: PlaceKind
    confidence: float
    address: str | None = None  # a landmark's nearest address ("near 1060 W Addison St")


@dataclass(frozen=True)
class PlaceSearch:
    places: list[Place]
    reason: str = ""  # why none, or why several: the geocoder's words


def search_places(locator: Locator, text: str, landmarks: Gazetteer | None = None) -> PlaceSearch:
    text = text.strip()
    if not text:
        return PlaceSearch([], "empty query")
    result = locator.geocoder.geocode(text)
    places = [_street_place(answer) for answer in _answers(result)]
    for found in (landmarks or gazetteer()).find(words_of(text)):
        for landmark in found.landmarks:
            places.append(
                Place(
                    landmark.name,
                    landmark.lat,
                    landmark.long,
                    "landmark",
                    0.9,
                    locator.nearest_address(landmark.lat, landmark.long),
                )
            )
    inside = [p for p in places if locator.city.contains(p.lat, p.long)]
    chosen: list[Place] = []
    for place in sorted(inside, key=lambda p: -p.confidence):
        if not any(_near(place, other) for other in chosen):
            chosen.append(place)
    reason = result.reason if not chosen or len(chosen) > 1 else ""
    if places and not inside:
        reason = "outside the City of Chicago"
    return PlaceSearch(chosen[:MAX_PLACES], reason)


def _answers(result: GeocodeResult) -> list[GeocodeResult]:
    if result.candidates:
        return [c for c in result.candidates if c.found]
    return [result] if result.found else []


def _street_place(answer: GeocodeResult) -> Place:
    assert answer.lat is not None and answer.long is not None
    return Place(
        pretty(answer.address),
        answer.lat,
        answer.long,
        "intersection" if answer.kind == "intersection" else "address",
        round(answer.confidence, 3),
    )


def _near(a: Place, b: Place) -> bool:
    return metres_between(a.lat, a.long, b.lat, b.long) <= SAME_PLACE_M
