"""Database engines: the Piccolo engine for writes and a persistent raw-driver reader for hot reads.

Piccolo's SQLite engine opens a new connection for every query and its PostgreSQL engine without a
pool does the same; on the public status lookup that costs most of the throughput. Hot read queries
therefore go through `Reader`, which keeps one sqlite3 connection (WAL lets it read while Piccolo
writes) or borrows from the asyncpg pool that Piccolo's PostgreSQL engine owns.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType, dict_factory

SQLITE_TIMEOUT_S = 30.0


class City311SQLiteEngine(SQLiteEngine):
    """SQLite with a busy timeout and `synchronous=NORMAL` (safe under WAL, which `migrate` turns on)."""

    async def get_connection(self):
        connection = await super().get_connection()
        await connection.execute("PRAGMA synchronous = NORMAL")
        return connection


def make_engine(database_url: str | None, data_dir: Path) -> Engine:
    if database_url:
        return PostgresEngine(config={"dsn": database_url})
    data_dir.mkdir(parents=True, exist_ok=True)
    return City311SQLiteEngine(path=str(data_dir / "city311.sqlite"), timeout=SQLITE_TIMEOUT_S)


def is_sqlite(engine: Engine) -> bool:
    return engine.engine_type == "sqlite"


_NUMBERED = re.compile(r"\$(\d+)")


class Reader:
    """Runs read-only SQL (written with $1, $2… placeholders) on a kept-open connection."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sqlite = is_sqlite(engine)
        self._conn: sqlite3.Connection | None = None
        self._owns_pool = False
        self._sql_cache: dict[str, str] = {}

    async def open(self) -> None:
        if self.sqlite:
            assert isinstance(self.engine, SQLiteEngine)
            self._conn = sqlite3.connect(
                self.engine.path,
                detect_types=sqlite3.PARSE_DECLTYPES,
                isolation_level=None,
                check_same_thread=False,
                timeout=SQLITE_TIMEOUT_S,
            )
            self._conn.row_factory = dict_factory
            self._conn.execute("PRAGMA query_only = 1")
        elif isinstance(self.engine, PostgresEngine) and self.engine.pool is None:
            # Piccolo's queries use this pool too once it runs.
            await self.engine.start_connection_pool(min_size=2, max_size=20)
            self._owns_pool = True

    async def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        elif self._owns_pool and isinstance(self.engine, PostgresEngine):
            await self.engine.close_connection_pool()
            self._owns_pool = False

    def _sqlite_sql(self, sql: str) -> str:
        converted = self._sql_cache.get(sql)
        if converted is None:
            converted = self._sql_cache[sql] = _NUMBERED.sub(r"?\1", sql)
        return converted

    async def fetch(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        if self.sqlite:
            if self._conn is None:
                await self.open()
            assert self._conn is not None
            # An indexed lookup on a local file takes microseconds: cheaper than a thread hop.
            return self._conn.execute(self._sqlite_sql(sql), args).fetchall()
        assert isinstance(self.engine, PostgresEngine)
        if self.engine.pool is None:
            await self.open()
        async with self.engine.pool.acquire() as conn:
            return [dict(r) for r in await conn.fetch(sql, *args)]

    async def fetchrow(self, sql: str, *args: Any) -> dict[str, Any] | None:
        rows = await self.fetch(sql, *args)
        return rows[0] if rows else None


class Writer:
    """Opens write transactions: IMMEDIATE and one at a time per process on SQLite.

    SQLite allows one writer; letting many coroutines race for the lock makes the losers sleep in
    the busy handler's back-off, so in-process writers queue on an asyncio lock instead and the
    busy timeout only arbitrates between processes (web and worker).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sqlite = is_sqlite(engine)
        self._lock: asyncio.Lock | None = None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        if not self.sqlite:
            async with self.engine.transaction():
                yield
            return
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            async with self.engine.transaction(transaction_type=TransactionType.immediate):
                yield


def is_unique_violation(exc: BaseException) -> bool:
    return isinstance(exc, (sqlite3.IntegrityError, asyncpg.exceptions.UniqueViolationError))
