"""A covering index for "what is already reported near me": the bounding box, status and type."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-28T20:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "geo index"

# Piccolo tables declare single-column indexes only; this composite one is raw DDL, the same on
# both engines. The nearby query range-scans latitude and checks the rest inside the index.
# `id` last makes it covering on PostgreSQL too (index-only scan); SQLite has the rowid anyway.
UP = (
    "CREATE INDEX service_request_geo ON service_request "
    "(latitude, longitude, status, service_type, id)"
)
DOWN = "DROP INDEX service_request_geo"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="city311", description=DESCRIPTION)

    async def up():
        await engine_finder().run_ddl(UP)

    async def down():
        await engine_finder().run_ddl(DOWN)

    manager.add_raw(up)
    manager.add_raw_backwards(down)
    return manager
