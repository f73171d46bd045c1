"""The outbox's uniqueness: one notification per change, channel and recipient (never twice), and
the dispatcher's scan of due rows."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T03:35:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "outbox keys"

UP = [
    "CREATE UNIQUE INDEX notification_event_channel_target_uq ON notification "
    "(event, channel, target)",
    "CREATE INDEX notification_due ON notification (status, next_attempt_at)",
]
DOWN = ["DROP INDEX notification_event_channel_target_uq", "DROP INDEX notification_due"]


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
