"""The staff console over a large table (issue 10): a department's queue, and status changes.

    .venv/bin/python bench/staff.py                     # PostgreSQL, 1,000,000 requests

Requests are bulk-written as bench/open311.py writes them (Chicago's all-time type mix, real
locations, 180 days, older ones mostly closed); each gets its work order for its type's department
(done when the request is closed) and its SLA due date, in SQL. 4,000 open requests of the
busiest department get a follower (a phone), so each status change also queues an SMS. Then, with
one server process:

- `GET /api/staff/v1/departments/{busiest}/queue` (first page, 50 oldest open work orders) at 8
  connections, and the same filtered by a ward;
- `POST …/requests/{tn}/transitions` moving those requests in_progress and back to open: each is
  one transaction with the status, its history event, the work-order update, the audit row and
  the notification rows, at 4 and 8 connections.

Results printed and written to bench/results/staff_<engine>_<rows>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from open311 import load_postgres  # noqa: E402
from run import (  # noqa: E402
    RESULTS,
    VENV_BIN,
    Measure,
    Server,
    _get,
    _pg,
    _post,
    drop_engine,
    ensure_wrk,
    log,
    prepare_engine,
    run_step,
    run_wrk,
)

WORK_ORDERS = (
    "INSERT INTO work_order (request, department, status, created_at, updated_at, done_at, "
    "service_type, ward, community_area) "
    "SELECT r.id, st.department, CASE WHEN r.status IN ('submitted', 'open', 'in_progress', "
    "'reopened') THEN 'new' ELSE 'done' END, r.created_at, r.updated_at, r.closed_at, "
    "r.service_type, r.ward, r.community_area "
    "FROM service_request r JOIN service_type st ON st.id = r.service_type ORDER BY r.id"
)
SLA = (
    "UPDATE service_request r SET sla_due_at = r.created_at + st.sla_days * interval '1 day' "
    "FROM service_type st WHERE st.id = r.service_type AND st.sla_days IS NOT NULL"
)
BUSIEST = (
    "SELECT w.department, d.slug, COUNT(*) AS n FROM work_order w JOIN department d "
    "ON d.id = w.department WHERE w.status <> 'done' GROUP BY w.department, d.slug "
    "ORDER BY n DESC LIMIT 1"
)
PASSWORD = "bench staff password"


def create_user(env: dict, username: str, role: str, department: str | None = None) -> None:
    cmd = [str(VENV_BIN / "city311"), "users", "create", "--username", username, "--role", role]
    if department:
        cmd += ["--department", department]
    done = subprocess.run(cmd, input=PASSWORD + "\n", env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"users create failed: {done.stderr[-2000:]}")


def login(base: str, username: str) -> str:
    status, body = _post(
        f"{base}/api/staff/v1/auth/login",
        json.dumps({"username": username, "password": PASSWORD}).encode(),
        "application/json",
    )
    if status != 200:
        raise SystemExit(f"login failed: {status} {body[:300]!r}")
    return json.loads(body)["accessToken"]


def bench(name: str, args: argparse.Namespace, wrk: str) -> dict:
    engine = prepare_engine(name, args.pg_admin_url)
    if not engine.database_url:
        raise SystemExit("bench/staff.py measures PostgreSQL (the issue's figure)")
    server = Server(engine, args.port)
    now = datetime.now(UTC)
    try:
        env = engine.env()
        # the access token must outlive the run
        env["CITY311_STAFF_ACCESS_MINUTES"] = "120"
        server_env = engine.env
        engine.env = lambda: env  # the server starts with the same settings
        run_step("migrate", [str(VENV_BIN / "city311"), "migrate"], env, 300)
        run_step("seed", [str(VENV_BIN / "city311"), "seed"], env, 300)
        started = time.perf_counter()
        asyncio.run(load_postgres(engine.database_url, args.rows, args.seed, now))
        url = engine.database_url
        asyncio.run(_pg(url, WORK_ORDERS, SLA, "VACUUM (ANALYZE)"))
        load_s = time.perf_counter() - started
        log(f"[load] {args.rows:,} requests and their work orders in {load_s:.1f} s")
        (busiest,) = asyncio.run(_pg(url, BUSIEST))
        department, slug, open_orders = (
            busiest[0]["department"],
            busiest[0]["slug"],
            busiest[0]["n"],
        )
        log(f"    busiest department: {slug} ({open_orders:,} open work orders)")
        (sample,) = asyncio.run(
            _pg(
                url,
                "SELECT r.id, r.tracking_number FROM work_order w JOIN service_request r ON "
                f"r.id = w.request WHERE w.department = {department} AND r.status = 'open' "
                "ORDER BY r.id DESC LIMIT 4000",
            )
        )
        followers = ", ".join(
            f"({r['id']}, 'phone', '+1312555{i:04d}', 'en', now())" for i, r in enumerate(sample)
        )
        asyncio.run(
            _pg(
                url,
                "INSERT INTO subscription (request, kind, target, language, created_at) VALUES "
                + followers,
            )
        )
        # one half for each run: a run starts each request's toggle from open, as loaded
        halves = [engine.data_dir / "numbers_a.txt", engine.data_dir / "numbers_b.txt"]
        for i, half in enumerate(halves):
            half.write_text("".join(r["tracking_number"] + "\n" for r in sample[i::2]))
        create_user(env, "bench-supervisor", "supervisor")
        server.start()
        token = login(server.base, "bench-supervisor")
        queue = f"/api/staff/v1/departments/{department}/queue"
        status, body = _get(server.base + queue, timeout=30)
        log(f"    queue answers {status} ({len(body)} bytes without a token: expect 401)")
        (ward,) = asyncio.run(
            _pg(url, "SELECT ward FROM service_request WHERE ward IS NOT NULL LIMIT 1")
        )
        plan = [
            Measure("queue_8c", 8, args.duration, "staff_get.lua", [queue, token]),
            Measure(
                "queue_ward_8c",
                8,
                args.duration,
                "staff_get.lua",
                [f"{queue}?ward={ward[0]['ward']}", token],
            ),
            Measure(
                "transition_4c", 4, args.duration, "staff_transition.lua", [str(halves[0]), token]
            ),
            Measure(
                "transition_8c", 8, args.duration, "staff_transition.lua", [str(halves[1]), token]
            ),
        ]
        results = {}
        for measure in plan:
            # no warm-up for the status changes: it would leave requests half-way through a pass
            warmup = 0 if measure.name.startswith("transition") else args.warmup
            results.update(run_wrk(wrk, server, [measure], warmup))
            r = results[measure.name]
            log(
                f"    {measure.name}: {r['rps']:,.0f} req/s, p50 {r['p50_ms']:.1f} ms, "
                f"p99 {r['p99_ms']:.1f} ms, server CPU {r['server_cpu_cores']:.2f}, "
                f"statuses {r['statuses']}"
            )
        (counts,) = asyncio.run(
            _pg(
                url,
                "SELECT (SELECT COUNT(*) FROM audit_event) AS audit, "
                "(SELECT COUNT(*) FROM notification) AS notifications, "
                "(SELECT COUNT(*) FROM request_event) AS events",
            )
        )
        log(f"    written: {dict(counts[0])}")
        engine.env = server_env
        return {
            "engine": name,
            "server_version": engine.server_version,
            "rows": args.rows,
            "load_s": round(load_s, 1),
            "busiest_department": slug,
            "open_work_orders": open_orders,
            "written": dict(counts[0]),
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
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=311)
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--pg-admin-url", default="postgres://postgres@127.0.0.1:5432/test")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    wrk = ensure_wrk()
    RESULTS.mkdir(exist_ok=True)
    result = bench("postgres", args, wrk)
    out = RESULTS / f"staff_postgres_{args.rows}.json"
    out.write_text(json.dumps(result, indent=2, default=str) + "\n")
    log(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
