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
import threading
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, overload

import asyncpg
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import (
    SQLiteEngine,
    SQLiteTransaction,
    TransactionType,
    dict_factory,
)

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


async def _keep_session(connection: asyncpg.Connection) -> None:
    """Skip asyncpg's reset round trip (UNLISTEN, RESET ALL…) on every release to the pool: no code
    here changes session state, and transactions always end in COMMIT or ROLLBACK."""


_NUMBERED = re.compile(r"\$(\d+)")


class Reader:
    """Runs read-only SQL (written with $1, $2… placeholders) on a kept-open connection."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sqlite = is_sqlite(engine)
        self._conn: sqlite3.Connection | None = None
        self._owns_pool = False
        self._sql_cache: dict[str, str] = {}
        # Scans (the nearby search) run on their own thread and connection: sqlite3 releases the
        # GIL while it steps, so they use the second core instead of stalling the event loop.
        self._scanner: ThreadPoolExecutor | None = None
        self._scan_conn = threading.local()

    def _connect(self) -> sqlite3.Connection:
        assert isinstance(self.engine, SQLiteEngine)
        # No detect_types: the repo parses the few timestamps itself, cheaper than the converters
        # Piccolo registers. Memory-mapped reads skip a system call per page.
        conn = sqlite3.connect(
            self.engine.path,
            isolation_level=None,
            check_same_thread=False,
            timeout=SQLITE_TIMEOUT_S,
        )
        conn.row_factory = dict_factory
        conn.execute("PRAGMA query_only = 1")
        conn.execute("PRAGMA mmap_size = 268435456")
        conn.execute("PRAGMA cache_size = -32768")
        return conn

    async def open(self) -> None:
        if self.sqlite:
            self._conn = self._connect()
            self._scanner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-scan")
        elif isinstance(self.engine, PostgresEngine) and self.engine.pool is None:
            # Piccolo's queries use this pool too once it runs.
            await self.engine.start_connection_pool(min_size=2, max_size=32, reset=_keep_session)
            self._owns_pool = True

    async def close(self) -> None:
        if self._scanner is not None:
            self._scanner.submit(self._close_scan_connection).result()
            self._scanner.shutdown()
            self._scanner = None
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
        transaction = self.engine.current_transaction.get()
        if transaction is not None:
            # Inside a write transaction, read through it: rows it wrote are visible, and a
            # service called inside another's transaction sees what that one did.
            return await self._fetch_in(transaction, sql, args)
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

    async def _fetch_in(self, transaction: Any, sql: str, args: tuple) -> list[dict[str, Any]]:
        connection = transaction.connection
        if isinstance(connection, _InlineConnection):
            return connection.fetchall(self._sqlite_sql(sql), args)
        if isinstance(connection, asyncpg.Connection):
            return [dict(r) for r in await connection.fetch(sql, *args)]
        raise TypeError(
            f"cannot read through a {type(connection).__name__}; open write "
            "transactions with Writer.transaction()"
        )

    async def fetchrow(self, sql: str, *args: Any) -> dict[str, Any] | None:
        rows = await self.fetch(sql, *args)
        return rows[0] if rows else None

    async def scan(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        """Like fetch, for queries that may read thousands of index entries."""
        if not self.sqlite or self.engine.current_transaction.get() is not None:
            return await self.fetch(sql, *args)
        if self._scanner is None:
            await self.open()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._scanner, self._scan, self._sqlite_sql(sql), args)

    def _scan(self, sql: str, args: tuple) -> list[dict[str, Any]]:
        conn = getattr(self._scan_conn, "conn", None)
        if conn is None:
            conn = self._scan_conn.conn = self._connect()
        return conn.execute(sql, args).fetchall()

    def _close_scan_connection(self) -> None:
        conn = getattr(self._scan_conn, "conn", None)
        if conn is not None:
            conn.close()
            self._scan_conn.conn = None


class _Cursor:
    """The slice of aiosqlite's cursor API that Piccolo uses, answered synchronously."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    async def fetchall(self) -> list:
        return self._cursor.fetchall()

    async def fetchone(self):
        return self._cursor.fetchone()

    async def close(self) -> None:
        self._cursor.close()


class _Result:
    """What `connection.execute()` returns in aiosqlite: awaitable, and an async context manager."""

    def __init__(self, cursor: _Cursor) -> None:
        self._cursor = cursor

    def __await__(self):
        return self._get().__await__()

    async def _get(self) -> _Cursor:
        return self._cursor

    async def __aenter__(self) -> _Cursor:
        return self._cursor

    async def __aexit__(self, *exc) -> None:
        await self._cursor.close()


class _InlineConnection:
    """A kept-open sqlite3 connection that Piccolo drives as if it were aiosqlite's.

    Statements run inline on the event loop: on a local WAL database with synchronous=NORMAL an
    insert or a commit takes microseconds, far less than aiosqlite's hop to its thread for every
    execute, fetch and cursor close (Piccolo makes four such hops per query). The one statement
    that can wait, BEGIN IMMEDIATE while another process writes, is retried with an async sleep
    instead of blocking the loop in SQLite's busy handler.
    """

    def __init__(self, path: str) -> None:
        self._conn = sqlite3.connect(
            path,
            detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES,
            isolation_level=None,
            check_same_thread=False,
            timeout=0,
        )
        self._conn.row_factory = dict_factory
        self._conn.execute("PRAGMA foreign_keys = 1")
        self._conn.execute("PRAGMA synchronous = NORMAL")

    @property
    def row_factory(self):
        return self._conn.row_factory

    @row_factory.setter
    def row_factory(self, value) -> None:
        self._conn.row_factory = value

    def execute(self, sql: str, args=()) -> _Result:
        return _Result(_Cursor(self._conn.execute(sql, args)))

    def fetchall(self, sql: str, args=()) -> list[dict[str, Any]]:
        return self._conn.execute(sql, args).fetchall()

    async def begin_immediate(self, timeout_s: float = SQLITE_TIMEOUT_S) -> None:
        deadline = asyncio.get_running_loop().time() + timeout_s
        delay = 0.001
        while True:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or asyncio.get_running_loop().time() > deadline:
                    raise
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.05)

    async def close(self) -> None:
        self._conn.close()


class _InlineTransaction(SQLiteTransaction):
    """A Piccolo transaction on the Writer's kept-open inline connection.

    Only the Writer creates these, under its lock, so the connection never serves two
    transactions at once; it stays open after commit instead of being closed like Piccolo's own.
    """

    def __init__(self, engine: SQLiteEngine, writer: Writer) -> None:
        super().__init__(engine=engine, transaction_type=TransactionType.immediate)
        self._writer = writer

    async def get_connection(self):
        return self._writer._connection()

    async def begin(self) -> None:
        await self.connection.begin_immediate()

    async def __aexit__(self, exception_type, exception, traceback) -> bool:
        if self._parent:
            return exception is None
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
        except BaseException:
            await self._writer._discard_connection()
            raise
        finally:
            self.engine.current_transaction.reset(self.context)
        return exception is None


class Writer:
    """Opens write transactions: IMMEDIATE and one at a time per process on SQLite.

    SQLite allows one writer; letting many coroutines race for the lock makes the losers sleep in
    the busy handler's back-off, so in-process writers queue on an asyncio lock instead and the
    busy timeout only arbitrates between processes (web and worker).

    Transactions compose: one opened while another is active (in the same task) joins it as a
    savepoint, on both engines. The inner part commits only with the outer one; if it fails, only
    its own statements are rolled back (PostgreSQL would otherwise refuse every statement after a
    failed one until the outer transaction ended) and the error goes on to the caller, who may
    handle it and carry on, or let the whole transaction roll back.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sqlite = is_sqlite(engine)
        self._lock: asyncio.Lock | None = None
        self._conn = None

    def _connection(self) -> _InlineConnection:
        if self._conn is None:
            assert isinstance(self.engine, SQLiteEngine)
            self._conn = _InlineConnection(self.engine.path)
        return self._conn

    async def _discard_connection(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                await conn.close()
            except Exception:  # already broken: nothing more to release
                pass

    async def close(self) -> None:
        await self._discard_connection()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        outer = self.engine.current_transaction.get()
        if outer is not None:
            savepoint = await outer.savepoint()
            try:
                yield
            except BaseException:
                await savepoint.rollback_to()
                raise
            await savepoint.release()
            return
        if not self.sqlite:
            async with self.engine.transaction():
                yield
            return
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            async with _InlineTransaction(self.engine, self):
                yield


def as_stored(moment: datetime) -> datetime:
    """A moment as the timestamps are stored (UTC), so SQLite's text comparison orders it right."""
    return moment.astimezone(UTC)


@overload
def as_utc(value: datetime | str) -> datetime: ...
@overload
def as_utc(value: None) -> None: ...
def as_utc(value: datetime | str | None) -> datetime | None:
    """A timestamp as read: SQLite gives the stored text (Piccolo writes UTC without an offset);
    PostgreSQL a datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
    return value


def is_unique_violation(exc: BaseException) -> bool:
    return isinstance(exc, (sqlite3.IntegrityError, asyncpg.exceptions.UniqueViolationError))
