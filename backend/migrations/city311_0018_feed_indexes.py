"""Indexes for reading requests by date (Open311's date windows and incremental sync, oldest first)
and for department queues.

- (created_at, id): a `start_date`/`end_date` window is one range of it, already in page order;
- (updated_at, id): the same for `updated_after`/`updated_before`;
- (service_type, created_at, id, status): one type's window in page order, its status read from the
  index (the spine had only (service_type) and a date window scanned 900,000 rows of 1,000,000);
- work_order (department, status, id): a department's queue, oldest first.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T06:17:31:000000"
VERSION = "1.38.0"
DESCRIPTION = "feed and queue indexes"

UP = (
    "CREATE INDEX service_request_created ON service_request (created_at, id)",
    "CREATE INDEX service_request_updated ON service_request (updated_at, id)",
    "CREATE INDEX service_request_type_created ON service_request "
    "(service_type, created_at, id, status)",
    "CREATE INDEX work_order_queue ON work_order (department, status, id)",
)
DOWN = (
    "DROP INDEX service_request_created",
    "DROP INDEX service_request_updated",
    "DROP INDEX service_request_type_created",
    "DROP INDEX work_order_queue",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="city311", description=DESCRIPTION)

    async def up():
        engine = engine_finder()
        for statement in UP:
            await engine.run_ddl(statement)

    async def down():
        engine = engine_finder()
        for statement in DOWN:
            await engine.run_ddl(statement)

    manager.add_raw(up)
    manager.add_raw_backwards(down)
    return manager
