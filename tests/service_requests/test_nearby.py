"""The nearby search on both engines gives exactly what a brute-force distance check gives: through
its narrow path (cell by cell, a page from each) and its wide one (row slices of the box), with a
crowded spot holding more than a page, filters, and pages followed to the end."""

from __future__ import annotations

import math
import random

import pytest

from backend.geo.distance import METRES_PER_DEGREE_GREAT_CIRCLE as METRES_PER_DEGREE_LAT
from backend.service_requests.models import ListFilters, SubmitCommand
from backend.service_requests.repo_nearby import MAX_CELLS, cells_in_circle
from tests.factories import WICKER_PARK
from tests.processes import ceiling

CENTRE = WICKER_PARK
TYPES: list[tuple[str, dict[str, object]]] = [
    ("SGA", {"WHERE_SEEN": "alley"}),
    ("GRAF", {"SURFACE": "brick_painted", "LOCATION": "front", "OFFENSIVE": "no"}),
    ("PHF", {"LOCATION": "curb_lane"}),
]


def _metres(lat: float, long: float) -> float:
    ky, kx = METRES_PER_DEGREE_LAT, METRES_PER_DEGREE_LAT * math.cos(math.radians(CENTRE[0]))
    return math.hypot((lat - CENTRE[0]) * ky, (long - CENTRE[1]) * kx)


async def _everything(services, **filters) -> list[str]:
    found, before = [], None
    while True:
        page = await services.requests.search(
            ListFilters(near=CENTRE, before_id=before, limit=7, **filters)
        )
        found += [item.tracking_number for item in page.items]
        if page.next_before_id is None:
            return found
        before = page.next_before_id


@pytest.fixture
async def scattered(services):
    """~130 requests: 40 piled within 20 m of one corner (a crowd bigger than any page) and the
    rest spread over 3 km, each with its type and distance from CENTRE."""
    rng = random.Random(7)
    made = []
    crowd = (CENTRE[0] + 0.0011, CENTRE[1] - 0.0009)  # ~150 m away
    points = [
        (crowd[0] + rng.uniform(-1.5e-4, 1.5e-4), crowd[1] + rng.uniform(-1.5e-4, 1.5e-4))
        for _ in range(40)
    ]
    points += [
        (CENTRE[0] + rng.uniform(-0.027, 0.027), CENTRE[1] + rng.uniform(-0.036, 0.036))
        for _ in range(90)
    ]
    for lat, long in points:
        code, answers = rng.choice(TYPES)
        result = await services.requests.submit(
            SubmitCommand(service_code=code, channel="app", lat=lat, long=long, answers=answers)
        )
        made.append((result.request.id, result.request.tracking_number, code, _metres(lat, long)))
    return made


@pytest.mark.parametrize("radius", [40, 180, 500, 800, 2500])
async def test_nearby_equals_brute_force(services, scattered, radius):
    expected = [tn for id_, tn, _, d in sorted(scattered, reverse=True) if d <= radius]
    assert await _everything(services, radius_m=float(radius)) == expected


@pytest.mark.parametrize("radius", [180, 2500])
async def test_nearby_with_a_type_filter(services, scattered, radius):
    type_id = services.requests.catalog.by_code("GRAF").id
    expected = [
        tn for id_, tn, code, d in sorted(scattered, reverse=True) if d <= radius and code == "GRAF"
    ]
    assert await _everything(services, radius_m=float(radius), service_type_id=type_id) == expected


def test_narrow_and_wide_paths_are_both_exercised():
    kx = METRES_PER_DEGREE_LAT * math.cos(math.radians(CENTRE[0]))
    narrow = cells_in_circle(*CENTRE, 800, kx)
    assert narrow is not None and len(narrow) <= MAX_CELLS
    assert cells_in_circle(*CENTRE, 2500, kx) is None
    # A circle touches every cell holding a point within it, corners it misses are left out.
    small = cells_in_circle(*CENTRE, 500, kx)
    assert small is not None and len(small) < 5 * 5


@pytest.mark.parametrize("near", ["-90,-90", "90,180", "89.9999,0"])
async def test_near_a_pole_is_answered_at_once(client, near):
    """A circle near a pole spans every longitude: counted, not enumerated (the fuzzer's 20 s
    timeout on near=-90,-90&radius=2021)."""
    import time

    started = time.monotonic()
    response = await client.get("/api/v1/requests", params={"near": near, "radius": 10000})
    assert response.status_code == 200 and response.json()["items"] == []
    assert time.monotonic() - started < ceiling(10)  # enumerated, it took 20 s
