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
import pytest

from tests.conftest import _PG_ADMIN_URL

pytestmark = pytest.mark.slow  # migrates new databases in a process of their own

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


async def run_in_a_new_database(script: str, tmp_path: Path) -> dict:
    """Runs `script` in a child process on a database of its own; what it printed as RESULT."""
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
            [sys.executable, "-c", script],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        if database:
            admin = await asyncpg.connect(_PG_ADMIN_URL)
            await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            await admin.close()
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


async def test_device_follows_become_subscriptions(tmp_path):
    result = await run_in_a_new_database(SCRIPT, tmp_path)
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


RESTRICT_SCRIPT = """
import asyncio, json, uuid
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.engine import engine_finder

TABLES = ["service_request", "request_event", "photo", "subscription", "idempotency_record",
          "work_order", "audit_event", "notification", "device", "staff_user", "department",
          "service_type"]
CHILDREN = {  # a child of each kind, of request {r}
    "request_event": "INSERT INTO request_event (request, kind, actor, channel) "
                     "VALUES ({r}, 'note', 'staff:1', 'staff')",
    "photo": "INSERT INTO photo (uid, request, width, height, size_bytes) "
             "VALUES ('p{r}', {r}, 10, 10, 100)",
    "subscription": "INSERT INTO subscription (request, kind, target) VALUES ({r}, 'phone', '+1')",
    "idempotency_record": "INSERT INTO idempotency_record (key, fingerprint, request) "
                          "VALUES ('k{r}', 'f', {r})",
    "work_order": "INSERT INTO work_order (request, department, status, assignee) "
                  "VALUES ({r}, {department}, 'assigned', {staff})",
    "audit_event": "INSERT INTO audit_event (actor_kind, kind, request) "
                   "VALUES ('staff', 'note_added', {r})",
    "notification": "INSERT INTO notification (request, event, kind, channel, target, body) "
                    "VALUES ({r}, 1, 'status_changed', 'sms', '+1', 'Done')",
}


async def one(engine, sql):
    return (await engine.run_ddl(sql))[0]["id"]


async def state(engine):
    rows = {t: await engine.run_ddl(f"SELECT * FROM {t} ORDER BY id") for t in TABLES}
    names = ", ".join(f"'{t}'" for t in TABLES)
    indexes = await engine.run_ddl(
        f"SELECT indexname AS name FROM pg_indexes WHERE tablename IN ({names})"
        if engine.engine_type == "postgres" else
        f"SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({names})")
    return json.dumps({"rows": rows, "indexes": sorted(i["name"] for i in indexes)}, default=str)


async def refused(engine, sql):
    try:
        await engine.run_ddl(sql)
    except Exception as exc:
        return type(exc).__name__
    return None


async def main():
    assert (await run_forwards(app_name="city311", migration_id="BEFORE_ID")).success
    engine = engine_finder()
    department = await one(engine, "INSERT INTO department (name, slug) "
                                   "VALUES ('Streets', 'streets') RETURNING id")
    service_type = await one(engine, "INSERT INTO service_type (code, name, department) "
                                     f"VALUES ('PHF', 'Pothole', {department}) RETURNING id")
    device = await one(engine, f"INSERT INTO device (uid, platform) "
                               f"VALUES ('{uuid.uuid4()}', 'ios') RETURNING id")
    staff = await one(engine, "INSERT INTO staff_user (username, password_hash, role) "
                              "VALUES ('crew', 'x', 'department') RETURNING id")

    async def request(n, device="NULL", duplicate_of="NULL"):
        return await one(engine,
            "INSERT INTO service_request (tracking_number, service_type, status, latitude, "
            "longitude, channel, reporter_device, duplicate_of) VALUES "
            f"('SR26-{n:08d}', {service_type}, 'open', 41.9, -87.6, 'app', {device}, "
            f"{duplicate_of}) RETURNING id")

    parents = {}
    for n, (table, sql) in enumerate(CHILDREN.items(), 1):
        parents[table] = await request(n)
        await engine.run_ddl(sql.format(r=parents[table], department=department, staff=staff))
    parents["duplicates"] = await request(20)
    lone = await request(21, device=device, duplicate_of=parents["duplicates"])
    before = await state(engine)
    assert (await run_forwards(app_name="city311", migration_id="RESTRICT_ID")).success
    after = await state(engine)

    attempts = {f"request with {kind}": f"DELETE FROM service_request WHERE id = {r}"
                for kind, r in parents.items()}
    attempts |= {
        "reporter device": f"DELETE FROM device WHERE id = {device}",
        "assignee": f"DELETE FROM staff_user WHERE id = {staff}",
        "department": f"DELETE FROM department WHERE id = {department}",
        "service type": f"DELETE FROM service_type WHERE id = {service_type}",
    }
    refusals = {what: await refused(engine, sql) for what, sql in attempts.items()}
    kept = await state(engine) == after
    # a request nothing refers to can still go, and then its original too
    lone_deleted = await refused(engine, f"DELETE FROM service_request WHERE id = {lone}")
    original_deleted = await refused(
        engine, f"DELETE FROM service_request WHERE id = {parents['duplicates']}")
    print("RESULT", json.dumps({"same": before == after, "kept": kept, "refusals": refusals,
                                "lone_deleted": lone_deleted,
                                "original_deleted": original_deleted,
                                "indexes": len(json.loads(after)["indexes"])}))

asyncio.run(main())
"""


def migration_ids() -> list[str]:
    """Every migration's ID, in the order Piccolo applies them."""
    found = []
    for path in (ROOT / "backend" / "migrations").glob("city311_*.py"):
        for line in path.read_text().splitlines():
            if line.startswith("ID = "):
                found.append(line.split('"')[1])
    return sorted(found)


async def test_deletes_are_refused_after_0025_and_rows_and_indexes_kept(tmp_path):
    from backend.migrations.city311_0025_restrict_deletes import ID

    ids = migration_ids()
    before = ids[ids.index(ID) - 1]
    script = RESTRICT_SCRIPT.replace("BEFORE_ID", before).replace("RESTRICT_ID", ID)
    result = await run_in_a_new_database(script, tmp_path)
    assert result["same"], "the rows or indexes changed in the migration"
    assert result["indexes"] > 30
    refused = {"IntegrityError", "ForeignKeyViolationError"}  # SQLite, PostgreSQL
    assert {what: name in refused for what, name in result["refusals"].items()} == {
        what: True for what in result["refusals"]
    }, result["refusals"]
    assert len(result["refusals"]) == 12
    assert result["kept"], "a refused delete changed something"
    assert result["lone_deleted"] is None and result["original_deleted"] is None
