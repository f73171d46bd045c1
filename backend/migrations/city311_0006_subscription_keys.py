"""Subscriptions: the unique key, the "what does this device follow" index, device follows copied in.

Piccolo runs a migration's raw steps before its table steps, so these come in a migration of their
own, after 0005 made the table and before 0007 drops `follower`.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T00:31:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "subscription keys and data"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="city311", description=DESCRIPTION)

    # One row per (request, kind, target), enforced by the database, so concurrent follows insert
    # ON CONFLICT DO NOTHING; and "what does this device follow" by (kind, target).
    up = [
        "CREATE UNIQUE INDEX subscription_request_kind_target_uq "
        "ON subscription (request, kind, target)",
        "CREATE INDEX subscription_kind_target ON subscription (kind, target, request)",
        "INSERT INTO subscription (request, kind, target, language, created_at) "
        "SELECT request, 'device', CAST(device AS VARCHAR(255)), 'en', created_at FROM follower",
    ]
    down = ["DROP INDEX subscription_kind_target", "DROP INDEX subscription_request_kind_target_uq"]

    async def raw_up():
        for sql in up:
            await engine_finder().run_ddl(sql)

    async def raw_down():
        for sql in down:
            await engine_finder().run_ddl(sql)

    manager.add_raw(raw_up)
    manager.add_raw_backwards(raw_down)
    return manager
