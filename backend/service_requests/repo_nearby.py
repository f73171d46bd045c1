"""The nearby search's map: rows and cells of the city that the geo indexes of migration 0011
cover, and which of them a circle touches. Pure arithmetic."""

from __future__ import annotations

import math

from backend.geo.distance import METRES_PER_DEGREE_GREAT_CIRCLE

# The radius search measures a degree as METRES_PER_DEGREE_GREAT_CIRCLE (111,320 m), not the
# geocoder's METRES_PER_DEGREE_LAT (111,130 m), as it always has: a request at the edge of a radius
# stays in or out as before (backend/geo/distance.py says why there are two).
# The nearby search's map (migration 0011 fills existing rows the same way): rows 1/400 degree of
# latitude high (~278 m), cells 1/300 degree of longitude wide (~276 m at Chicago).
GEO_ROWS_PER_DEGREE = 400
GEO_COLS_PER_DEGREE = 300
GEO_CELLS_PER_ROW = 100_000
# Up to this many cells (a radius up to ~800 m), a nearby page is read cell by cell, newest first,
# at most a page from each; a wider search range-scans its box row by row.
MAX_CELLS = 49


def geo_row(latitude: float) -> int:
    return math.floor(latitude * GEO_ROWS_PER_DEGREE)


def geo_cell(latitude: float, longitude: float) -> int:
    return geo_row(latitude) * GEO_CELLS_PER_ROW + math.floor(
        (longitude + 180) * GEO_COLS_PER_DEGREE
    )


def cells_in_circle(lat: float, long: float, radius_m: float, kx: float) -> list[int] | None:
    """The cells of the map that the circle touches (its box's cells, less the corners it
    misses); None when that is more than MAX_CELLS (the box alone says so: near a pole a small
    circle spans every longitude, and is not enumerated cell by cell)."""
    dlat = radius_m / METRES_PER_DEGREE_GREAT_CIRCLE
    dlong = radius_m / kx
    rows = range(geo_row(lat - dlat), geo_row(lat + dlat) + 1)
    first = math.floor((long - dlong + 180) * GEO_COLS_PER_DEGREE)
    last = math.floor((long + dlong + 180) * GEO_COLS_PER_DEGREE)
    if len(rows) * (last - first + 1) > 4 * MAX_CELLS:  # the circle covers >= pi/4 of its box
        return None
    cells = []
    for row in rows:
        south, north = row / GEO_ROWS_PER_DEGREE, (row + 1) / GEO_ROWS_PER_DEGREE
        dy = max(south - lat, 0.0, lat - north) * METRES_PER_DEGREE_GREAT_CIRCLE
        for col in range(first, last + 1):
            west = col / GEO_COLS_PER_DEGREE - 180
            east = (col + 1) / GEO_COLS_PER_DEGREE - 180
            dx = max(west - long, 0.0, long - east) * kx
            if dx * dx + dy * dy <= radius_m * radius_m:
                cells.append(row * GEO_CELLS_PER_ROW + col)
    return cells if len(cells) <= MAX_CELLS else None
