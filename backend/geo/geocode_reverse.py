"""Point -> nearest house number: the street segments between known points, bucketed in cells."""

from __future__ import annotations

import math
from collections.abc import Iterable

from backend.geo.distance import METRES_PER_DEGREE_LAT, METRES_PER_DEGREE_LONG
from backend.geo.geocode_streets import NO_ADDRESSES, Street

CELL = 0.003  # degrees: ≈330 m of latitude, ≈250 m of longitude
MAX_SEGMENT_M = 1500.0  # a longer gap between two known points crosses a park or a rail yard
MAX_DISTANCE_M = 250.0  # the 3x3 cells searched reach at least one cell (≥250 m) each way


class ReverseIndex:
    def __init__(self, streets: Iterable[Street]) -> None:
        self._cells: dict[tuple[int, int], list[tuple[Street, int]]] = {}
        for street in streets:
            if not street.ranged or street.suffix in NO_ADDRESSES or len(street.addrs) < 2:
                continue
            for i in range(len(street.addrs) - 1):
                la, lb = street.lats[i], street.lats[i + 1]
                oa, ob = street.lons[i], street.lons[i + 1]
                length = math.hypot(
                    (la - lb) * METRES_PER_DEGREE_LAT, (oa - ob) * METRES_PER_DEGREE_LONG
                )
                if length > MAX_SEGMENT_M or street.addrs[i + 1] - street.addrs[i] < 1:
                    continue
                for cy in range(int(min(la, lb) // CELL), int(max(la, lb) // CELL) + 1):
                    for cx in range(int(min(oa, ob) // CELL), int(max(oa, ob) // CELL) + 1):
                        self._cells.setdefault((cy, cx), []).append((street, i))

    def nearest(self, lat: float, lon: float) -> tuple[Street, int, float] | None:
        """(street, house number, metres from the point to the street) or None."""
        best = None
        cy, cx = int(lat // CELL), int(lon // CELL)
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                for street, i in self._cells.get((cy + dy, cx + dx), ()):
                    found = _project(street, i, lat, lon)
                    if best is None or found[0] < best[0]:
                        best = (found[0], found[1], found[2], street, i)
        if best is None or best[0] > MAX_DISTANCE_M:
            return None
        distance, t, left, street, i = best
        number = street.addrs[i] + t * (street.addrs[i + 1] - street.addrs[i])
        return street, _house_number(street, street.house_number(number), i, left), distance


def _project(street: Street, i: int, lat: float, lon: float) -> tuple[float, float, float]:
    """(distance in metres, position 0..1 along segment i, cross product: > 0 on its left)."""
    an = (street.lats[i] - lat) * METRES_PER_DEGREE_LAT
    ae = (street.lons[i] - lon) * METRES_PER_DEGREE_LONG
    dn = (street.lats[i + 1] - street.lats[i]) * METRES_PER_DEGREE_LAT
    de = (street.lons[i + 1] - street.lons[i]) * METRES_PER_DEGREE_LONG
    length2 = dn * dn + de * de
    t = 0.0 if length2 == 0 else min(1.0, max(0.0, -(an * dn + ae * de) / length2))
    pn, pe = an + t * dn, ae + t * de  # from the point to its foot on the segment
    return math.hypot(pn, pe), t, dn * pe - de * pn


def _house_number(street: Street, number: float, i: int, left: float) -> int:
    """The number on the point's side: even west of N-S streets and north of E-W ones."""
    dn = (street.lats[i + 1] - street.lats[i]) * METRES_PER_DEGREE_LAT
    de = (street.lons[i + 1] - street.lons[i]) * METRES_PER_DEGREE_LONG
    en, ee = street.even_side()
    left_is_even = (de * en - dn * ee) > 0  # the left normal, (north, east) = (de, -dn)
    even = (left > 0) == left_is_even
    n = max(street.lo, min(street.hi, int(round(number))))
    if (n % 2 == 0) != even:
        n += 1 if n + 1 <= street.hi else -1
    return max(n, 0)
