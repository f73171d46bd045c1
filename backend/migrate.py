"""Applies the Piccolo migrations (the only way the schema is built) and tunes SQLite for sharing."""

from __future__ import annotations

import sqlite3

from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.engine import engine_finder

from backend.db import is_sqlite


async def migrate() -> None:
    engine = engine_finder()
    if is_sqlite(engine):
        # WAL lets the kept-open reader and the writers (web process, worker) work side by side;
        # the setting is stored in the database file.
        with sqlite3.connect(engine.path) as conn:
            conn.execute("PRAGMA journal_mode = WAL")
    result = await run_forwards(app_name="city311", migration_id="all")
    if not result.success:
        raise SystemExit(f"migration failed: {result.message}")
