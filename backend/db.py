"""The database layer: our own connections and transactions on the drivers' public APIs.

`Writer.transaction()` opens a transaction on a connection this module owns: one kept-open
`sqlite3` connection per process (IMMEDIATE, one writer at a time) or an asyncpg connection from
the pool. A transaction opened inside another joins it as a savepoint. The active transaction is
held in this module's context variable: `Reader` reads through it, and the engine (`make_engine`)
runs the statements Piccolo's query builder compiles on its connection through `run_querystring`
and `run_ddl`, the two methods every Piccolo engine implements (its public `Engine` interface).
Outside a transaction, hot reads go through `Reader` (one kept-open read-only `sqlite3`
connection, or the asyncpg pool) and anything else through Piccolo's engine as before.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import threading
from collections.abc import AsyncIterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, overload

import aiosqlite
import asyncpg
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.querystring import QueryString

SQLITE_TIMEOUT_S = 30.0
MIN_SQLITE = (3, 35)  # RETURNING, which Piccolo's inserts use from this version on

Row = dict[str, Any]
# Piccolo's Engine is generic in its own transaction class, which nothing here uses.
AnyEngine = Engine[Any]


def _dict_row(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> Row:
    return {column[0]: value for column, value in zip(cursor.description, row, strict=False)}


@dataclass(eq=False)
class _Active:
    """The transaction open in this context: its engine, its connection (one of the two) and
    how many savepoints deep it is."""

    engine: AnyEngine
    sqlite: sqlite3.Connection | None = None
    pg: asyncpg.Connection | None = None
    savepoints: int = field(default=0)

    async def fetch(self, sql: str, args: Sequence[Any]) -> list[Any]:
        if self.sqlite is not None:
            return self.sqlite.execute(sql, tuple(args)).fetchall()
        assert self.pg is not None
        records: list[Any] = await self.pg.fetch(sql, *args)
        return records


_ACTIVE: ContextVar[_Active | None] = ContextVar("city311_transaction", default=None)


def _active(engine: AnyEngine) -> _Active | None:
    active = _ACTIVE.get()
    return active if active is not None and active.engine is engine else None


class City311SQLiteEngine(SQLiteEngine):
    """SQLite with a busy timeout and `synchronous=NORMAL` (safe under WAL, which `migrate` turns
    on); inside `Writer.transaction()` its statements run on the writer's connection."""

    async def get_connection(self) -> aiosqlite.Connection:
        connection: aiosqlite.Connection = await super().get_connection()
        await connection.execute("PRAGMA synchronous = NORMAL")
        return connection

    async def run_querystring(self, querystring: QueryString, in_pool: bool = False) -> Any:
        active = _active(self)
        if active is None:
            return await super().run_querystring(querystring, in_pool=in_pool)
        sql, args = querystring.compile_string(engine_type=self.engine_type)
        return await active.fetch(sql, args)

    async def run_ddl(self, ddl: str, in_pool: bool = False) -> Any:
        active = _active(self)
        if active is None:
            return await super().run_ddl(ddl, in_pool=in_pool)
        return await active.fetch(ddl, ())


class City311PostgresEngine(PostgresEngine):
    """PostgreSQL; inside `Writer.transaction()` its statements run on the transaction's connection."""

    async def run_querystring(self, querystring: QueryString, in_pool: bool = True) -> Any:
        active = _active(self)
        if active is None:
            return await super().run_querystring(querystring, in_pool=in_pool)
        sql, args = querystring.compile_string(engine_type=self.engine_type)
        return await active.fetch(sql, args)

    async def run_ddl(self, ddl: str, in_pool: bool = True) -> Any:
        active = _active(self)
        if active is None:
            return await super().run_ddl(ddl, in_pool=in_pool)
        return await active.fetch(ddl, ())


def make_engine(database_url: str | None, data_dir: Path) -> AnyEngine:
    if database_url:
        return City311PostgresEngine(config={"dsn": database_url})
    data_dir.mkdir(parents=True, exist_ok=True)
    return City311SQLiteEngine(path=str(data_dir / "city311.sqlite"), timeout=SQLITE_TIMEOUT_S)


def is_sqlite(engine: AnyEngine) -> bool:
    return engine.engine_type == "sqlite"


def sqlite_path(engine: AnyEngine) -> str:
    assert isinstance(engine, SQLiteEngine)
    path: str = engine.path
    return path


async def _keep_session(connection: asyncpg.Connection) -> None:
    """Skip asyncpg's reset round trip (UNLISTEN, RESET ALL…) on every release to the pool: no code
    here changes session state, and transactions always end in COMMIT or ROLLBACK."""


async def start_pool(engine: AnyEngine) -> bool:
    """Starts the asyncpg pool of Piccolo's PostgreSQL engine unless it runs; says whether it
    started it (then the caller closes it). Piccolo's queries outside a transaction use it too."""
    if not isinstance(engine, PostgresEngine) or engine.pool is not None:
        return False
    await engine.start_connection_pool(min_size=2, max_size=32, reset=_keep_session)
    return True


_NUMBERED = re.compile(r"\$(\d+)")


class Reader:
    """Runs read-only SQL (written with $1, $2… placeholders) on a kept-open connection, or
    through the active transaction inside one."""

    def __init__(self, engine: AnyEngine) -> None:
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
        # No detect_types: the repo parses the few timestamps itself, cheaper than the converters
        # Piccolo registers. Memory-mapped reads skip a system call per page.
        conn = sqlite3.connect(
            sqlite_path(self.engine),
            isolation_level=None,
            check_same_thread=False,
            timeout=SQLITE_TIMEOUT_S,
        )
        conn.row_factory = _dict_row
        conn.execute("PRAGMA query_only = 1")
        conn.execute("PRAGMA mmap_size = 268435456")
        conn.execute("PRAGMA cache_size = -32768")
        return conn

    async def open(self) -> None:
        if self.sqlite:
            self._conn = self._connect()
            self._scanner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-scan")
        else:
            self._owns_pool = await start_pool(self.engine) or self._owns_pool

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

    async def fetch(self, sql: str, *args: Any) -> list[Row]:
        active = _ACTIVE.get()
        if active is not None and active.engine is self.engine:
            # Inside a write transaction, read through it: rows it wrote are visible, and a
            # service called inside another's transaction sees what that one did.
            if active.sqlite is not None:
                return active.sqlite.execute(self._sqlite_sql(sql), args).fetchall()
            assert active.pg is not None
            return [dict(r) for r in await active.pg.fetch(sql, *args)]
        if self.sqlite:
            if self._conn is None:
                await self.open()
            assert self._conn is not None
            # An indexed lookup on a local file takes microseconds: cheaper than a thread hop.
            rows: list[Row] = self._conn.execute(self._sqlite_sql(sql), args).fetchall()
            return rows
        assert isinstance(self.engine, PostgresEngine)
        if self.engine.pool is None:
            await self.open()
        pool = self.engine.pool
        assert pool is not None
        async with pool.acquire() as conn:
            return [dict(r) for r in await conn.fetch(sql, *args)]

    async def fetchrow(self, sql: str, *args: Any) -> Row | None:
        rows = await self.fetch(sql, *args)
        return rows[0] if rows else None

    async def scan(self, sql: str, *args: Any) -> list[Row]:
        """Like fetch, for queries that may read thousands of index entries."""
        if not self.sqlite or _ACTIVE.get() is not None:
            return await self.fetch(sql, *args)
        if self._scanner is None:
            await self.open()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._scanner, self._scan, self._sqlite_sql(sql), args)

    def _scan(self, sql: str, args: tuple[Any, ...]) -> list[Row]:
        conn: sqlite3.Connection | None = getattr(self._scan_conn, "conn", None)
        if conn is None:
            conn = self._scan_conn.conn = self._connect()
        rows: list[Row] = conn.execute(sql, args).fetchall()
        return rows

    def _close_scan_connection(self) -> None:
        conn: sqlite3.Connection | None = getattr(self._scan_conn, "conn", None)
        if conn is not None:
            conn.close()
            self._scan_conn.conn = None


def _writer_connection(path: str) -> sqlite3.Connection:
    """The kept-open write connection. Statements run inline on the event loop: on a local WAL
    database with synchronous=NORMAL an insert or a commit takes microseconds, far less than a hop
    to a thread. Typed like Piccolo's own connections (declared types converted), so its queries
    give the same values in a transaction as outside one."""
    if sqlite3.sqlite_version_info < MIN_SQLITE:
        raise RuntimeError(f"SQLite {sqlite3.sqlite_version} is older than 3.35")
    conn = sqlite3.connect(
        path,
        detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES,
        isolation_level=None,
        check_same_thread=False,
        timeout=0,
    )
    conn.row_factory = _dict_row
    conn.execute("PRAGMA foreign_keys = 1")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


async def _begin_immediate(conn: sqlite3.Connection, timeout_s: float = SQLITE_TIMEOUT_S) -> None:
    """BEGIN IMMEDIATE, the one statement that can wait (while another process writes): retried
    with an async sleep instead of blocking the loop in SQLite's busy handler."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    delay = 0.001
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or loop.time() > deadline:
                raise
        await asyncio.sleep(delay)
        delay = min(delay * 2, 0.05)


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

    def __init__(self, engine: AnyEngine) -> None:
        self.engine = engine
        self.sqlite = is_sqlite(engine)
        self._lock: asyncio.Lock | None = None
        self._conn: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = _writer_connection(sqlite_path(self.engine))
        return self._conn

    def _discard_connection(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except sqlite3.Error:  # already broken: nothing more to release
                pass

    async def close(self) -> None:
        self._discard_connection()

    async def lock_table(self, table: str) -> None:
        """Inside a transaction: no other transaction writes `table` until this one ends
        (PostgreSQL: LOCK TABLE … IN EXCLUSIVE MODE; SQLite: its one writer already is that)."""
        active = self._in_transaction()
        if active.pg is not None:
            await active.pg.execute(f'LOCK TABLE "{table}" IN EXCLUSIVE MODE')

    async def lock_row(self, table: str, row_id: int) -> None:
        """Inside a transaction: the row `id` of `table` is this transaction's until it ends
        (PostgreSQL: SELECT … FOR UPDATE; SQLite: its one writer already is that)."""
        active = self._in_transaction()
        if active.pg is not None:
            await active.pg.execute(f'SELECT id FROM "{table}" WHERE id = $1 FOR UPDATE', row_id)

    def _in_transaction(self) -> _Active:
        active = _active(self.engine)
        if active is None:
            raise RuntimeError("a lock is taken inside Writer.transaction()")
        return active

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        active = _active(self.engine)
        if active is not None:
            async with self._savepoint(active):
                yield
        elif self.sqlite:
            async with self._sqlite_transaction():
                yield
        else:
            async with self._pg_transaction():
                yield

    @asynccontextmanager
    async def _savepoint(self, active: _Active) -> AsyncIterator[None]:
        if active.pg is not None:
            async with active.pg.transaction():  # nested: asyncpg makes it a savepoint
                yield
            return
        assert active.sqlite is not None
        active.savepoints += 1
        name = f"city311_{active.savepoints}"
        active.sqlite.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            active.sqlite.execute(f"ROLLBACK TO {name}")
            active.sqlite.execute(f"RELEASE {name}")
            raise
        finally:
            active.savepoints -= 1
        active.sqlite.execute(f"RELEASE {name}")

    @asynccontextmanager
    async def _sqlite_transaction(self) -> AsyncIterator[None]:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            conn = self._connection()
            await _begin_immediate(conn)
            token = _ACTIVE.set(_Active(self.engine, sqlite=conn))
            try:
                try:
                    yield
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:  # COMMIT or ROLLBACK failed: start afresh next time
                    self._discard_connection()
                raise
            finally:
                _ACTIVE.reset(token)

    @asynccontextmanager
    async def _pg_transaction(self) -> AsyncIterator[None]:
        assert isinstance(self.engine, PostgresEngine)
        pool = self.engine.pool
        if pool is None:  # a command without a Reader: a connection of its own
            conn = await self.engine.get_new_connection()
            try:
                async with self._on(conn):
                    yield
            finally:
                await conn.close()
            return
        async with pool.acquire() as conn, self._on(conn):
            yield

    @asynccontextmanager
    async def _on(self, conn: asyncpg.Connection) -> AsyncIterator[None]:
        async with conn.transaction():
            token = _ACTIVE.set(_Active(self.engine, pg=conn))
            try:
                yield
            finally:
                _ACTIVE.reset(token)


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


async def try_advisory_lock(dsn: str, key: int) -> asyncpg.Connection | None:
    """A new PostgreSQL connection holding the session advisory lock `key`, or None when another
    session holds it. The lock lasts as long as the connection: close it to release."""
    conn = await asyncpg.connect(dsn)
    if await conn.fetchval("SELECT pg_try_advisory_lock($1)", key):
        return conn
    await conn.close()
    return None
