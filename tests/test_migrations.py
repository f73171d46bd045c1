"""Migrations carry data forward: follows made before the subscription table become subscriptions,
and requests made before the area columns get their ward, district and beat.

Runs the migrations up to 0004 in a database of its own (a child process, since Piccolo's engine
is fixed per process), writes a request and a device follow the old way, then runs the rest.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import asyncpg

from tests.conftest import _PG_ADMIN_URL

ROOT = Path(__file__).resolve().parent.parent
BEFORE_SUBSCRIPTIONS = "2026-11-29T00:20:02:208239"  # city311_0004

SCRIPT = f"""
import asyncio, json
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.engine import engine_finder

async def main():
    assert (await run_forwards(app_name="city311", migration_id="{BEFORE_SUBSCRIPTIONS}")).success
    engine = engine_finder()
    # The tables as they were then (the classes now have later columns): plain SQL.
    await engine.run_ddl("INSERT INTO department (name, slug) VALUES ('Streets', 'streets')")
    await engine.run_ddl(
        "INSERT INTO service_type (code, name, description, group_name, department, popularity, "
        "active) SELECT 'PHF', 'Pothole in Street', '', 'Streets', id, 0, true FROM department")
    st = (await engine.run_ddl("SELECT id FROM service_type"))[0]["id"]
    await engine.run_ddl(
        "INSERT INTO device (uid, platform, created_at) VALUES "
        "('{uuid.uuid4()}', 'ios', '2026-11-01 12:00:00+00:00')")
    device = (await engine.run_ddl("SELECT id FROM device"))[0]["id"]
    await engine.run_ddl(
        "INSERT INTO service_request (tracking_number, service_type, status, description, "
        "latitude, longitude, answers, channel, created_at, updated_at) VALUES "
        f"('SR26-00000001', {{st}}, 'submitted', '', 41.9097, -87.6776, '{{{{}}}}', 'app', "
        "'2026-11-01 12:00:00+00:00', '2026-11-01 12:00:00+00:00')")
    request = (await engine.run_ddl("SELECT id FROM service_request"))[0]["id"]
    await engine.run_ddl(
        f"INSERT INTO follower (request, device, created_at) VALUES ({{request}}, {{device}}, "
        "'2026-11-01 12:00:00+00:00')")
    assert (await run_forwards(app_name="city311", migration_id="all")).success
    rows = await engine.run_ddl("SELECT request, kind, target, language FROM subscription")
    areas = await engine.run_ddl("SELECT ward, police_district, police_beat, geo_row, geo_cell FROM service_request")
    tables = await engine.run_ddl(
        "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'follower'"
        if engine.engine_type == "postgres" else
        "SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'follower'")
    print("RESULT", json.dumps({{"rows": [dict(r) for r in rows], "device": device,
                                  "request": request, "follower_tables": tables[0]["n"],
                                  "areas": dict(areas[0])}}))

asyncio.run(main())
"""


async def test_device_follows_become_subscriptions(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CITY311_DATA_DIR"] = str(tmp_path)
    database = None
    if _PG_ADMIN_URL:
        database = f"city311_migration_{uuid.uuid4().hex[:10]}"
        admin = await asyncpg.connect(_PG_ADMIN_URL)
        await admin.execute(f'CREATE DATABASE "{database}"')
        await admin.close()
        env["DATABASE_URL"] = _PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{database}"
    try:
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        if database:
            admin = await asyncpg.connect(_PG_ADMIN_URL)
            await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            await admin.close()
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    assert result["rows"] == [
        {
            "request": result["request"],
            "kind": "device",
            "target": str(result["device"]),
            "language": "en",
        }
    ]
    assert result["follower_tables"] == 0
    # 0009 filled the areas of the request made before 0008 (Wicker Park).
    # 0011 put it in its nearby search's row and cell, as the repo does for new rows.
    assert result["areas"] == {
        "ward": 1,
        "police_district": 14,
        "police_beat": "1424",
        "geo_row": 16763,
        "geo_cell": 16763 * 100_000 + 27696,
    }
