"""`city311 seed --demo`: the demo rows are sound; seeding goes through the write path, once."""

from __future__ import annotations

import csv

from backend.catalog.loader import SERVICE_TYPES_CSV
from backend.demo import DEMO_CSV, DEMO_PASSWORD, DEMO_STAFF, seed_demo
from backend.geo.city import city_map
from backend.service_requests.tables import ServiceRequest
from backend.service_requests.workflow import is_open

COLUMNS = [
    "sr_short_code",
    "status",
    "created_date",
    "closed_date",
    "street_address",
    "latitude",
    "longitude",
    "origin",
]


def test_demo_rows_are_real_active_types_inside_chicago():
    with SERVICE_TYPES_CSV.open(newline="", encoding="utf-8") as f:
        active = {r["code"] for r in csv.DictReader(f) if r["active"] == "true"}
    with DEMO_CSV.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    assert reader.fieldnames == COLUMNS
    assert len(rows) >= 300
    assert {r["sr_short_code"] for r in rows} <= active
    assert len({r["sr_short_code"] for r in rows}) >= 20
    city = city_map()
    assert all(city.contains(float(r["latitude"]), float(r["longitude"])) for r in rows)
    assert {r["status"] for r in rows} <= {"Open", "Completed", "Completed - Dup", "Canceled"}


async def test_seed_demo_once(db, settings):
    counts = await seed_demo(settings, count=40)
    assert counts["created"] >= 35, counts
    assert counts["staff"] == len(DEMO_STAFF)

    rows = await ServiceRequest.select(
        ServiceRequest.status,
        ServiceRequest.channel,
        ServiceRequest.community_area,
        ServiceRequest.closed_at,
        ServiceRequest.tracking_number,
    )
    assert len(rows) == counts["created"]
    assert all(r["channel"] == "demo" for r in rows)
    assert all(r["community_area"] is not None for r in rows)
    open_rows = [r for r in rows if is_open(r["status"])]
    closed_rows = [r for r in rows if not is_open(r["status"])]
    assert open_rows and closed_rows, counts
    assert all(r["closed_at"] is not None for r in closed_rows)
    assert len({r["status"] for r in rows}) >= 3

    again = await seed_demo(settings, count=40)
    assert again == {"created": 0, "skipped": len(rows)}
    assert await ServiceRequest.count() == len(rows)


async def test_the_demo_staff_log_in_with_their_roles(db, settings, services):
    await seed_demo(settings, count=5)
    users = {u.username: u for u in await services.staff.list_users()}
    for username, role, departments in DEMO_STAFF:
        assert users[username].role == role
        assert list(users[username].departments) == departments
        assert (await services.staff.authenticate(username, DEMO_PASSWORD)).role == role
