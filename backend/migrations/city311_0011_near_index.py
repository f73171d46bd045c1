"""Fills every request's map row and cell and makes the nearby search follow the box: two indexes
replace 0003's (latitude, longitude, …), whose scan walked the whole latitude band across the city.

- (geo_row, longitude, latitude, status, service_type, id): a wide search range-scans the slice of
  its box in each ~278 m row;
- (geo_cell, id, latitude, longitude, status, service_type): a narrow one reads the newest entries
  of each ~278 x 276 m cell, backwards, and stops at a page: a cell's crowd (O'Hare's thousands of
  noise complaints) costs nothing more than a quiet block.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T03:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "near indexes"

# As repo.geo_row and repo.geo_cell compute them for new rows: floor(latitude x 400), and
# row x 100,000 + floor((longitude + 180) x 300). PostgreSQL's CAST rounds, so floor() there;
# SQLite may lack floor() (math functions are a compile option) and its CAST truncates toward
# zero, so one is taken off below zero (longitude + 180 is never negative).
FILL = {
    "postgres": (
        "UPDATE service_request SET geo_row = floor(latitude * 400)::integer, "
        "geo_cell = floor(latitude * 400)::bigint * 100000 + floor((longitude + 180) * 300)::bigint"
    ),
    "sqlite": (
        "UPDATE service_request SET geo_row = CAST(latitude * 400 AS INTEGER) - "
        "(latitude * 400 < CAST(latitude * 400 AS INTEGER))"
    ),
}
SQLITE_CELL = "UPDATE service_request SET geo_cell = geo_row * 100000 + CAST((longitude + 180) * 300 AS INTEGER)"
UP = (
    "CREATE INDEX service_request_near ON service_request "
    "(geo_row, longitude, latitude, status, service_type, id)",
    "CREATE INDEX service_request_cell ON service_request "
    "(geo_cell, id, latitude, longitude, status, service_type)",
    "DROP INDEX service_request_geo",
)
DOWN = (
    "CREATE INDEX service_request_geo ON service_request "
    "(latitude, longitude, status, service_type, id)",
    "DROP INDEX service_request_near",
    "DROP INDEX service_request_cell",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="city311", description=DESCRIPTION)

    async def up():
        engine = engine_finder()
        await engine.run_ddl(FILL[engine.engine_type])
        if engine.engine_type == "sqlite":
            await engine.run_ddl(SQLITE_CELL)
        for statement in UP:
            await engine.run_ddl(statement)

    async def down():
        engine = engine_finder()
        for statement in DOWN:
            await engine.run_ddl(statement)

    manager.add_raw(up)
    manager.add_raw_backwards(down)
    return manager
