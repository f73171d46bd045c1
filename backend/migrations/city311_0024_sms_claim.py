"""An inbound SMS is claimed by the delivery that answers it: who holds it and until when
(sms_message.claimed_by, claimed_until); other deliveries of the same MessageSid wait for its reply."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-29T08:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "sms message claim"


def _params(**extra):
    return {
        "default": None,
        "null": True,
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
        **extra,
    }


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="city311", description=DESCRIPTION)
    manager.add_column(
        table_class_name="SmsMessage",
        tablename="sms_message",
        column_name="claimed_by",
        db_column_name="claimed_by",
        column_class_name="Varchar",
        column_class=Varchar,
        params=_params(length=32),
        schema=None,
    )
    manager.add_column(
        table_class_name="SmsMessage",
        tablename="sms_message",
        column_name="claimed_until",
        db_column_name="claimed_until",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params=_params(),
        schema=None,
    )
    return manager
