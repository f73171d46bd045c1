"""Staff logins (Argon2id) beside the public status lookup: does a burst of logins block the event
loop? Target: GET /api/v1/requests/{tn} p99 < 50 ms at 8 connections during the burst.

    .venv/bin/python bench/staff_login.py                          # sqlite, 10 s per measure
    .venv/bin/python bench/staff_login.py --engines sqlite,postgres --duration 15

For each engine: a throwaway data directory / PostgreSQL database (bench/run.py's prepare_engine),
`city311 migrate`, `city311 seed`, --rows requests loaded by bench/load_requests.py, one staff
account made with `city311 users create` (password on stdin), then ONE server process
(`city311 serve --workers 1`, scheduler off, rate limits off). Measured with wrk (-t1):

  lookup_8c              GET /api/v1/requests/{tn}, 8 connections: the baseline
  logins                 POST /api/staff/v1/auth/login, --login-connections (32) at once, the
                         right password every time (each login verifies a hash and opens a session)
  lookup_during_logins   the baseline's lookups, run at the same time as `logins`
  logins_alone           the burst again, nothing beside it: the login capacity of the machine

The burst runs without a warm-up: the server still hashes the logins of a warm-up's wrk after it
has gone, and that backlog would eat the measured window.

Results: printed, and bench/results/staff_login_<engine>.json. Any non-200 answer makes the run
exit 1 after the results are written.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from run import (  # noqa: E402
    RESULTS,
    VENV_BIN,
    BenchError,
    Measure,
    Server,
    _post,
    drop_engine,
    ensure_wrk,
    expect,
    log,
    machine_info,
    prepare_engine,
    run_step,
    run_wrk,
    settle,
    source_state,
)

USERNAME = "bench.operator"
PASSWORD = "bench password 311"
TARGET_P99_MS = 50.0


def create_user(env: dict[str, str]) -> None:
    cmd = [
        str(VENV_BIN / "city311"),
        "users",
        "create",
        "--username",
        USERNAME,
        "--role",
        "operator",
    ]
    log(f"[users] {' '.join(cmd)} (password on stdin)")
    done = subprocess.run(
        cmd, env=env, cwd=ROOT, input=PASSWORD + "\n", capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        raise BenchError(f"users create failed ({done.returncode}): {done.stderr[-2000:]}")
    log(f"    {done.stdout.strip()}")


def bench_engine(name: str, args: argparse.Namespace, wrk: str) -> dict[str, Any]:
    source = source_state()
    engine = prepare_engine(name, args.pg_admin_url)
    log(f"\n=== {name} ({engine.server_version}) — data dir {engine.data_dir}")
    server = Server(engine, args.port)
    results: dict[str, Any] = {}
    problems: list[str] = []
    try:
        env = engine.env()
        run_step("migrate", [str(VENV_BIN / "city311"), "migrate"], env, 300)
        run_step("seed", [str(VENV_BIN / "city311"), "seed"], env, 300)
        summary = engine.data_dir / "load.json"
        load_cmd = [str(VENV_BIN / "python"), str(BENCH / "load_requests.py")]
        load_cmd += ["--rows", str(args.rows), "--summary", str(summary)]
        run_step("load", load_cmd, env, 1800)
        load = json.loads(summary.read_text())
        prefix = load["prefixes"][0]
        first = int(load["first_tracking_number"].split("-")[1])
        last = int(load["last_tracking_number"].split("-")[1])
        create_user(env)
        server.start()

        body = json.dumps({"username": USERNAME, "password": PASSWORD}).encode()
        tokens = expect(
            "login", _post(f"{server.base}/api/staff/v1/auth/login", body, "application/json"), 200
        )
        log(f"    login smoke: expiresIn {tokens['expiresIn']}")

        lookup = [prefix, str(first), str(last)]
        d = args.duration
        plan = [
            [Measure("lookup_8c", 8, d, "lookup.lua", lookup)],
            [
                Measure(
                    "logins",
                    args.login_connections,
                    d,
                    "login.lua",
                    [USERNAME, PASSWORD],
                    timeout_s=60.0,
                ),
                Measure("lookup_during_logins", 8, d, "lookup.lua", [*lookup, "7"]),
            ],
            [
                Measure(
                    "logins_alone",
                    args.login_connections,
                    d,
                    "login.lua",
                    [USERNAME, PASSWORD],
                    timeout_s=60.0,
                )
            ],
        ]
        for i, group in enumerate(plan):
            log("[wrk] " + " + ".join(f"{m.name} ({m.connections} conns)" for m in group))
            busy = settle()
            # No warm-up for the burst: logins abandoned by a warm-up's wrk are still hashed by
            # the server (a backlog of ~32 x 0.14 s of CPU) and would eat the measured window.
            warmup = args.warmup if i == 0 else 0
            for m_name, r in run_wrk(wrk, server, group, warmup).items():
                r["busy_cores_before"] = busy
                results[m_name] = r
                bad = {s: n for s, n in r["statuses"].items() if s != "200"}
                if bad or any(v for v in r["errors"].values()) or not r["requests"]:
                    problems.append(f"{m_name}: statuses {r['statuses']}, errors {r['errors']}")
                log(
                    f"    {m_name:<22} {r['rps']:>8.1f} req/s  p50 {r['p50_ms']:8.2f} ms  "
                    f"p99 {r['p99_ms']:8.2f} ms  max {r['max_ms']:8.1f} ms  "
                    f"server CPU {r['server_cpu_cores']:.2f}"
                )
    finally:
        server.stop()
        drop_engine(engine, args.keep)
    p99 = results.get("lookup_during_logins", {}).get("p99_ms")
    return {
        "engine": name,
        "engine_version": engine.server_version,
        "source": source,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "rows": args.rows,
        "duration_s": args.duration,
        "login_connections": args.login_connections,
        "results": results,
        "verdict": {
            "measure": "lookup_during_logins",
            "figure": "p99_ms",
            "value": p99,
            "target": f"< {TARGET_P99_MS}",
            "pass": p99 is not None and p99 < TARGET_P99_MS,
        },
        "problems": problems,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engines", default="sqlite", help="comma-separated: sqlite,postgres")
    parser.add_argument("--rows", type=int, default=5000, help="requests to load")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measure")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--login-connections", type=int, default=32)
    parser.add_argument("--port", type=int, default=8078)
    parser.add_argument(
        "--pg-admin-url", default="postgres://postgres@127.0.0.1:5432/test", help="PostgreSQL"
    )
    parser.add_argument("--keep", action="store_true", help="keep data dirs and databases")
    args = parser.parse_args(argv)
    wrk = ensure_wrk()
    machine = machine_info()
    RESULTS.mkdir(parents=True, exist_ok=True)
    failed = False
    for name in [e.strip() for e in args.engines.split(",") if e.strip()]:
        res = bench_engine(name, args, wrk)
        res["machine"] = machine
        path = RESULTS / f"staff_login_{name}.json"
        path.write_text(json.dumps(res, indent=2) + "\n")
        v = res["verdict"]
        log(
            f"--- {name}: lookup p99 during logins {v['value']} ms (target {v['target']}): "
            f"{'PASS' if v['pass'] else 'FALLS SHORT'}; logins "
            f"{res['results']['logins']['rps']}/s; wrote {path}"
        )
        for p in res["problems"]:
            log(f"  ERROR {p}")
        failed = failed or bool(res["problems"])
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
