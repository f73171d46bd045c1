"""Applies the Piccolo migrations (the only way the schema is built) and tunes SQLite for sharing."""

from __future__ import annotations

import contextlib
import io
import sqlite3
import sys
from pathlib import Path
from urllib.parse import urlsplit

from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.apps.migrations.tables import Migration
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

from backend.db import AnyEngine, is_sqlite, sqlite_path

APP = "city311"


def describe(engine: AnyEngine) -> str:
    """Which database, without any password: a SQLite path, or PostgreSQL's database and host."""
    if is_sqlite(engine):
        path = Path(sqlite_path(engine)).resolve()
        return str(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)
    config = engine.config if isinstance(engine, PostgresEngine) else {}
    dsn = urlsplit(str(config.get("dsn", "")))
    return f"PostgreSQL database {dsn.path.lstrip('/')} on {dsn.hostname}:{dsn.port or 5432}"


async def _applied() -> int:
    await Migration.create_table(if_not_exists=True)
    count: int = await Migration.count().where(Migration.app_name == APP)
    return count


async def migrate() -> str:
    """Runs the migrations not yet run; returns one line saying what was done. Piccolo's own
    account (a line per migration) is shown only when something fails."""
    engine = engine_finder()
    assert engine is not None, "piccolo_conf.DB is not configured"
    if is_sqlite(engine):
        # WAL lets the kept-open reader and the writers (web process, worker) work side by side;
        # the setting is stored in the database file.
        with sqlite3.connect(sqlite_path(engine)) as conn:
            conn.execute("PRAGMA journal_mode = WAL")
    piccolo_says = io.StringIO()
    try:
        with contextlib.redirect_stdout(piccolo_says):
            before = await _applied()
            result = await run_forwards(app_name=APP, migration_id="all")
            after = await _applied()
    except BaseException:
        sys.stderr.write(piccolo_says.getvalue())
        raise
    if not result.success:
        raise SystemExit(f"migration failed: {result.message}\n{piccolo_says.getvalue()}")
    where = describe(engine)
    if after == before:
        return f"{where}: up to date ({after} migrations)"
    return f"{where}: {after - before} migrations applied, up to date"
