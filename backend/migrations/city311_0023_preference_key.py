"""One preference row per follower: unique (kind, target), so a change is an upsert."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T07:38:53:000000"
VERSION = "1.38.0"
DESCRIPTION = "notify preference key"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="city311", description=DESCRIPTION)

    async def up():
        await engine_finder().run_ddl(
            "CREATE UNIQUE INDEX notify_preference_kind_target_uq ON notify_preference "
            "(kind, target)"
        )

    async def down():
        await engine_finder().run_ddl("DROP INDEX notify_preference_kind_target_uq")

    manager.add_raw(up)
    manager.add_raw_backwards(down)
    return manager
