"""A department's open work orders, oldest first, from one range of a partial index.

(department, status, id) of 0018 serves a queue of one status; the default queue (new, assigned and
in progress together) would merge three ranges and sort them. This index holds only work orders not
done, in the queue's order: the first page reads its 50 entries and stops.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T06:17:32:000000"
VERSION = "1.38.0"
DESCRIPTION = "open work orders index"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="city311", description=DESCRIPTION)

    async def up():
        await engine_finder().run_ddl(
            "CREATE INDEX work_order_open ON work_order (department, id) WHERE status <> 'done'"
        )

    async def down():
        await engine_finder().run_ddl("DROP INDEX work_order_open")

    manager.add_raw(up)
    manager.add_raw_backwards(down)
    return manager
