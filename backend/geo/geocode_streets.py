"""Chicago's streets from the city's two files: names, address ranges and known points on each.

A street here is one full name ("N KEDZIE AVE"); the sides of a boulevard and the in/outbound
lanes ("S DOTY AVE E", "N LAKE SHORE DR SB") merge into it. Its points are its intersections, each
numbered by the grid, so an address is placed between the two points around its number.
"""

from __future__ import annotations

import csv
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path

from backend.geo.distance import METRES_PER_DEGREE_LAT, METRES_PER_DEGREE_LONG
from backend.geo.geocode_grid import Grid

DIRECTIONS = ("N", "S", "E", "W")
# Ramps and expressways carry no house numbers; the reverse geocoder skips them.
NO_ADDRESSES = frozenset({"ER", "XR", "EXPY", "SR", "TOLL"})
# Lots are numbered by twos, so a block face's numbers stop near 60 of its grid hundred, and the
# city's points spread the numbers a block has over the whole block: number B+u sits at grid
# B+1.5u. Fitted on the 311 rows: the error grew with u at 1.0 (+5 m at u≈5, +53 m at u≈55 on
# E-W streets); 1.3-1.7 fit best depending on the half of the grid and the year, 1.5 for all.
STRETCH = 1.5
STRETCH_TOP = 95.0  # the stretched numbers reach 95 of the hundred, the rest fill the last 5
ENDS_M_PER_UNIT = 2.0  # past the last known point: 800 units to the mile = 2.01 m per unit


def squash(name: str) -> str:
    """The lookup key of a name: "LA SALLE" and "LASALLE", "O'BRIEN" and "OBRIEN" meet."""
    return "".join(ch for ch in name if ch.isalnum())


@dataclass(slots=True)
class Street:
    key: str  # "N KEDZIE AVE"
    direction: str  # N S E W: which half of the grid numbers it
    name: str  # "KEDZIE"
    suffix: str  # "AVE", "" for BROADWAY
    lo: int = 0  # address range from the street-name file; 0, 0 when it has none
    hi: int = 0
    addrs: list[float] = field(default_factory=list)  # grid number of each known point, sorted
    lats: list[float] = field(default_factory=list)
    lons: list[float] = field(default_factory=list)
    zips: list[str] = field(default_factory=list)

    @property
    def ranged(self) -> bool:
        return self.hi > 0

    def in_range(self, number: int) -> bool:
        if self.ranged:
            return self.lo <= number <= self.hi
        return bool(self.addrs) and self.addrs[0] - 100 <= number <= self.addrs[-1] + 100

    def house_number(self, grid_number: float) -> float:
        return unstretch(grid_number)

    def even_side(self) -> tuple[float, float]:
        """(north, east) unit vector of the side with even numbers: west of N-S streets, north of
        E-W ones; diagonals follow the half of the grid that numbers them."""
        return (0.0, -1.0) if self.direction in "NS" else (1.0, 0.0)

    def locate(self, number: float) -> tuple[float, float, str, float] | None:
        """(lat, long, zip, metres beyond the known points) of a house number."""
        addrs = self.addrs
        n = len(addrs)
        if n == 0:
            return None
        number = stretch(number)
        i = bisect_left(addrs, number)
        if 0 < i < n:
            a, b = i - 1, i
        elif n >= 2:  # before the first or past the last point: extend the end segment
            a, b = (0, 1) if i == 0 else (n - 2, n - 1)
            while addrs[b] - addrs[a] < 50 and (a > 0 or b < n - 1):
                a, b = (a, b + 1) if i == 0 else (a - 1, b)
        else:
            a = b = 0
        lat, lon = self._between(a, b, number)
        beyond = max(addrs[0] - number, number - addrs[-1], 0.0) * ENDS_M_PER_UNIT
        nearest = a if abs(number - addrs[a]) <= abs(number - addrs[b]) else b
        # on the centre line: the legacy 311 points are (median 0 m off it), the 2021 ones are
        # half on it and half 21 m to the number's side, so an offset gains nothing overall
        return lat, lon, self.zips[nearest], beyond

    def _between(self, a: int, b: int, number: float) -> tuple[float, float]:
        span = self.addrs[b] - self.addrs[a]
        if span < 1e-6:
            return self._along_axis(a, number)
        t = (number - self.addrs[a]) / span
        lat = self.lats[a] + t * (self.lats[b] - self.lats[a])
        lon = self.lons[a] + t * (self.lons[b] - self.lons[a])
        return lat, lon

    def _along_axis(self, a: int, number: float) -> tuple[float, float]:
        """A street known at one point only: step along its half of the grid at 2 m per unit."""
        metres = (number - self.addrs[a]) * ENDS_M_PER_UNIT
        north, east = {"N": (1, 0), "S": (-1, 0), "E": (0, 1), "W": (0, -1)}.get(
            self.direction, (0, 0)
        )
        lat = self.lats[a] + north * metres / METRES_PER_DEGREE_LAT
        lon = self.lons[a] + east * metres / METRES_PER_DEGREE_LONG
        return lat, lon


def stretch(number: float) -> float:
    """Where house number `number` sits on the grid (see STRETCH)."""
    base = number // 100 * 100
    u = number - base
    knee = STRETCH_TOP / STRETCH
    if u <= knee:
        return base + u * STRETCH
    return base + STRETCH_TOP + (u - knee) * (100 - STRETCH_TOP) / (100 - knee)


def unstretch(grid_number: float) -> float:
    """The house number at a grid position: stretch()'s inverse."""
    base = grid_number // 100 * 100
    v = grid_number - base
    knee = STRETCH_TOP / STRETCH
    if v <= STRETCH_TOP:
        return base + v / STRETCH
    return base + knee + (v - STRETCH_TOP) * (100 - knee) / (100 - STRETCH_TOP)


Sample = tuple[float, float, float, str]  # (grid number, lat, long, zip) of a known point


def _spread_flat_tail(points: list[Sample], street: Street, grid: Grid) -> list[Sample]:
    """A diagonal that turns to run across its own numbering at its far end (S Archer Ave west of
    Pulaski: 5000 S at Pulaski, 6399 S at Harlem, 2,300 units west but only 490 south) numbers
    that run by distance, not by the grid: its numbers there are spread over the run across so
    that the street's last point carries its last number (from the street-name file)."""
    if not street.ranged or len(points) < 4 or street.hi - max(p[0] for p in points) <= 300:
        return points
    across = [
        grid.x(p[1], p[2]) if street.direction in "NS" else grid.y(p[1], p[2]) for p in points
    ]
    order = sorted(range(len(points)), key=lambda i: points[i][0])
    top = order[-1]
    start = top  # walk down from the top number while the street runs flat (< 0.6 in 1)
    for i in reversed(order[:-1]):
        run = abs(across[start] - across[i])
        if run >= 30 and abs(points[start][0] - points[i][0]) > 0.6 * run:
            break
        start = i
    run = abs(across[top] - across[start])
    missing = street.hi - points[top][0]
    if run < 400 or not 0.1 < missing / run <= 1.5:
        return points
    rate = missing / run
    spread = list(points)
    for i in order:
        beyond = abs(across[i] - across[start])
        if points[i][0] >= points[start][0] - 50 and beyond <= run + 100:
            spread[i] = (points[i][0] + rate * beyond, *points[i][1:])
    return spread


def split_key(key: str, suffixes: frozenset[str]) -> tuple[str, str, str]:
    """'N KEDZIE AVE' -> ('N', 'KEDZIE', 'AVE'); 'N BROADWAY' -> ('N', 'BROADWAY', '')."""
    parts = key.split()
    direction = parts[0] if parts[0] in DIRECTIONS and len(parts) > 1 else ""
    rest = parts[1:] if direction else parts
    suffix = rest[-1] if len(rest) > 1 and rest[-1] in suffixes else ""
    name = " ".join(rest[:-1] if suffix else rest)
    return direction, name, suffix


@dataclass(slots=True)
class StreetMap:
    streets: dict[str, Street]
    crossings: dict[frozenset[str], tuple[float, float, str]]  # {key, key} -> (lat, long, zip)
    grid: Grid

    @classmethod
    def load(cls, street_names: Path, intersections: Path) -> StreetMap:
        streets: dict[str, Street] = {}
        suffixes: set[str] = set()
        with open(street_names, newline="") as f:
            for row in csv.DictReader(f):
                direction, name = row["Direction"].strip(), " ".join(row["Street "].split())
                suffix = row["Suffix"].strip()
                key = " ".join(p for p in (direction, name, suffix) if p)
                lo, hi = int(row["Min Address"]), int(row["Max Address"])
                suffixes.add(suffix)
                street = streets.get(key)
                if street is None:
                    streets[key] = Street(key, direction, name, suffix, lo, hi)
                elif hi > 0:  # a boulevard's sides, a drive's lanes: one street, their union
                    street.lo = min(street.lo, lo) if street.hi > 0 else lo
                    street.hi = max(street.hi, hi)
        suffixes.discard("")
        frozen = frozenset(suffixes)
        rows = []
        with open(intersections, newline="") as f:
            for row in csv.DictReader(f):
                point = (float(row["latitude"]), float(row["longitude"]), row["zipcode"])
                rows.append((row["street_1"], row["street_2"], point))
        for key in {k for r in rows for k in r[:2]} - streets.keys():
            streets[key] = Street(key, *split_key(key, frozen))  # ramps etc. with no range
        by_name: dict[str, list[tuple[float, float]]] = {}
        for s1, s2, (lat, lon, _) in rows:
            for key in (s1, s2):
                st = streets[key]
                by_name.setdefault(f"{st.name} {st.suffix}".strip(), []).append((lat, lon))
        grid = Grid(by_name)
        crossings: dict[frozenset[str], tuple[float, float, str]] = {}
        samples: dict[str, list[Sample]] = {}
        for s1, s2, point in rows:
            crossings[frozenset((s1, s2))] = point
            lat, lon, zipcode = point
            for key in (s1, s2):
                direction = streets[key].direction
                if direction in "NS" and direction:
                    number = grid.y(lat, lon) * (1 if direction == "N" else -1)
                else:
                    number = grid.x(lat, lon) * (1 if direction == "E" else -1)
                samples.setdefault(key, []).append((number, lat, lon, zipcode))
        for key, points in samples.items():
            st = streets[key]
            points = _spread_flat_tail(points, st, grid)
            points.sort()
            st.addrs = [p[0] for p in points]
            st.lats = [p[1] for p in points]
            st.lons = [p[2] for p in points]
            st.zips = [p[3] for p in points]
        return cls(streets, crossings, grid)
