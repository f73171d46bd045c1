"""Open311 GET requests over a large table (issue 11), beside the framework's floor (/healthz).

    .venv/bin/python bench/open311.py                                  # PostgreSQL 1,000,000 rows
    .venv/bin/python bench/open311.py --engines sqlite --rows 100000

Rows are bulk-written into the migrated table (as bench/near_million.py does, ~12 minutes through
RequestService for a million): service types drawn by Chicago's all-time request counts (the
catalog's `popularity`, from sr311/sr_type_counts_all_time.csv), real request locations, made over
the last 180 days (so the default 90-day window holds about half), older ones mostly closed, each
updated 0-10 days after it was made, placed in its ward and community area. Then, with one server process:

- pages/s at 32 connections and p99 at 4 of `requests.json?service_code=PHF&status=open&page_size=200`,
  a 30-day `start_date`/`end_date` window, `updated_after` a week ago, the XML form and
  `extensions=true`;
- /healthz in the same run: the floor.

Results printed and written to bench/results/open311_<engine>_<rows>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import random
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from run import (  # noqa: E402
    RESULTS,
    VENV_BIN,
    Measure,
    Server,
    _get,
    drop_engine,
    ensure_wrk,
    expect,
    log,
    prepare_engine,
    run_step,
    run_wrk,
)
from workload import SERVICE_TYPES_CSV, Workload, file_catalog  # noqa: E402

from backend.geo.city import city_map  # noqa: E402
from backend.service_requests.repo import geo_cell, geo_row  # noqa: E402

COLUMNS = (
    "tracking_number",
    "service_type",
    "status",
    "description",
    "latitude",
    "longitude",
    "geo_row",
    "geo_cell",
    "address",
    "ward",
    "community_area",
    "answers",
    "channel",
    "created_at",
    "updated_at",
    "closed_at",
)
OPEN = ["submitted", "open", "in_progress"]
CLOSED = ["completed", "completed", "completed", "closed_not_fixed", "duplicate", "cancelled"]
SPAN = timedelta(days=180)


def rows(count: int, type_ids: dict[str, int], seed: int, now: datetime):
    active, questions = file_catalog()
    workload = Workload(active, questions, seed=seed)
    rng = random.Random(seed)
    with SERVICE_TYPES_CSV.open(newline="", encoding="utf-8") as f:
        popularity = {r["code"]: int(r["popularity"] or 0) for r in csv.DictReader(f)}
    codes = sorted(c for c in active if c in type_ids)
    weights = [max(popularity.get(c, 0), 1) for c in codes]
    kinds = rng.choices(codes, weights=weights, k=count)
    start = now - SPAN
    step = SPAN / count
    city = city_map()
    for i in range(count):
        sample = rng.choice(workload.rows)
        lat, long = workload.point_near(sample.lat, sample.long)
        made = start + step * i
        age_days = (now - made).days
        # a week-old request is open half the time; a four-month-old one one time in ten
        open_ = rng.random() < max(0.1, 0.6 - age_days / 200)
        updated = min(made + timedelta(days=rng.uniform(0, 10)), now)
        status = rng.choice(OPEN) if open_ else rng.choice(CLOSED)
        places = city.places(lat, long)
        yield (
            f"SR{made:%y}-{i + 1:08d}",
            type_ids[kinds[i]],
            status,
            "",
            lat,
            long,
            geo_row(lat),
            geo_cell(lat, long),
            sample.address,
            places.ward.number if places and places.ward else None,
            places.community_area if places else None,
            "{}",
            "app",
            made,
            updated,
            None if open_ else updated,
        )


async def load_postgres(url: str, count: int, seed: int, now: datetime) -> None:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        type_ids = {
            r["code"]: r["id"] for r in await conn.fetch("SELECT id, code FROM service_type")
        }
        batch: list[tuple] = []
        for row in rows(count, type_ids, seed, now):
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


def load_sqlite(path: Path, count: int, seed: int, now: datetime) -> None:
    db = sqlite3.connect(path)
    try:
        type_ids = dict(db.execute("SELECT code, id FROM service_type").fetchall())
        marks = ", ".join("?" for _ in COLUMNS)
        db.executemany(
            f"INSERT INTO service_request ({', '.join(COLUMNS)}) VALUES ({marks})",
            (
                (*row[:13], *(v.isoformat(" ") if v else None for v in row[13:]))
                for row in rows(count, type_ids, seed, now)
            ),
        )
        db.commit()
        db.execute("ANALYZE")
    finally:
        db.close()


def w3c(moment: datetime) -> str:
    return quote(moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))


def queries(now: datetime) -> dict[str, str]:
    base = "/open311/v2/requests"
    pothole = "service_code=PHF&status=open&page_size=200"
    window = f"start_date={w3c(now - timedelta(days=45))}&end_date={w3c(now - timedelta(days=15))}"
    return {
        "pothole_open": f"{base}.json?{pothole}",
        "pothole_open_xml": f"{base}.xml?{pothole}",
        "pothole_open_ext": f"{base}.json?{pothole}&extensions=true",
        "window_30d": f"{base}.json?{window}&page_size=200",
        "updated_after": f"{base}.json?updated_after={w3c(now - timedelta(days=7))}&page_size=200",
    }


def bench(name: str, args: argparse.Namespace, wrk: str) -> dict:
    engine = prepare_engine(name, args.pg_admin_url)
    server = Server(engine, args.port)
    now = datetime.now(UTC)
    try:
        env = engine.env()
        run_step("migrate", [str(VENV_BIN / "city311"), "migrate"], env, 300)
        run_step("seed", [str(VENV_BIN / "city311"), "seed"], env, 300)
        started = time.perf_counter()
        if engine.database_url:
            asyncio.run(load_postgres(engine.database_url, args.rows, args.seed, now))
        else:
            load_sqlite(engine.data_dir / "city311.sqlite", args.rows, args.seed, now)
        load_s = time.perf_counter() - started
        log(f"[load] {args.rows:,} rows in {load_s:.1f} s")
        server.start()
        paths = queries(now)
        sizes = {}
        for label, path in paths.items():
            got = _get(server.base + path, timeout=30)
            if label.endswith("_xml"):
                sizes[label] = (got[0], len(got[1]))
            else:
                sizes[label] = (got[0], len(expect(label, got, 200)))
        log(f"    items per page: {sizes}")
        results = {}
        plan = [("healthz", "/healthz")] + list(paths.items())
        for connections in args.connections:
            for label, path in plan:
                measure = Measure(
                    f"{label}_{connections}c", connections, args.duration, "path.lua", [path]
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
            "items": sizes,
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
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--connections", type=int, nargs="+", default=[32, 4])
    parser.add_argument("--seed", type=int, default=311)
    parser.add_argument("--port", type=int, default=8079)
    parser.add_argument("--pg-admin-url", default="postgres://postgres@127.0.0.1:5432/test")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    wrk = ensure_wrk()
    RESULTS.mkdir(exist_ok=True)
    for name in [e.strip() for e in args.engines.split(",") if e.strip()]:
        result = bench(name, args, wrk)
        out = RESULTS / f"open311_{name}_{args.rows}.json"
        out.write_text(json.dumps(result, indent=2, default=str) + "\n")
        log(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
