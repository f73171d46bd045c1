"""A request records the language it was made in, from every channel: the phone intake's
`intake_language` becomes `language`. Requests texted before it get their conversation's language
(their reporter's phone subscription's, else the conversation's); the others stay unknown."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-08T10:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "request language"

# Runs before the rename (Piccolo runs a migration's raw steps first): the old column's name.
FILL_TEXTED = (
    "UPDATE service_request SET intake_language = COALESCE("
    "(SELECT s.language FROM subscription s WHERE s.request = service_request.id "
    "AND s.kind = 'phone' AND s.target = service_request.reporter_phone ORDER BY s.id LIMIT 1), "
    "(SELECT c.language FROM sms_conversation c WHERE c.phone = service_request.reporter_phone)) "
    "WHERE channel = 'sms' AND intake_language IS NULL"
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="city311", description=DESCRIPTION)

    async def fill():
        await engine_finder().run_ddl(FILL_TEXTED)

    manager.add_raw(fill)
    manager.rename_column(
        table_class_name="ServiceRequest",
        tablename="service_request",
        old_column_name="intake_language",
        new_column_name="language",
        old_db_column_name="intake_language",
        new_db_column_name="language",
        schema=None,
    )
    return manager
