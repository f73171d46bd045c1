"""Follows now live in `subscription` (0005, 0006): the old device-only table goes."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-29T00:31:07:948886"
VERSION = "1.38.0"
DESCRIPTION = "drop follower"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="city311", description=DESCRIPTION)

    manager.drop_table(class_name="Follower", tablename="follower", schema=None)

    return manager
