"""Composite uniqueness (one question code per type, one follow per device and request)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-28T20:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique pairs"

# SQLite cannot ALTER TABLE ... ADD CONSTRAINT, so composite uniqueness is a unique index, which
# both engines build the same way (and which Piccolo's table diff does not track).
UP = [
    "CREATE UNIQUE INDEX service_question_type_code_uq ON service_question (service_type, code)",
    "CREATE UNIQUE INDEX follower_request_device_uq ON follower (request, device)",
]
DOWN = [
    "DROP INDEX service_question_type_code_uq",
    "DROP INDEX follower_request_device_uq",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="city311", description=DESCRIPTION)

    async def up():
        for ddl in UP:
            await engine_finder().run_ddl(ddl)

    async def down():
        for ddl in DOWN:
            await engine_finder().run_ddl(ddl)

    manager.add_raw(up)
    manager.add_raw_backwards(down)
    return manager
