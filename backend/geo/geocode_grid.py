"""The city's address grid fitted to the street map: a point -> (east-west, north-south) address.

Chicago's grid (its anchors: data/grid_anchors.json) numbers 800 to the mile from State St
(east/west zero) and Madison St (north/south zero), but it is neither square nor straight on the
map: Madison's latitude drifts 0.0019° (≈210 m, ≈100 address units) across the city, and the
Loop's south side packs 1,200 numbers into the mile down to Roosevelt. So a formula is off by hundreds of metres in places. Instead, the streets whose grid
line is a public fact (Kedzie = 3200 W, Fullerton = 2400 N, every numbered street on the South
Side...) are traced through their intersections, and a point is placed between the two traced
lines around it, in strips about 330 m wide so that tilted and bent lines are followed.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any

from backend.city import CITY
from backend.geo.distance import METRES_PER_DEGREE_LAT, METRES_PER_DEGREE_LONG

# (grid value, the street's "NAME SUFFIX"es): the city's grid lines whose numbers are a public fact
Anchor = tuple[int, tuple[str, ...]]


@dataclass(frozen=True)
class Anchors:
    """The city's grid anchors (data/grid_anchors.json; docs/city.md): y is north-south (north
    positive), x east-west (east positive); numbered streets "NNth ST" lie on their own line."""

    y: tuple[Anchor, ...]
    x: tuple[Anchor, ...]
    numbered: tuple[int, int, int]  # (first, last, units per number): 13th..138th St at -100 x N

    @classmethod
    def load(cls, path: Path) -> Anchors:
        raw = json.loads(path.read_text(encoding="utf-8"))

        def anchors(rows: list[list[Any]]) -> tuple[Anchor, ...]:
            return tuple((int(value), tuple(str(n) for n in names)) for value, names in rows)

        numbered = raw["numbered_streets"]
        return cls(
            anchors(raw["north_south"]),
            anchors(raw["east_west"]),
            (int(numbered["first"]), int(numbered["last"]), int(numbered["units_per_number"])),
        )


ANCHORS = Anchors.load(CITY.files.grid_anchors)
Y_ANCHORS = ANCHORS.y
X_ANCHORS = ANCHORS.x

_NUMBERED = re.compile(r"^(\d+)(?:ST|ND|RD|TH) ST$")
STRIP = 0.004  # degrees per strip: ≈330 m of longitude (y) or ≈440 m of latitude (x)
LON_RANGE = CITY.grid.long_range
LAT_RANGE = CITY.grid.lat_range
EXTEND = 0.04  # degrees an anchor's line is carried past its last point: ≈3-4 km
# the grid's units to the mile (Chicago: 800 to 1,609 m): units per degree of latitude, and of
# longitude at the city's latitude
UNITS_PER_DEG_LAT = CITY.grid.units_per_mile * METRES_PER_DEGREE_LAT / 1609.34
UNITS_PER_DEG_LON = CITY.grid.units_per_mile * METRES_PER_DEGREE_LONG / 1609.34
_JOG = 0.0005  # a point more than ≈50 m off its neighbours' line is a jog or a same-named stub
_SLANT, _SLANT_RUN = 0.12, 0.004  # steeper than 1 in 8 over ≈400 m: not on its grid line


def _numbered_streets(bases: Iterable[str]) -> list[Anchor]:
    """Chicago's 13th St to 138th St lie on their own grid line: 6300 S is 63rd St."""
    first, last, units = ANCHORS.numbered
    found: list[Anchor] = []
    for base in bases:
        m = _NUMBERED.match(base)
        if m and first <= int(m.group(1)) <= last:
            found.append((units * int(m.group(1)), (base,)))
    return found


def _trace(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """(along, across) points of one anchor -> a clean polyline sorted by `along`: without jogs
    and same-named stubs off its line, nor the stretches where it leaves the grid on a slant."""
    points = sorted(points)
    if len(points) < 3:
        return points
    kept = []
    for i, (along, across) in enumerate(points):
        window = [p[1] for p in points[max(0, i - 3) : i + 4]]
        if abs(across - median(window)) <= _JOG:
            kept.append((along, across))
    # a slant that leaves the line displaced (Central Ave north of Elston, Cottage Grove north
    # of Pershing) splits it: the longest stretch on one line is the anchor
    groups: list[list[tuple[float, float]]] = [[]]
    for i, point in enumerate(kept):
        if not _straight(kept, i):
            if groups[-1]:
                groups.append([])
            continue
        last = groups[-1][-1] if groups[-1] else (groups[-2][-1] if len(groups) > 1 else None)
        if not groups[-1] and last is not None and abs(point[1] - last[1]) <= _JOG:
            groups.pop()  # the line resumes where it was: one stretch
        groups[-1].append(point)
    return max(groups, key=lambda g: g[-1][0] - g[0][0] if g else -1.0)


def _straight(points: list[tuple[float, float]], i: int) -> bool:
    """Whether the line runs straight (on the grid) on at least one side of point i: grid lines
    lean at most 1 in 35 (Western Ave's drift), Central Ave north of Elston 1 in 3."""
    along, across = points[i]
    sides = 0
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(points) and abs(points[j][0] - along) < _SLANT_RUN:
            j += step
        if 0 <= j < len(points):
            sides += 1
            if abs(points[j][1] - across) <= _SLANT * abs(points[j][0] - along):
                return True
    return sides == 0


Polyline = list[tuple[float, float]]  # (along, across) points


def _line(
    anchor: Anchor,
    points_by_base: dict[str, list[tuple[float, float]]],
    flip: Callable[[float, float], tuple[float, float]],
) -> tuple[int, Polyline]:
    """(value, traced polyline) of one anchor."""
    value, bases = anchor
    return value, _trace([flip(lat, lon) for b in bases for lat, lon in points_by_base.get(b, ())])


def _interp(line: list[tuple[float, float]], along: float) -> float:
    i = bisect_right(line, (along, float("inf")))
    if i == 0:
        return line[0][1]
    if i == len(line):
        return line[-1][1]
    (a0, c0), (a1, c1) = line[i - 1], line[i]
    return c0 if a1 == a0 else c0 + (c1 - c0) * (along - a0) / (a1 - a0)


class _Axis:
    """One grid coordinate: strips across `along`, in each the anchors' `across` positions."""

    def __init__(
        self, lines: list[tuple[int, list[tuple[float, float]]]], lo: float, hi: float, scale: float
    ):
        self.lo = lo
        self.scale = scale
        self.count = int((hi - lo) / STRIP) + 1
        self.strips: list[tuple[list[float], list[float]]] = []
        lines = [(value, line) for value, line in lines if len(line) >= 2]
        for k in range(self.count):
            centre = lo + (k + 0.5) * STRIP
            pairs = sorted(
                (value, _interp(line, centre))
                for value, line in lines
                if line[0][0] - STRIP <= centre <= line[-1][0] + STRIP
            )
            acrosses: list[float] = []
            values: list[float] = []
            for value, across in pairs:  # anchors must run in order; a crossing one is dropped
                if not acrosses or across > acrosses[-1] + 1e-5:
                    acrosses.append(across)
                    values.append(float(value))
            self._drop_displaced(acrosses, values)
            # an anchor that stops short (Cumberland south of O'Hare) still holds its line a few
            # km on, where it fits between the others at a plausible spacing
            for value, line in lines:
                if line[0][0] - EXTEND <= centre <= line[-1][0] + EXTEND and value not in values:
                    self._insert(acrosses, values, float(value), _interp(line, centre))
            self.strips.append((acrosses, values))
        self._fill()

    def _drop_displaced(self, acrosses: list[float], values: list[float]) -> None:
        """An anchor off its line in this strip (a same-named piece elsewhere, a bend) shows as a
        squeezed gap on one side and a stretched one on the other (Lake St in Austin: 32 and 542
        m per 100 numbers against 201); the grid's real squeezes (the Loop's 138) are even."""
        i = 1
        while i < len(values) - 1:
            before = (acrosses[i] - acrosses[i - 1]) * self.scale / (values[i] - values[i - 1])
            after = (acrosses[i + 1] - acrosses[i]) * self.scale / (values[i + 1] - values[i])
            if max(before, after) / min(before, after) > 2.5 and not (
                0.6 < before < 1.6 and 0.6 < after < 1.6
            ):
                del acrosses[i], values[i]
                i = max(i - 1, 1)
            else:
                i += 1

    def _insert(
        self, acrosses: list[float], values: list[float], value: float, across: float
    ) -> None:
        i = bisect_right(values, value)
        for j in (i - 1, i):
            if 0 <= j < len(values):
                spacing = (across - acrosses[j]) * self.scale / (value - values[j])
                if not 0.6 < spacing < 1.6:
                    return
        acrosses.insert(i, across)
        values.insert(i, value)

    def _fill(self) -> None:
        """A strip with fewer than 2 anchors (open country, the lake) borrows its neighbour's."""
        good = [k for k, (a, _) in enumerate(self.strips) if len(a) >= 2]
        for k in range(self.count):
            if len(self.strips[k][0]) < 2:
                nearest = min(good, key=lambda g: abs(g - k))
                self.strips[k] = self.strips[nearest]

    def _in_strip(self, strip: tuple[list[float], list[float]], across: float) -> float:
        acrosses, values = strip
        i = bisect_right(acrosses, across)
        if i == 0:  # outside the outer anchors: 800 to the mile from the last one
            return values[0] + (across - acrosses[0]) * self.scale
        if i == len(acrosses):
            return values[-1] + (across - acrosses[-1]) * self.scale
        a0, a1 = acrosses[i - 1], acrosses[i]
        v0, v1 = values[i - 1], values[i]
        return v0 + (v1 - v0) * (across - a0) / (a1 - a0)

    def value(self, along: float, across: float) -> float:
        f = (along - self.lo) / STRIP - 0.5
        k = min(max(int(f // 1), 0), self.count - 2)
        w = min(max(f - k, 0.0), 1.0)
        v0 = self._in_strip(self.strips[k], across)
        if w == 0.0:
            return v0
        return v0 + w * (self._in_strip(self.strips[k + 1], across) - v0)


class Grid:
    """`x(lat, long)`: signed E/W address (east +); `y(lat, long)`: signed N/S address (north +)."""

    def __init__(self, points_by_base: dict[str, list[tuple[float, float]]]) -> None:
        y_anchors = list(Y_ANCHORS) + _numbered_streets(points_by_base)
        y_lines = [_line(a, points_by_base, lambda lat, lon: (lon, lat)) for a in y_anchors]
        x_lines = [_line(a, points_by_base, lambda lat, lon: (lat, lon)) for a in X_ANCHORS]
        self._y = _Axis(y_lines, *LON_RANGE, UNITS_PER_DEG_LAT)
        self._x = _Axis(x_lines, *LAT_RANGE, UNITS_PER_DEG_LON)

    def x(self, lat: float, long: float) -> float:
        return self._x.value(lat, long)

    def y(self, lat: float, long: float) -> float:
        return self._y.value(long, lat)
