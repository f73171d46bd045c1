"""One scheduler per deployment: only the process holding the jobs lock runs the scheduled jobs.

`city311 serve --workers 4` starts four web processes, and a `city311 worker` may run beside them;
each would otherwise start its own scheduler and run every job four or five times. Each process
that may run jobs tries the lock; the holder runs them, the others try again every
`RETRY_S` seconds, so when the holder dies another process takes over within that time.

- SQLite (one machine): an exclusive `flock` on `$CITY311_DATA_DIR/jobs.lock`; the kernel drops
  it when the process dies.
- PostgreSQL: a session advisory lock held on a connection of its own; the server drops it when
  that connection closes.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path

import asyncpg

from backend.db import try_advisory_lock
from backend.settings import Settings

log = logging.getLogger("city311.jobs")

RETRY_S = 30.0
# An arbitrary 64-bit key that names "City311's scheduled jobs" among advisory locks.
ADVISORY_KEY = 311_311_311


class JobsLock:
    def __init__(self, settings: Settings) -> None:
        self._dsn = settings.database_url
        self._path = Path(settings.data_dir) / "jobs.lock"
        self._fd: int | None = None
        self._conn: asyncpg.Connection | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None or self._conn is not None

    async def try_acquire(self) -> bool:
        if self.held:
            return True
        if self._dsn:
            self._conn = await try_advisory_lock(self._dsn, ADVISORY_KEY)
            return self._conn is not None
        self._path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    async def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None
        if self._conn is not None:
            await self._conn.close()
            self._conn = None


async def run_when_leader(
    lock: JobsLock, start: Callable[[], Awaitable[None] | None], retry_s: float = RETRY_S
) -> None:
    """Wait until this process holds the lock, then call `start` once (runs as a task)."""
    announced = False
    while True:
        try:
            if await lock.try_acquire():
                log.info("scheduler: this process (pid %d) runs the scheduled jobs", os.getpid())
                result = start()
                if asyncio.iscoroutine(result):
                    await result
                return
        except (OSError, asyncpg.PostgresError) as exc:
            log.warning("scheduler: could not try the jobs lock: %s", exc)
        if not announced:
            log.info(
                "scheduler: another process runs the scheduled jobs (pid %d waits)", os.getpid()
            )
            announced = True
        await asyncio.sleep(retry_s)
