"""Nothing that tells of a request is deleted with what it refers to: every foreign key of a request
(its type, reporter device, the request it duplicates) and of its children (history events,
photos, followers, idempotency keys, work orders and their department and assignee, audit rows,
notifications) refuses the delete (ON DELETE RESTRICT) instead of cascading or clearing.

PostgreSQL: Piccolo drops and re-adds each constraint. SQLite cannot change a constraint, so each
table is rebuilt by SQLite's own procedure (https://sqlite.org/lang_altertable.html#otheralter):
foreign keys off, one transaction, a copy made from the stored CREATE TABLE with the new action,
the rows copied, the old table dropped, the copy renamed, its indexes made again, then
`PRAGMA foreign_key_check` before the commit."""

from __future__ import annotations

import re
import sqlite3

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import ForeignKey
from piccolo.engine import engine_finder

ID = "2026-12-07T17:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "restrict deletes"

# (class, table, column, the action before)
FOREIGN_KEYS = [
    ("ServiceRequest", "service_request", "service_type", OnDelete.cascade),
    ("ServiceRequest", "service_request", "reporter_device", OnDelete.cascade),
    ("ServiceRequest", "service_request", "duplicate_of", OnDelete.set_null),
    ("RequestEvent", "request_event", "request", OnDelete.cascade),
    ("Photo", "photo", "request", OnDelete.cascade),
    ("Subscription", "subscription", "request", OnDelete.cascade),
    ("IdempotencyRecord", "idempotency_record", "request", OnDelete.cascade),
    ("WorkOrder", "work_order", "request", OnDelete.cascade),
    ("WorkOrder", "work_order", "department", OnDelete.cascade),
    ("WorkOrder", "work_order", "assignee", OnDelete.cascade),
    ("AuditEvent", "audit_event", "request", OnDelete.cascade),
    ("Notification", "notification", "request", OnDelete.cascade),
]


def _with_action(create: str, column: str, action: str) -> str:
    """The CREATE TABLE statement with `column`'s ON DELETE action replaced."""
    clause = re.compile(
        rf'("{column}" INTEGER REFERENCES "\w+" \("id"\) ON DELETE )'
        r"(CASCADE|SET NULL|SET DEFAULT|RESTRICT|NO ACTION)"
    )
    changed, found = clause.subn(lambda m: m.group(1) + action, create)
    if found != 1:
        raise RuntimeError(f"no foreign key {column} in {create}")
    return changed


def rebuild_sqlite(path: str, actions: dict[tuple[str, str], str]) -> None:
    """Rebuilds each table named in `actions` ((table, column) -> ON DELETE action), keeping its
    rows and indexes; all of it or nothing."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")  # only outside a transaction
        conn.execute("BEGIN IMMEDIATE")
        try:
            for table in dict.fromkeys(t for t, _ in actions):
                (create,) = conn.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
                ).fetchone()
                for (of, column), action in actions.items():
                    if of == table:
                        create = _with_action(create, column, action)
                indexes = [
                    sql
                    for (sql,) in conn.execute(
                        "SELECT sql FROM sqlite_master WHERE tbl_name = ? "
                        "AND type IN ('index', 'trigger') AND sql IS NOT NULL",
                        (table,),
                    )
                ]
                copy = f"{table}_rebuilt"
                head = f'CREATE TABLE "{table}" ('
                if not create.startswith(head):
                    raise RuntimeError(f"unexpected definition of {table}: {create[:80]}")
                conn.execute(f'CREATE TABLE "{copy}" (' + create[len(head) :])
                conn.execute(f'INSERT INTO "{copy}" SELECT * FROM "{table}"')
                conn.execute(f'DROP TABLE "{table}"')
                conn.execute(f'ALTER TABLE "{copy}" RENAME TO "{table}"')
                for sql in indexes:
                    conn.execute(sql)
            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"foreign keys broken by the rebuild: {broken[:5]}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    finally:
        conn.close()


class _Manager(MigrationManager):
    """On SQLite the raw step has rebuilt the tables: Piccolo's ALTER (PostgreSQL only) is skipped;
    the alter_column entries still tell Piccolo's schema snapshot what changed."""

    async def _run_alter_columns(self, backwards: bool = False) -> None:
        if engine_finder().engine_type != "sqlite":
            await super()._run_alter_columns(backwards=backwards)


async def forwards():
    engine = engine_finder()
    sqlite = engine.engine_type == "sqlite"
    manager = _Manager(
        migration_id=ID,
        app_name="city311",
        description=DESCRIPTION,
        wrap_in_transaction=not sqlite,  # SQLite's PRAGMA foreign_keys must come before it
    )
    for class_name, table, column, before in FOREIGN_KEYS:
        manager.alter_column(
            table_class_name=class_name,
            tablename=table,
            column_name=column,
            db_column_name=column,
            params={"on_delete": OnDelete.restrict, "on_update": OnUpdate.cascade},
            old_params={"on_delete": before, "on_update": OnUpdate.cascade},
            column_class=ForeignKey,
            old_column_class=ForeignKey,
            schema=None,
        )
    if sqlite:
        path = engine.path
        manager.add_raw(
            lambda: rebuild_sqlite(path, {(t, c): "RESTRICT" for _, t, c, _ in FOREIGN_KEYS})
        )
        manager.add_raw_backwards(
            lambda: rebuild_sqlite(path, {(t, c): b.value for _, t, c, b in FOREIGN_KEYS})
        )
    return manager
