"""The outbox keeps each follower's updates of a request in order: an index of the rows still to
be sent, by request and follower, read by the dispatcher's claim (no later row before an earlier
one) and by a newer update superseding the ones it makes stale."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-08T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "outbox order"

# Partial: only rows not yet sent (a few at any time, of millions). The claim's subquery repeats
# its WHERE word for word, so SQLite uses it too.
UP = [
    "CREATE INDEX notification_unsent ON notification (request, channel, target) "
    "WHERE status IN ('pending', 'sending')",
]
DOWN = ["DROP INDEX notification_unsent"]


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
