"""Offline geocoder for Chicago: street addresses and intersections to points, points to addresses.

Pure: it reads its two files once (`Geocoder.load`, or the cached `geocoder()`) and then needs
neither the web app, nor a database, nor the network.

    >>> g = geocoder()
    >>> g.geocode("1845 w cortland st, Chicago IL 60622").address
    '1845 W CORTLAND ST'
    >>> g.geocode("Damen and Division").kind
    'intersection'
    >>> g.reverse(41.9159, -87.67436).address  # the nearest number, on the point's side (south: odd)
    '1845 W CORTLAND ST'

How it works: every street's intersections are points on it whose house number follows from the
grid (geocode_grid.py), so an address is placed by interpolating between the two known points
around its number; this follows diagonal streets (Milwaukee, Archer, Lincoln...) along their real
course, and the grid's bends too. Names are matched exactly, then fuzzily (rapidfuzz).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from backend.city import CITY
from backend.geo.distance import METRES_PER_DEGREE_LAT, METRES_PER_DEGREE_LONG, metres_between
from backend.geo.geocode_parse import Query, StreetText, parse, parse_with_usaddress
from backend.geo.geocode_reverse import MAX_DISTANCE_M, ReverseIndex
from backend.geo.geocode_streets import Street, StreetMap, squash

FUZZY_CUTOFF = 72  # rapidfuzz ratio: "PULASKY"/"PULASKI" scores 86, "KEDZY"/"KEDZIE" 73
SAME_PLACE_M = 60.0  # two answers closer than a third of a block are one place
NEAREST_PAIR_M = 150.0  # streets that do not meet: their nearest points, if this close
ONE_POINT_M = 15.0  # nearest points this close are one corner (Milwaukee, Central and Higgins)
WRONG_DIRECTION = 0.6  # "1845 N Cortland": Cortland has only a W half
WRONG_TYPE = 0.85  # "Pulaski Ave" for Pulaski Rd
GUESSED_DIRECTION = 0.95  # no direction typed, one fits
MINOR = 0.85  # no type typed: the name's lesser streets ("63rd Pkwy" beside 63rd St)
NO_STREET = "no street named"
MIN_CONFIDENCE = 0.35  # below: not found, the guess only offered as a candidate


@dataclass(frozen=True, slots=True)
class GeocodeResult:
    """One answer. `lat`/`long` are None when nothing was found; `reason` then says why."""

    address: str = ""  # "1845 W CORTLAND ST", "N DAMEN AVE & W DIVISION ST"
    lat: float | None = None
    long: float | None = None
    kind: str = ""  # "address" | "intersection" | "" (not found)
    confidence: float = 0.0  # 0..1
    candidates: tuple[GeocodeResult, ...] = ()  # when ambiguous: every answer, best first
    zip: str = ""
    reason: str = ""  # why not found, or why ambiguous
    distance_m: float | None = None  # reverse(): from the point asked to the street

    @property
    def found(self) -> bool:
        return self.lat is not None


def _apart(a: Street, b: Street) -> float:
    """Metres between the boxes around two streets' known points (0 when they overlap)."""
    dlat = max(min(b.lats) - max(a.lats), min(a.lats) - max(b.lats), 0.0)
    dlon = max(min(b.lons) - max(a.lons), min(a.lons) - max(b.lons), 0.0)
    return math.hypot(dlat * METRES_PER_DEGREE_LAT, dlon * METRES_PER_DEGREE_LONG)


def _at(answer: GeocodeResult) -> tuple[float, float]:
    """A found answer's point (every answer ranked is one found)."""
    assert answer.lat is not None and answer.long is not None
    return answer.lat, answer.long


def _middle(group: list[GeocodeResult]) -> GeocodeResult:
    """The first of answers that are one place; an intersection at their middle, near them all."""
    first = group[0]
    if len(group) == 1 or first.kind != "intersection":
        return first
    lat = sum(_at(a)[0] for a in group) / len(group)
    return replace(first, lat=lat, long=sum(_at(a)[1] for a in group) / len(group))


def _not_found(reason: str) -> GeocodeResult:
    return GeocodeResult(reason=reason)


class Geocoder:
    """Built once from the street files; every method is pure and raises nothing."""

    def __init__(self, streets: StreetMap) -> None:
        self.map = streets
        self._by_key: dict[str, list[Street]] = {}
        for street in streets.streets.values():
            if street.addrs:
                self._by_key.setdefault(squash(street.name), []).append(street)
        self._main: set[str] = set()  # of each name and direction, the street with most points
        for group in self._by_key.values():
            group.sort(key=lambda s: -len(s.addrs))
            for direction in {s.direction for s in group}:
                self._main.add(next(s.key for s in group if s.direction == direction))
        self._keys = list(self._by_key)
        self._reverse = ReverseIndex(streets.streets.values())

    @classmethod
    def load(
        cls,
        street_names: Path = CITY.files.street_names,
        intersections: Path = CITY.files.intersections,
    ) -> Geocoder:
        return cls(StreetMap.load(street_names, intersections))

    # -- names ---------------------------------------------------------------------------------

    def _exact(self, readings: tuple[StreetText, ...]) -> list[tuple[Street, float]]:
        found: dict[str, tuple[Street, float]] = {}
        for reading in readings:
            self._collect(found, reading, self._by_key.get(squash(reading.name), ()), 1.0)
        return list(found.values())

    def _fuzzy(self, readings: tuple[StreetText, ...]) -> list[tuple[Street, float]]:
        found: dict[str, tuple[Street, float]] = {}
        for reading in readings[:3]:
            key = squash(reading.name)
            if len(key) < 3 or any(ch.isdigit() for ch in key):
                continue  # "5TH" is not a misspelt "15TH": numbers are not fuzzy
            matches = process.extract(
                key, self._keys, scorer=fuzz.ratio, limit=8, score_cutoff=FUZZY_CUTOFF
            )
            for choice, score, _ in matches:
                self._collect(found, reading, self._by_key[choice], score / 100.0)
        return list(found.values())

    def _collect(
        self,
        found: dict[str, tuple[Street, float]],
        reading: StreetText,
        group: list[Street] | tuple[()],
        score: float,
    ) -> None:
        """Scores the streets of one name against what was typed (direction, type)."""
        if reading.direction and any(s.direction == reading.direction for s in group):
            group = [s for s in group if s.direction == reading.direction]
        for street in group:
            fitted = score
            if reading.direction and reading.direction != street.direction:
                fitted *= WRONG_DIRECTION
            if reading.suffix and reading.suffix != street.suffix:
                fitted *= WRONG_TYPE
            elif not reading.suffix and street.key not in self._main:
                fitted *= MINOR  # "63rd": 63rd St, not 63rd Pkwy
            if street.key not in found or found[street.key][1] < fitted:
                found[street.key] = (street, fitted)

    # -- addresses -----------------------------------------------------------------------------

    def geocode(self, text: str) -> GeocodeResult:
        """An address or an intersection; an empty result with a `reason` when not found."""
        if not isinstance(text, str) or not text.strip():
            return _not_found("empty query")
        if len(text) > 300:
            return _not_found("query too long")
        query = parse(text)
        result = self._answer(query)
        if not result.found and (query.kind == "" or result.reason.startswith(NO_STREET)):
            fallback = parse_with_usaddress(text)  # messy text: the CRF tagger's reading
            if fallback.kind == "address" and fallback != query:
                second = self._answer(fallback)
                if second.found:  # it may have dropped words: trust it a little less
                    return replace(second, confidence=round(second.confidence * 0.8, 3))
        return result

    def _answer(self, query: Query) -> GeocodeResult:
        if query.kind == "address":
            return self._address(query)
        if query.kind == "intersection":
            return self._intersection(query)
        return _not_found("no house number and no cross street: give an address or 'A and B'")

    def _address(self, query: Query) -> GeocodeResult:
        readings = query.streets[0]
        if not readings:
            return _not_found("no street name after the house number")
        number = query.number
        named = self._exact(readings)
        exact = bool(named)
        if not exact:  # a real name out of range is refused, not swapped for a look-alike
            named = self._fuzzy(readings)
        fitting = [(s, sc) for s, sc in named if s.in_range(number)]
        if not fitting:
            typed = readings[0].name.title()
            if not named:
                return _not_found(f"{NO_STREET} {typed}")
            best = max(named, key=lambda c: c[1])[0]
            where = f"{best.key} ({best.lo}-{best.hi})" if best.ranged else best.key
            if not exact:
                return _not_found(f"{NO_STREET} {typed}; the closest, {where}, has no {number}")
            return _not_found(f"{number} is outside {where}")
        typed_direction = any(r.direction for r in readings)
        answers = []
        for street, score in fitting:
            located = street.locate(number)
            if located is None:
                continue
            lat, lon, zipcode, beyond = located
            if not typed_direction:
                score *= GUESSED_DIRECTION
            if beyond > 100:
                # past the last known point: the range says it exists; where is a guess that
                # loses a tenth of its confidence every 200 m (≈100 numbers)
                score *= max(0.3, 1.0 - beyond / 2000.0)
            answers.append(
                GeocodeResult(
                    f"{number} {street.key}", lat, lon, "address", round(score, 3), zip=zipcode
                )
            )
        return self._choose(answers, query.zip)

    def _choose(self, answers: list[GeocodeResult], zipcode: str) -> GeocodeResult:
        """The best answer; several places that fit about as well make it ambiguous."""
        if not answers:
            return _not_found("no known point on that street")
        answers.sort(key=lambda a: -a.confidence)
        top = answers[0].confidence
        if top < MIN_CONFIDENCE:
            return GeocodeResult(
                candidates=tuple(answers[:3]), reason=f"not sure: {answers[0].address}?"
            )
        # Answers closer than SAME_PLACE_M to a better one are that place: a corner that is two
        # points (a jog: N and S Albany Ave meet Madison 57 m apart) is answered at its middle.
        groups: list[list[GeocodeResult]] = []
        for answer in answers:
            if answer.confidence < top - 0.1:
                break
            for group in groups:
                if metres_between(*_at(answer), *_at(group[0])) <= SAME_PLACE_M:
                    group.append(answer)
                    break
            else:
                groups.append([answer])
        places = [_middle(group) for group in groups]
        if len(places) > 1 and zipcode:
            in_zip = [p for p in places if p.zip == zipcode]
            if in_zip:
                places = in_zip
        best = places[0]
        if len(places) == 1:
            return best
        return GeocodeResult(
            best.address,
            best.lat,
            best.long,
            best.kind,
            round(best.confidence / len(places), 3),
            tuple(places),
            best.zip,
            f"{len(places)} places fit: add a direction (N/S/E/W) or a zip",
        )

    # -- intersections -------------------------------------------------------------------------

    def _intersection(self, query: Query) -> GeocodeResult:
        first, second = query.streets
        a, b = self._exact(first), self._exact(second)
        answers = self._crossings(a, b)
        if not answers:  # a misspelt name: the other one as typed first ("fullerton / pulasky")
            # a name that is a street's is never traded for a look-alike: "Central Ave" stays
            # Central Ave (it meets Milwaukee nowhere), not Central Park Ave three miles away
            fa = [] if a else self._fuzzy(first)
            fb = [] if b else self._fuzzy(second)
            answers = self._crossings(a, fb) + self._crossings(fa, b)
            a, b = a + fa, b + fb
            if not answers:
                answers = self._crossings(a, b)
        if answers:
            return self._choose(answers, query.zip)
        if not a or not b:
            missing = first if not a else second
            return _not_found(f"{NO_STREET} {missing[0].name.title()}")
        return self._nearest_pair(a, b)

    def _crossings(
        self, a: list[tuple[Street, float]], b: list[tuple[Street, float]]
    ) -> list[GeocodeResult]:
        found = []
        for sa, score_a in a:
            for sb, score_b in b:
                point = self.map.crossings.get(frozenset((sa.key, sb.key)))
                if point is None:
                    continue
                first, second = sorted((sa.key, sb.key), key=lambda k: k.split()[0] not in "NS")
                answer = GeocodeResult(
                    f"{first} & {second}",
                    point[0],
                    point[1],
                    "intersection",
                    round(score_a * score_b, 3),
                    zip=point[2],
                )
                # two answers that fit equally: the main streets (most known points) first
                found.append((answer.confidence, len(sa.addrs) + len(sb.addrs), answer))
        found.sort(key=lambda f: (-f[0], -f[1]))
        return [answer for _, _, answer in found]

    def _nearest_pair(
        self, a: list[tuple[Street, float]], b: list[tuple[Street, float]]
    ) -> GeocodeResult:
        """Streets that do not meet (a dead end short of the other): their closest points."""
        best = None
        for sa, score_a in sorted(a, key=lambda c: -c[1])[:3]:
            for sb, score_b in sorted(b, key=lambda c: -c[1])[:3]:
                if _apart(sa, sb) > NEAREST_PAIR_M:
                    continue  # parallel streets: 9 pairs of 100+ points would cost ≈15 ms
                for i in range(len(sa.addrs)):
                    for j in range(len(sb.addrs)):
                        d = metres_between(sa.lats[i], sa.lons[i], sb.lats[j], sb.lons[j])
                        if best is None or d < best[0]:
                            best = (d, sa, i, sb, j, score_a * score_b)
        if best is None or best[0] > NEAREST_PAIR_M:
            return _not_found("those streets do not meet")
        d, sa, i, sb, j, score = best
        if d <= ONE_POINT_M:  # a corner of three streets, filed under another pair: they meet
            return GeocodeResult(
                f"{sa.key} & {sb.key}", sa.lats[i], sa.lons[i], "intersection", round(score, 3),
                zip=sa.zips[i],
            )  # fmt: skip
        return GeocodeResult(
            f"{sa.key} & {sb.key}",
            (sa.lats[i] + sb.lats[j]) / 2,
            (sa.lons[i] + sb.lons[j]) / 2,
            "intersection",
            round(score * 0.5, 3),
            zip=sa.zips[i],
            reason=f"the streets do not meet; their nearest points are {d:.0f} m apart",
        )

    # -- reverse -------------------------------------------------------------------------------

    def reverse(self, lat: float, long: float) -> GeocodeResult:
        """The nearest house number on the nearest street, on the side of the street of the point."""
        try:
            lat, long = float(lat), float(long)
        except (TypeError, ValueError):
            return _not_found("latitude and longitude must be numbers")
        if not (math.isfinite(lat) and math.isfinite(long)):
            return _not_found("latitude and longitude must be numbers")
        hit = self._reverse.nearest(lat, long)
        located = hit[0].locate(hit[1]) if hit else None
        if hit is None or not located:
            return _not_found(f"no street within {MAX_DISTANCE_M:.0f} m")
        street, number, distance = hit
        plat, plon, zipcode, _ = located
        return GeocodeResult(
            f"{number} {street.key}",
            plat,
            plon,
            "address",
            round(max(0.0, 1.0 - distance / MAX_DISTANCE_M), 3),
            zip=zipcode,
            distance_m=round(distance, 1),
        )


@lru_cache(maxsize=1)
def geocoder() -> Geocoder:
    """The geocoder of the city's street files (backend/cities.py), built on first use."""
    return Geocoder.load()
