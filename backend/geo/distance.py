"""Metres per degree, named once: the flat-earth distances the geocoder, the landmarks and the
radius search use (a city is small enough that a degree is the same length across it).

Two figures, for two different things:
- METRES_PER_DEGREE_LAT (111,130 m): a degree of latitude (the mean meridian degree; at 41.85° N
  it is 111,070 m, 0.05 % off). METRES_PER_DEGREE_LONG (82,760 m): a degree of longitude at the
  city's latitude (41.85° N for Chicago: 111,130 x cos 41.85°). The geocoder, the address grid and
  the landmarks measure with these.
- METRES_PER_DEGREE_GREAT_CIRCLE (111,320 m): a degree along a great circle on the equatorial
  radius (6,378,137 m x pi / 180). The radius search of the request list (service_requests/repo.py)
  has always used it for latitude, and scaled by cos(latitude) for longitude; it stays so that a
  request at the edge of a radius is in or out as before (a 0.17 % longer degree).
"""

from __future__ import annotations

import math

from backend.city import CITY

METRES_PER_DEGREE_LAT = 111_130.0
METRES_PER_DEGREE_LONG = CITY.metres_per_degree_long
METRES_PER_DEGREE_GREAT_CIRCLE = 111_320.0


def metres_between(lat1: float, long1: float, lat2: float, long2: float) -> float:
    """Metres between two points in the city (flat: good to a fraction of a percent there)."""
    return math.hypot(
        (lat1 - lat2) * METRES_PER_DEGREE_LAT, (long1 - long2) * METRES_PER_DEGREE_LONG
    )
