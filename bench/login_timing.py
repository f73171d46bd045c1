"""Does a failed staff login take as long for a username nobody has as for an account? (If not,
timing would tell who has an account.) Wrong-password logins to an account and logins to unknown
names, interleaved, through StaffDirectory.authenticate with the production Argon2 parameters, on
a throwaway database migrated for the run.

    .venv/bin/python bench/login_timing.py                 # embedded SQLite, 60 pairs
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/login_timing.py

Prints the median and 90th percentile of each kind and their ratio (the lockout is raised out of
the way: every attempt verifies a password). Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


async def measure(pairs: int) -> dict[str, list[float]]:
    from piccolo.engine import engine_finder

    from backend.db import Reader, Writer
    from backend.errors import Unauthorized
    from backend.identity.staff import StaffDirectory
    from backend.migrate import migrate

    await migrate()
    engine = engine_finder()
    reader = Reader(engine)
    await reader.open()
    directory = StaffDirectory(reader, Writer(engine), lockout_attempts=10**9)
    try:
        await directory.create_user("bench.account", "a long enough password", "operator")
        times: dict[str, list[float]] = {"account": [], "unknown": []}
        for i in range(pairs + 2):  # the first two pairs warm up (the dummy hash, connections)
            for kind, name in (("account", "bench.account"), ("unknown", f"nobody{i % 7}")):
                started = time.perf_counter()
                try:
                    await directory.authenticate(name, "the wrong password")
                except Unauthorized:
                    pass
                if i >= 2:
                    times[kind].append((time.perf_counter() - started) * 1000)
        return times
    finally:
        directory.close()
        await reader.close()
        if getattr(engine, "pool", None):
            await engine.close_connection_pool()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=60)
    args = parser.parse_args()
    admin_url = os.environ.get("DATABASE_URL")
    database = None
    os.environ["CITY311_DATA_DIR"] = tempfile.mkdtemp(prefix="city311-login-timing-")
    if admin_url:
        import asyncpg

        database = f"city311_bench_{uuid.uuid4().hex[:8]}"

        async def admin(sql: str) -> None:
            conn = await asyncpg.connect(admin_url)
            try:
                await conn.execute(sql)
            finally:
                await conn.close()

        asyncio.run(admin(f'CREATE DATABASE "{database}"'))
        os.environ["DATABASE_URL"] = admin_url.rsplit("/", 1)[0] + f"/{database}"
    try:
        times = asyncio.run(measure(args.pairs))
    finally:
        if database:
            asyncio.run(admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    engine = "postgres" if admin_url else "sqlite"
    medians = {}
    for kind, values in times.items():
        medians[kind] = statistics.median(values)
        p90 = statistics.quantiles(values, n=10)[-1]
        print(f"{engine} {kind:<8} median {medians[kind]:7.1f} ms   p90 {p90:7.1f} ms")
    print(f"{engine} unknown / account (medians): {medians['unknown'] / medians['account']:.3f}")


if __name__ == "__main__":
    main()
