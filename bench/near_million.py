"""The nearby search over a large table (issue 7): `GET /api/v1/requests?near=…&radius=500` p99.

    .venv/bin/python bench/near_million.py                       # PostgreSQL, 1,000,000 rows
    .venv/bin/python bench/near_million.py --engines sqlite,postgres --rows 200000

Loading a million requests through RequestService.submit takes ~12 minutes here (1,450/s), so the
rows are bulk-written straight into the migrated table instead (PostgreSQL COPY, SQLite
executemany): real types and real request locations (backend/demo_data/requests.csv, jittered
150 m, kept inside the city, so the clusters are real: ~9% at O'Hare), geo_row and geo_cell computed
by the repo's own functions, statuses mixed open/closed. This measures reads only; the submit path is
bench/run.py's. Then VACUUM (ANALYZE) on PostgreSQL, one server process (as bench/run.py starts
it) and wrk at 8 and 32 connections on points where requests are. Results: printed, and
bench/results/near_<engine>_<rows>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from run import (  # noqa: E402
    RESULTS,
    VENV_BIN,
    Measure,
    Server,
    _get,
    _pg,
    drop_engine,
    ensure_wrk,
    expect,
    log,
    prepare_engine,
    run_step,
    run_wrk,
)
from workload import Workload, file_catalog  # noqa: E402

from backend.service_requests.repo import geo_cell, geo_row  # noqa: E402

STATUSES = ["submitted"] * 5 + ["open", "in_progress"] * 2 + ["completed"] * 6
COLUMNS = (
    "tracking_number",
    "service_type",
    "status",
    "description",
    "latitude",
    "longitude",
    "geo_row",
    "geo_cell",
    "answers",
    "channel",
    "created_at",
    "updated_at",
)


def rows(count: int, type_ids: dict[str, int], seed: int):
    """(values…) tuples in COLUMNS order: real types at jittered real locations."""
    active, questions = file_catalog()
    workload = Workload(active, questions, seed=seed)
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for i in range(count):
        sample = rng.choice(workload.rows)
        lat, long = workload.point_near(sample.lat, sample.long)
        at = start + timedelta(seconds=20 * i)
        yield (
            f"SR25-{i + 1:08d}",
            type_ids[sample.code],
            rng.choice(STATUSES),
            "",
            lat,
            long,
            geo_row(lat),
            geo_cell(lat, long),
            "{}",
            "app",
            at,
            at,
        )


async def load_postgres(url: str, count: int, seed: int) -> None:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        type_ids = {
            r["code"]: r["id"] for r in await conn.fetch("SELECT id, code FROM service_type")
        }
        batch: list[tuple] = []
        for row in rows(count, type_ids, seed):
            batch.append(row)
            if len(batch) == 50_000:
                await conn.copy_records_to_table("service_request", records=batch, columns=COLUMNS)
                batch = []
        if batch:
            await conn.copy_records_to_table("service_request", records=batch, columns=COLUMNS)
        await conn.execute("VACUUM (ANALYZE)")
        await conn.execute("CHECKPOINT")
    finally:
        await conn.close()


def load_sqlite(path: Path, count: int, seed: int) -> None:
    db = sqlite3.connect(path)
    try:
        type_ids = dict(db.execute("SELECT code, id FROM service_type").fetchall())
        marks = ", ".join("?" for _ in COLUMNS)
        db.executemany(
            f"INSERT INTO service_request ({', '.join(COLUMNS)}) VALUES ({marks})",
            (
                (*row[:10], row[10].isoformat(), row[11].isoformat())
                for row in rows(count, type_ids, seed)
            ),
        )
        db.commit()
    finally:
        db.close()


def bench(name: str, args: argparse.Namespace, wrk: str) -> dict:
    engine = prepare_engine(name, args.pg_admin_url)
    server = Server(engine, args.port)
    try:
        env = engine.env()
        run_step("migrate", [str(VENV_BIN / "city311"), "migrate"], env, 300)
        run_step("seed", [str(VENV_BIN / "city311"), "seed"], env, 300)
        started = time.perf_counter()
        if engine.database_url:
            asyncio.run(load_postgres(engine.database_url, args.rows, args.seed))
        else:
            load_sqlite(engine.data_dir / "city311.sqlite", args.rows, args.seed)
        load_s = time.perf_counter() - started
        log(f"[load] {args.rows:,} rows in {load_s:.1f} s")
        if engine.database_url:
            (size,) = asyncio.run(
                _pg(
                    engine.database_url,
                    "SELECT pg_size_pretty(pg_database_size(current_database()))",
                )
            )
            log(f"    database size {size[0][0]}")
        points = engine.data_dir / "points.txt"
        active, questions = file_catalog()
        workload = Workload(active, questions, seed=args.seed + 1)
        points.write_text(
            "".join("{:.6f},{:.6f}\n".format(*workload.dense_point()) for _ in range(2000))
        )
        server.start()
        counts = []
        for point in points.read_text().split()[:50]:
            page = expect(
                "near", _get(f"{server.base}/api/v1/requests?near={point}&radius=500"), 200
            )
            counts.append(len(page["items"]))
        log(f"    a near page held {sum(counts) / len(counts):.1f} items on average")
        results = {}
        for connections in (8, 32):
            measure = Measure(
                f"near_{connections}c",
                connections,
                args.duration,
                "near.lua",
                [str(points), "500"],
            )
            results.update(run_wrk(wrk, server, [measure], args.warmup))
            r = results[measure.name]
            log(
                f"    {measure.name}: {r['rps']:,.0f} req/s, p50 {r['p50_ms']:.1f} ms, "
                f"p99 {r['p99_ms']:.1f} ms, server CPU {r['server_cpu_cores']:.2f}, "
                f"statuses {r['statuses']}"
            )
        return {
            "engine": name,
            "server_version": engine.server_version,
            "rows": args.rows,
            "load_s": round(load_s, 1),
            "items_per_page": sum(counts) / len(counts),
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "results": results,
        }
    finally:
        server.stop()
        drop_engine(engine, args.keep)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engines", default="postgres")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=311)
    parser.add_argument("--port", type=int, default=8078)
    parser.add_argument("--pg-admin-url", default="postgres://postgres@127.0.0.1:5432/test")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    wrk = ensure_wrk()
    RESULTS.mkdir(exist_ok=True)
    for name in [e.strip() for e in args.engines.split(",") if e.strip()]:
        result = bench(name, args, wrk)
        out = RESULTS / f"near_{name}_{args.rows}.json"
        out.write_text(json.dumps(result, indent=2, default=str) + "\n")
        log(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
