"""City311 benchmarks (issue 2, "Performance"): one server process per engine, measured with wrk.

    make bench                      # both engines, 100,000 requests, 15 s per measurement
    .venv/bin/python bench/run.py --engines sqlite --rows 20000 --duration 10

For each engine: a fresh data directory (and, for PostgreSQL, a throwaway database created from the
`test` database and dropped at the end), `city311 migrate`, `city311 seed` (catalog only), then
bench/load_requests.py submits the rows through RequestService.submit, and ONE server process
(`city311 serve --workers 1 --no-access-log`, CITY311_SCHEDULER=off, CITY311_RATE_LIMITS=off:
their middleware still runs) is measured:

  floor         GET /healthz (no database), 32 connections: the framework's ceiling here
  lookup        GET /api/v1/requests/{tn}, random existing tracking numbers, 32 connections
  near          GET /api/v1/requests?near=lat,long&radius=500 at real request locations, 32 conns
  near_8c       the same at 8 connections (context: latency with less queueing; no target)
  submit_json   POST /api/v1/requests, JSON (varied real types, points and answers)
  lookup_8c     GET /api/v1/requests/{tn} at 8 connections: the baseline for the next line
  submit_photo  POST multipart with one ~2 MB 4000x3000 phone JPEG, while a second wrk runs
                lookups at 8 connections (photo processing must not block the event loop)

wrk runs with one thread (-t1: the machine has 2 cores, keep the client light); a Lua done() hook
prints the figures as JSON. Any non-2xx answer or socket error where none is expected makes the
run fail loudly (exit status 1) after the results are written. Raw results go to
bench/results/<engine>.json; docs/benchmarks.md is rewritten from every engine's results file
(the hand-written diagnosis between its `diagnosis` markers is kept).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
LUA = BENCH / "lua"
RESULTS = BENCH / "results"
DOC = ROOT / "docs" / "benchmarks.md"
VENV_BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
PRETTY = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
DIAG_START, DIAG_END = "<!-- diagnosis:start -->", "<!-- diagnosis:end -->"

sys.path.insert(0, str(BENCH))

# name -> (label, figure, comparison, target value, unit)
TARGETS = {
    "lookup": [("ratio", ">=", 0.25), ("p99_ms", "<", 25.0)],
    "submit_json": [("rps", ">=", 300.0)],
    "submit_photo": [("rps", ">=", 10.0)],
    "lookup_during_photo": [("p99_ms", "<", 50.0)],
    "near": [("p99_ms", "<", 50.0)],
}
TITLES = {
    "floor": "GET /healthz (floor, no DB)",
    "lookup": "GET /api/v1/requests/{tn}",
    "near": "GET /api/v1/requests?near=…&radius=500",
    "near_8c": "GET /api/v1/requests?near=… at 8 connections (context)",
    "submit_json": "POST /api/v1/requests (JSON)",
    "lookup_8c": "GET /api/v1/requests/{tn} (baseline for the next line)",
    "submit_photo": "POST /api/v1/requests + one 2 MB photo",
    "lookup_during_photo": "GET /api/v1/requests/{tn} during photo POSTs",
}
EXPECTED_STATUS = {
    "floor": 200,
    "lookup": 200,
    "near": 200,
    "near_8c": 200,
    "submit_json": 201,
    "lookup_8c": 200,
    "submit_photo": 201,
    "lookup_during_photo": 200,
}


def log(message: str) -> None:
    print(message, flush=True)


class BenchError(Exception):
    pass


# -- environment -----------------------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") and os.geteuid() == 0:
        log("wrk is missing: apt-get install -y wrk")
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "wrk"], check=False, stdout=subprocess.DEVNULL
        )
        found = shutil.which("wrk")
        if not found:
            subprocess.run(["apt-get", "update", "-q"], check=False, stdout=subprocess.DEVNULL)
            subprocess.run(
                ["apt-get", "install", "-y", "-q", "wrk"], check=False, stdout=subprocess.DEVNULL
            )
            found = shutil.which("wrk")
    if not found:
        raise SystemExit(
            "bench needs wrk (https://github.com/wg/wrk): install it with "
            "`apt-get install -y wrk` (Debian/Ubuntu) or `brew install wrk` (macOS)"
        )
    return found


def machine_info() -> dict[str, Any]:
    import sqlite3
    from importlib.metadata import version

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    libs = {}
    for name in (
        "litestar",
        "msgspec",
        "piccolo",
        "uvicorn",
        "uvloop",
        "httptools",
        "asyncpg",
        "aiosqlite",
        "pillow",
    ):
        try:
            libs[name] = version(name)
        except Exception:
            libs[name] = None
    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu,
        "ram_gib": mem_gib,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "os": f"{platform.system()} {platform.release()}",
        "wrk": (wrk.stdout or wrk.stderr).split("\n")[0].strip(),
        "libraries": libs,
    }


def cpu_ticks(pid: int | None = None) -> float:
    """Seconds of CPU: of one process (utime+stime), or busy time of the whole machine."""
    hz = os.sysconf("SC_CLK_TCK")
    if pid is not None:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / hz
    parts = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    values = [int(v) for v in parts]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / hz


def source_state() -> dict[str, Any]:
    """The product code measured: HEAD and whether backend/ differs from it (edits during a run)."""
    import hashlib

    def git(*a: str) -> str:
        try:
            return subprocess.run(
                ["git", *a], cwd=ROOT, capture_output=True, text=True, timeout=30
            ).stdout
        except (OSError, subprocess.TimeoutExpired):
            return ""

    diff = git("diff", "HEAD", "--", "backend", "piccolo_conf.py")
    untracked = git("ls-files", "--others", "--exclude-standard", "--", "backend")
    return {
        "commit": git("rev-parse", "--short", "HEAD").strip() or None,
        "dirty": bool(diff.strip() or untracked.strip()),
        "fingerprint": hashlib.sha256((diff + untracked).encode()).hexdigest()[:12],
    }


def settle(max_wait: float = 45.0, busy_limit: float = 0.25) -> float:
    """Waits (bounded) until the machine is nearly idle; returns the busy cores last seen."""
    deadline = time.time() + max_wait
    while True:
        before, t = cpu_ticks(), time.time()
        time.sleep(1.0)
        busy = (cpu_ticks() - before) / (time.time() - t)
        if busy <= busy_limit or time.time() >= deadline:
            return round(busy, 2)


# -- engines ---------------------------------------------------------------------------------


@dataclass
class Engine:
    name: str
    data_dir: Path
    database_url: str | None = None
    admin_url: str | None = None
    db_name: str | None = None
    server_version: str | None = None

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(
            CITY311_DATA_DIR=str(self.data_dir),
            CITY311_SCHEDULER="off",
            # wrk is one client address: the per-client abuse limits would answer 429. Off, the
            # middleware still runs (and is measured) but counts nothing; lifting the limits to
            # 10^9/s instead made it keep every request of the last second in the client's
            # history (~1,000 timestamps re-encoded per submit: -12% to -27% submits), which a
            # real limit (60 an hour) never does.
            CITY311_RATE_LIMITS="off",
            CITY311_PUBLIC_BASE_URL="http://127.0.0.1:8077",
            PYTHONUNBUFFERED="1",
        )
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env


async def _pg(url: str, *statements: str) -> list[Any]:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        return [await conn.fetch(sql) for sql in statements]
    finally:
        await conn.close()


def prepare_engine(name: str, admin_url: str) -> Engine:
    data_dir = Path(tempfile.mkdtemp(prefix=f"city311-bench-{name}-"))
    if name == "sqlite":
        import sqlite3

        return Engine(name, data_dir, server_version=sqlite3.sqlite_version)
    if name != "postgres":
        raise SystemExit(f"unknown engine {name!r}: use sqlite and/or postgres")
    db_name = f"city311_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    base = admin_url.rsplit("/", 1)[0]
    try:
        (rows,) = asyncio.run(_pg(admin_url, "SHOW server_version"))
        asyncio.run(_pg(admin_url, f'CREATE DATABASE "{db_name}"'))
    except Exception as exc:
        shutil.rmtree(data_dir, ignore_errors=True)
        raise BenchError(f"cannot create a throwaway database through {admin_url}: {exc}") from exc
    return Engine(
        name,
        data_dir,
        database_url=f"{base}/{db_name}",
        admin_url=admin_url,
        db_name=db_name,
        server_version=rows[0][0],
    )


def drop_engine(engine: Engine, keep: bool) -> None:
    if keep:
        log(
            f"kept {engine.data_dir}"
            + (f" and database {engine.db_name}" if engine.db_name else "")
        )
        return
    if engine.db_name and engine.admin_url:
        try:
            asyncio.run(
                _pg(engine.admin_url, f'DROP DATABASE IF EXISTS "{engine.db_name}" WITH (FORCE)')
            )
        except Exception as exc:
            log(f"WARNING: could not drop database {engine.db_name}: {exc}")
    shutil.rmtree(engine.data_dir, ignore_errors=True)


def run_step(label: str, cmd: list[str], env: dict[str, str], timeout: float) -> float:
    log(f"[{label}] {' '.join(cmd)}")
    started = time.perf_counter()
    proc = subprocess.run(
        cmd,
        env=env,
        cwd=ROOT,
        timeout=timeout,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    elapsed = time.perf_counter() - started
    lines = proc.stdout.rstrip().splitlines()
    for line in lines if label == "load" else lines[-2:]:
        log(f"    {line}")
    if proc.returncode != 0:
        raise BenchError(f"{label} failed (exit {proc.returncode}):\n{proc.stdout[-3000:]}")
    log(f"    {label}: {elapsed:.1f} s")
    return elapsed


# -- server ----------------------------------------------------------------------------------


class Server:
    def __init__(self, engine: Engine, port: int) -> None:
        self.engine, self.port = engine, port
        self.base = f"http://{HOST}:{port}"
        self.log_path = engine.data_dir / "server.log"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60.0) -> float:
        if _get(f"{self.base}/healthz", timeout=0.5)[0] is not None:
            raise BenchError(f"something already answers on {self.base}: stop it first")
        cmd = [
            str(VENV_BIN / "city311"),
            "serve",
            "--host",
            HOST,
            "--port",
            str(self.port),
            "--workers",
            "1",
            "--no-access-log",
        ]
        log(f"[serve] {' '.join(cmd)}")
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            cmd,
            env=self.engine.env(),
            cwd=ROOT,
            stdout=self.log_path.open("w"),
            stderr=subprocess.STDOUT,
        )
        while time.perf_counter() - started < timeout:
            if self.proc.poll() is not None:
                raise BenchError(f"the server exited ({self.proc.returncode}):\n{self.tail()}")
            status, _ = _get(f"{self.base}/healthz", timeout=1.0)
            if status == 200:
                elapsed = time.perf_counter() - started
                log(f"    ready in {elapsed:.1f} s (pid {self.proc.pid})")
                return elapsed
            time.sleep(0.2)
        raise BenchError(f"no 200 from /healthz within {timeout:.0f} s:\n{self.tail()}")

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def rss_mib(self) -> float | None:
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
        except OSError:
            return None
        return None

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)


def _get(url: str, timeout: float = 5.0) -> tuple[int | None, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, OSError):
        return None, b""


def _post(url: str, body: bytes, content_type: str, timeout: float = 30.0) -> tuple[int, bytes]:
    req = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": content_type}
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def expect(label: str, got: tuple[int | None, bytes], status: int) -> dict[str, Any]:
    code, body = got
    if code != status:
        raise BenchError(
            f"smoke check {label}: expected HTTP {status}, got {code}: "
            f"{body[:800].decode(errors='replace')}"
        )
    return json.loads(body) if body else {}


# -- wrk -------------------------------------------------------------------------------------


@dataclass
class Measure:
    name: str
    connections: int
    duration: float
    script: str
    args: list[str] = field(default_factory=list)
    path: str = "/"
    timeout_s: float = 5.0


def wrk_cmd(wrk: str, base: str, m: Measure) -> list[str]:
    cmd = [
        wrk,
        "-t1",
        f"-c{m.connections}",
        f"-d{m.duration:g}s",
        f"--timeout={m.timeout_s:g}s",
        "--latency",
        "-s",
        str(LUA / m.script),
        base + m.path,
    ]
    if m.args:
        cmd += ["--", *m.args]
    return cmd


def parse_wrk(name: str, proc_out: str, returncode: int) -> dict[str, Any]:
    line = next((ln for ln in proc_out.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if returncode != 0 or line is None:
        raise BenchError(f"wrk ({name}) failed (exit {returncode}):\n{proc_out[-2000:]}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = raw["duration_us"] / 1e6
    lat = raw["latency_us"]
    return {
        "requests": raw["requests"],
        "seconds": round(seconds, 2),
        "rps": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": lat["p50"] / 1000,
        "p90_ms": lat["p90"] / 1000,
        "p99_ms": lat["p99"] / 1000,
        "p999_ms": lat["p999"] / 1000,
        "max_ms": lat["max"] / 1000,
        "mean_ms": round(lat["mean"] / 1000, 3),
        "errors": raw["errors"],
        "statuses": raw["statuses"],
        "bad_samples": raw["bad_samples"],
    }


def run_wrk(
    wrk: str, server: Server, measures: list[Measure], warmup: float
) -> dict[str, dict[str, Any]]:
    """Runs the measures side by side (usually one), after a short warm-up of each."""
    if warmup > 0:
        warm = [
            subprocess.Popen(
                wrk_cmd(
                    wrk,
                    server.base,
                    Measure(m.name, m.connections, warmup, m.script, m.args, m.path, m.timeout_s),
                ),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for m in measures
        ]
        for p in warm:
            p.wait(timeout=warmup + 60)
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_before, machine_before, wall_before = cpu_ticks(server.pid), cpu_ticks(), time.time()
    procs = [
        subprocess.Popen(
            wrk_cmd(wrk, server.base, m),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for m in measures
    ]
    outs = []
    for m, p in zip(measures, procs, strict=False):
        try:
            out, _ = p.communicate(timeout=m.duration + m.timeout_s + 60)
        except subprocess.TimeoutExpired:
            p.kill()
            out, _ = p.communicate()
            raise BenchError(f"wrk ({m.name}) did not finish in time") from None
        outs.append((out, p.returncode))
    wall = time.time() - wall_before
    if not server.alive():
        raise BenchError(f"the server died during {measures[0].name}:\n{server.tail()}")
    server_cpu = (cpu_ticks(server.pid) - server_before) / wall
    machine_cpu = (cpu_ticks() - machine_before) / wall
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    client_cpu = (
        (children.ru_utime - children_before.ru_utime)
        + (children.ru_stime - children_before.ru_stime)
    ) / wall
    results = {}
    for m, (out, code) in zip(measures, outs, strict=False):
        r = parse_wrk(m.name, out, code)
        r.update(
            connections=m.connections,
            server_cpu_cores=round(server_cpu, 2),
            machine_cpu_cores=round(machine_cpu, 2),
            wrk_cpu_cores=round(client_cpu, 2),
        )
        results[m.name] = r
    return results


def check_errors(name: str, r: dict[str, Any]) -> list[str]:
    problems = []
    errs = r["errors"]
    bad_sockets = {k: v for k, v in errs.items() if k != "status" and v}
    expected = str(EXPECTED_STATUS[name])
    unexpected = {s: n for s, n in r["statuses"].items() if s != expected}
    if errs["status"] or unexpected:
        problems.append(
            f"{name}: {errs['status']} responses >= 400"
            + (f", statuses {r['statuses']}" if r["statuses"] else "")
            + (f", e.g. {r['bad_samples'][:2]}" if r["bad_samples"] else "")
        )
    if bad_sockets:
        problems.append(
            f"{name}: socket errors {bad_sockets}"
            + (" (timeout: no answer within wrk's --timeout)" if "timeout" in bad_sockets else "")
        )
    if r["requests"] == 0:
        problems.append(f"{name}: no request completed")
    return problems


# -- workload files --------------------------------------------------------------------------


def write_inputs(
    work: Path, n_bodies: int, n_points: int, n_photo_bodies: int, seed: int
) -> dict[str, Any]:
    from photo import make_photo
    from workload import Workload, file_catalog

    active, questions = file_catalog()
    wl = Workload(active, questions, seed=seed)
    bodies = work / "bodies.jsonl"
    bodies.write_text(
        "".join(
            json.dumps(wl.submission().api_json(), ensure_ascii=False) + "\n"
            for _ in range(n_bodies)
        )
    )
    points = work / "points.txt"
    points.write_text("".join("{:.6f},{:.6f}\n".format(*wl.dense_point()) for _ in range(n_points)))

    started = time.perf_counter()
    photo = make_photo()
    log(
        f"    photo: 4000x3000 JPEG, {len(photo) / 1e6:.2f} MB "
        f"(made in {time.perf_counter() - started:.1f} s)"
    )
    boundary = "----city311bench" + uuid.uuid4().hex[:16]
    photo_bodies = []
    for i in range(n_photo_bodies):
        sub = wl.submission()
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="request"\r\n'
            f"Content-Type: application/json\r\n\r\n"
            f"{json.dumps(sub.api_json())}\r\n"
            f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; '
            f'filename="IMG_{4100 + i}.JPG"\r\nContent-Type: image/jpeg\r\n\r\n'
        ).encode()
        path = work / f"photo_body_{i}.bin"
        path.write_bytes(head + photo + f"\r\n--{boundary}--\r\n".encode())
        photo_bodies.append(path)
    return {
        "bodies": bodies,
        "points": points,
        "boundary": boundary,
        "photo_bodies": photo_bodies,
        "photo_bytes": len(photo),
        "first_body": bodies.read_text().split("\n", 1)[0].encode(),
        "first_point": points.read_text().split("\n", 1)[0],
    }


# -- one engine ------------------------------------------------------------------------------


def bench_engine(name: str, args: argparse.Namespace, wrk: str) -> dict[str, Any]:
    phases: dict[str, float] = {}
    t0 = time.perf_counter()
    source = source_state()
    engine = prepare_engine(name, args.pg_admin_url)
    log(
        f"\n=== {name} ({engine.server_version}) — data dir {engine.data_dir}"
        + (f", database {engine.db_name}" if engine.db_name else "")
    )
    server = Server(engine, args.port)
    problems: list[str] = []
    results: dict[str, Any] = {}
    try:
        env = engine.env()
        phases["migrate_s"] = run_step("migrate", [str(VENV_BIN / "city311"), "migrate"], env, 300)
        phases["seed_s"] = run_step("seed", [str(VENV_BIN / "city311"), "seed"], env, 300)
        summary_path = engine.data_dir / "load.json"
        phases["load_s"] = run_step(
            "load",
            [
                str(VENV_BIN / "python"),
                str(BENCH / "load_requests.py"),
                "--rows",
                str(args.rows),
                "--batch",
                str(args.batch),
                "--summary",
                str(summary_path),
            ],
            env,
            args.load_timeout,
        )
        load = json.loads(summary_path.read_text())
        if engine.database_url:
            # Steady state, as autovacuum would reach it a little later: without this, autovacuum
            # and the checkpointer run during the first measures and take CPU from the server.
            started = time.perf_counter()
            asyncio.run(_pg(engine.database_url, "VACUUM (ANALYZE)", "CHECKPOINT"))
            phases["vacuum_analyze_s"] = time.perf_counter() - started
            log(f"[vacuum] VACUUM (ANALYZE); CHECKPOINT: {phases['vacuum_analyze_s']:.1f} s")
        if len(load["prefixes"]) != 1:
            raise BenchError(f"loaded rows span several years {load['prefixes']}: rerun")
        prefix = load["prefixes"][0]
        first = int(load["first_tracking_number"].split("-")[1])
        last = int(load["last_tracking_number"].split("-")[1])
        if last - first + 1 != load["rows"]:
            raise BenchError(f"tracking numbers are not contiguous: {load}")
        log(
            f"    tracking numbers {load['first_tracking_number']} .. "
            f"{load['last_tracking_number']} (lookup script uses '{prefix}%08d')"
        )

        started = time.perf_counter()
        inputs = write_inputs(
            engine.data_dir, n_bodies=2000, n_points=2000, n_photo_bodies=8, seed=args.seed + 1
        )
        phases["inputs_s"] = time.perf_counter() - started
        phases["server_start_s"] = server.start()
        rss_start = server.rss_mib()

        # Smoke checks: each scenario's request once, with its status and shape.
        base = server.base
        expect("healthz", _get(f"{base}/healthz"), 200)
        tn = f"{prefix}{first:08d}"
        view = expect("lookup", _get(f"{base}/api/v1/requests/{tn}"), 200)
        if view.get("trackingNumber") != tn:
            raise BenchError(f"lookup of {tn} answered {view}")
        expect("lookup 404", _get(f"{base}/api/v1/requests/{prefix}{last + 1000:08d}"), 404)
        near_counts = []
        for point in inputs["points"].read_text().split()[:50]:
            page = expect("near", _get(f"{base}/api/v1/requests?near={point}&radius=500"), 200)
            near_counts.append(len(page["items"]))
        log(
            f"    near smoke: {sum(near_counts) / len(near_counts):.1f} items per page on average "
            f"(limit 20), {sum(1 for c in near_counts if c == 0)} of 50 empty"
        )

        lookup_args = [prefix, str(first), str(last)]
        d, c = args.duration, args.connections
        plan: list[list[Measure]] = [
            [Measure("floor", c, d, "floor.lua", path="/healthz")],
            [Measure("lookup", c, d, "lookup.lua", lookup_args)],
            [Measure("near", c, d, "near.lua", [str(inputs["points"]), "500"])],
            [Measure("near_8c", 8, d, "near.lua", [str(inputs["points"]), "500"])],
        ]
        if not args.skip_writes:
            # Posted rows come after the reads: the reads see exactly --rows requests.
            created = expect(
                "submit JSON",
                _post(f"{base}/api/v1/requests", inputs["first_body"], "application/json"),
                201,
            )
            log(f"    submit smoke: {created.get('trackingNumber')} {created.get('status')}")
            photo_body = inputs["photo_bodies"][0].read_bytes()
            created = expect(
                "submit photo",
                _post(
                    f"{base}/api/v1/requests",
                    photo_body,
                    f"multipart/form-data; boundary={inputs['boundary']}",
                ),
                201,
            )
            if len(created.get("photos") or []) != 1:
                raise BenchError(f"photo submit stored no photo: {created}")
            plan += [
                [Measure("submit_json", c, d, "submit_json.lua", [str(inputs["bodies"])])],
                [Measure("lookup_8c", 8, d, "lookup.lua", lookup_args)],
                [
                    Measure(
                        "submit_photo",
                        args.photo_connections,
                        d,
                        "submit_photo.lua",
                        [inputs["boundary"], *map(str, inputs["photo_bodies"])],
                        timeout_s=30.0,
                    ),
                    Measure("lookup_during_photo", 8, d, "lookup.lua", [*lookup_args, "17"]),
                ],
            ]
        for group in plan:
            names = " + ".join(f"{m.name} ({m.connections} conns)" for m in group)
            log(f"[wrk] {names}, {d:g} s")
            idle_busy = settle()
            started = time.perf_counter()
            out = run_wrk(wrk, server, group, args.warmup)
            phases[f"wrk_{group[0].name}_s"] = time.perf_counter() - started
            for m_name, r in out.items():
                r["busy_cores_before"] = idle_busy
                results[m_name] = r
                problems += check_errors(m_name, r)
                log(
                    f"    {m_name:<20} {r['rps']:>9.1f} req/s  p50 {r['p50_ms']:7.2f} ms  "
                    f"p99 {r['p99_ms']:7.2f} ms  max {r['max_ms']:7.1f} ms  "
                    f"server CPU {r['server_cpu_cores']:.2f}  machine CPU {r['machine_cpu_cores']:.2f}"
                    + (f"  ERRORS {r['errors']} {r['statuses']}" if check_errors(m_name, r) else "")
                )
        rss_end = server.rss_mib()
    finally:
        server.stop()
        drop_engine(engine, args.keep)
    phases["total_s"] = time.perf_counter() - t0
    source_after = source_state()
    if source_after != source:
        problems.append(
            f"the product code changed during the run ({source} -> {source_after}): "
            "these figures mix two versions; run again"
        )
    floor = results["floor"]["rps"]
    for r in results.values():
        r["ratio"] = round(r["rps"] / floor, 4) if floor else None
    return {
        "engine": name,
        "engine_version": engine.server_version,
        "source": source,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "rows": args.rows,
        "duration_s": args.duration,
        "connections": args.connections,
        "photo_connections": args.photo_connections,
        "warmup_s": args.warmup,
        "load": load,
        "phases_s": {k: round(v, 1) for k, v in phases.items()},
        "server_rss_mib": {"start": rss_start, "end": rss_end},
        "near_items_per_page_smoke": round(sum(near_counts) / len(near_counts), 1),
        "photo_bytes": inputs["photo_bytes"],
        "results": results,
        "verdicts": verdicts(results),
        "problems": problems,
    }


def verdicts(results: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for name, checks in TARGETS.items():
        if name not in results:
            continue
        for figure, op, target in checks:
            value = results[name][figure]
            ok = value >= target if op == ">=" else value < target
            out.append(
                {
                    "measure": name,
                    "figure": figure,
                    "value": value,
                    "op": op,
                    "target": target,
                    "pass": ok,
                }
            )
    return out


# -- report ----------------------------------------------------------------------------------


def fmt_figure(figure: str, value: float) -> str:
    if figure == "ratio":
        return f"{value:.0%}"
    if figure.endswith("_ms"):
        return f"{value:.1f} ms"
    return f"{value:,.1f}/s" if value < 100 else f"{value:,.0f}/s"


def print_summary(res: dict[str, Any]) -> None:
    log(
        f"\n--- {res['engine']} {res['engine_version']} (code {res['source']['commit']}"
        f"{'+dirty' if res['source']['dirty'] else ''}): {res['rows']:,} requests, "
        f"{res['duration_s']:g} s per measure ---"
    )
    log(
        f"{'measure':<22}{'req/s':>10}{'of floor':>10}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"
        f"{'srv CPU':>9}"
    )
    for name, r in res["results"].items():
        log(
            f"{name:<22}{r['rps']:>10,.1f}{r['ratio']:>10.1%}{r['p50_ms']:>9.2f}"
            f"{r['p99_ms']:>9.2f}{r['max_ms']:>9.1f}{r['server_cpu_cores']:>9.2f}"
        )
    for v in res["verdicts"]:
        log(
            f"  {'PASS       ' if v['pass'] else 'FALL SHORT '} {v['measure']} {v['figure']} "
            f"{fmt_figure(v['figure'], v['value'])} (target {v['op']} "
            f"{fmt_figure(v['figure'], v['target'])})"
        )
    for p in res["problems"]:
        log(f"  ERROR {p}")
    log("phases: " + ", ".join(f"{k} {v:g}" for k, v in res["phases_s"].items()))


def engine_table(res: dict[str, Any]) -> list[str]:
    checks = {(v["measure"]): [] for v in res["verdicts"]}
    for v in res["verdicts"]:
        checks[v["measure"]].append(
            f"{v['figure'].replace('_ms', '').replace('rps', 'req/s')} {v['op']} "
            f"{fmt_figure(v['figure'], v['target'])}: **{'PASS' if v['pass'] else 'FALLS SHORT'}**"
        )
    lines = [
        "| measure | conns | req/s | of floor | p50 | p99 | max | server CPU | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, r in res["results"].items():
        small = r["rps"] < 100
        rps = f"{r['rps']:,.1f}" if small else f"{r['rps']:,.0f}"
        ratio = f"{r['ratio']:.1%}" if small else f"{r['ratio']:.0%}"
        lines.append(
            f"| {TITLES.get(name, name)} | {r['connections']} | {rps} | {ratio} | "
            f"{r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms | {r['max_ms']:.0f} ms | "
            f"{r['server_cpu_cores']:.2f} | {'; '.join(checks.get(name, [])) or '—'} |"
        )
    return lines


def write_doc(machine: dict[str, Any]) -> None:
    found = {}
    for name in ("sqlite", "postgres"):
        path = RESULTS / f"{name}.json"
        if path.exists():
            found[name] = json.loads(path.read_text())
    if not found:
        return
    kept = "_Not written yet: measure, then explain every line that falls short here._"
    if DOC.exists():
        text = DOC.read_text()
        if DIAG_START in text and DIAG_END in text:
            kept = text.split(DIAG_START, 1)[1].split(DIAG_END, 1)[0].strip()
    any_res = next(iter(found.values()))
    libs = ", ".join(f"{k} {v}" for k, v in machine["libraries"].items() if v)
    out = [
        "# Benchmarks",
        "",
        "The performance targets, measured by `make bench` (`bench/run.py`) against one",
        "server process (`city311 serve --workers 1 --no-access-log`, scheduler off) holding "
        f"{any_res['rows']:,} requests.",
        "This file is rewritten by every run from `bench/results/<engine>.json`; only the diagnosis",
        "between the `diagnosis` markers is written by hand and kept.",
        "",
        "## Machine",
        "",
        f"- {machine['nproc']} cores: {machine['cpu_model']}; {machine['ram_gib']} GiB RAM; "
        f"{machine['os']}",
        f"- Python {machine['python']}, SQLite {machine['sqlite']}"
        + (
            f", PostgreSQL {found['postgres']['engine_version']} (same machine, default config)"
            if "postgres" in found
            else ""
        ),
        f"- {libs}; client {machine['wrk']}",
        "",
        "## Method",
        "",
        "- Per engine: a fresh data directory (PostgreSQL: a throwaway database, dropped after), "
        "`city311 migrate`, `city311 seed` (catalog only), then `bench/load_requests.py` submits "
        "the requests in-process through `RequestService.submit` (asyncio.gather batches of "
        f"{any_res['load']['batch']}): real types and points from `backend/demo_data/requests.csv`, "
        "jittered (σ 150 m) and kept inside the city, answers to every required question, "
        "creation times spread over this year.",
        "- The server runs on the same 2-core machine as the client: `wrk -t1` (one client "
        "thread), `--latency`, after a "
        f"{any_res['warmup_s']:g} s warm-up, {any_res['duration_s']:g} s per measure. "
        "A Lua `done()` hook reports JSON; every non-2xx answer or socket error fails the run.",
        "- floor: `GET /healthz` (a trivial Litestar JSON handler, no database), "
        f"{any_res['connections']} connections. lookup: `GET /api/v1/requests/{{tn}}` with random "
        "existing tracking numbers. near: `GET /api/v1/requests?near=lat,long&radius=500` at "
        "random real request locations (jittered). The reads run first, on exactly the loaded rows.",
        "- PostgreSQL gets `VACUUM (ANALYZE); CHECKPOINT` after the load (the state autovacuum "
        "reaches soon after; otherwise it runs during the first measures). SQLite is measured as "
        "the product leaves it (no ANALYZE). Before each measure the run waits (at most 45 s) "
        "for the machine to be idle.",
        "- submit JSON: random valid bodies (2,000 prepared: real types, points, answers). "
        "submit + photo: multipart (`request` JSON part + one `photo` part: a 4000x3000 "
        f"{any_res['photo_bytes'] / 1e6:.1f} MB JPEG with noise and EXIF GPS) at "
        f"{any_res['photo_connections']} connections, while a second wrk looks up requests at 8 "
        "connections; `lookup_8c` is the same lookup load alone, just before, as the baseline.",
        '- "server CPU" is the server process\'s CPU time over the measure in cores (1.00 = one '
        "core saturated; the event loop is one thread, so a value near 1 means the server is "
        "CPU-bound; photo work in threads can go above).",
        "",
    ]
    out += [
        "## Targets at a glance",
        "",
        "| target | " + " | ".join(PRETTY[n] for n in found) + " |",
        "| --- | " + " | ".join("---" for _ in found) + " |",
    ]
    for measure, checks in TARGETS.items():
        for figure, op, target in checks:
            cells = []
            for res in found.values():
                v = next(
                    (
                        v
                        for v in res["verdicts"]
                        if v["measure"] == measure and v["figure"] == figure
                    ),
                    None,
                )
                cells.append(
                    "—"
                    if v is None
                    else f"{fmt_figure(figure, v['value'])} "
                    f"{'PASS' if v['pass'] else '**FALLS SHORT**'}"
                )
            label = (
                f"{TITLES[measure]}: {figure.replace('_ms', '').replace('rps', 'req/s')} "
                f"{op} {fmt_figure(figure, target)}"
            )
            out.append(f"| {label} | " + " | ".join(cells) + " |")
    out.append("")
    for name, res in found.items():
        load, ph = res["load"], res["phases_s"]
        out += [
            f"## {PRETTY[name]} {res['engine_version'].split(' ')[0]} — {res['date']}, code "
            f"{res['source']['commit']}{' + uncommitted changes' if res['source']['dirty'] else ''}",
            "",
            *engine_table(res),
            "",
            f"Loading {load['rows']:,} requests through `RequestService.submit` took "
            f"{load['seconds']:,.0f} s ({load['rate_per_s']:,.0f}/s in-process); "
            f"tracking numbers {load['first_tracking_number']} .. {load['last_tracking_number']}. "
            "Phases (s): "
            + ", ".join(f"{k.removesuffix('_s')} {v:g}" for k, v in ph.items())
            + f". Server RSS {res['server_rss_mib']['start']} → {res['server_rss_mib']['end']} MiB; "
            f"a near page held {res['near_items_per_page_smoke']} items on average (limit 20).",
            "",
        ]
        if res["problems"]:
            out += ["**Errors during this run:** " + "; ".join(res["problems"]), ""]
    short = [(n, v) for n, r in found.items() for v in r["verdicts"] if not v["pass"]]
    out += ["## What falls short and why", ""]
    if short:
        out += [
            f"- {PRETTY[n]}: {TITLES[v['measure']]} "
            f"{v['figure'].replace('_ms', '').replace('rps', 'req/s')} "
            f"{fmt_figure(v['figure'], v['value'])} (target {v['op']} "
            f"{fmt_figure(v['figure'], v['target'])})"
            for n, v in short
        ]
    else:
        out += ["Every target is met on every engine measured."]
    out += ["", DIAG_START, kept, DIAG_END, ""]
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text("\n".join(out))
    log(f"wrote {DOC.relative_to(ROOT)}")


# -- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engines", default="sqlite,postgres", help="comma-separated")
    parser.add_argument("--rows", type=int, default=100_000, help="requests to load")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per measure")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per measure")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--photo-connections", type=int, default=4)
    parser.add_argument("--batch", type=int, default=50, help="loader's asyncio.gather batch")
    parser.add_argument("--seed", type=int, default=311)
    parser.add_argument("--port", type=int, default=8077)
    parser.add_argument(
        "--pg-admin-url",
        default=os.environ.get("CITY311_BENCH_PG", "postgres://postgres@127.0.0.1:5432/test"),
        help="database to connect to for CREATE/DROP DATABASE of the throwaway one",
    )
    parser.add_argument("--load-timeout", type=float, default=3600.0)
    parser.add_argument("--skip-writes", action="store_true", help="only the read measures")
    parser.add_argument("--keep", action="store_true", help="keep data dirs and databases")
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/benchmarks.md")
    args = parser.parse_args(argv)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    if not engines or any(e not in ("sqlite", "postgres") for e in engines):
        parser.error("--engines takes sqlite and/or postgres")
    if args.rows < 1 or not 1 <= args.duration <= 600:
        parser.error("--rows must be positive and --duration between 1 and 600 s")
    if not (VENV_BIN / "city311").exists():
        raise SystemExit("run `make install` first: bench needs .venv/bin/city311")
    try:
        import numpy  # noqa: F401
        import PIL  # noqa: F401
    except ImportError:
        raise SystemExit(
            "run bench/run.py with the project's venv: .venv/bin/python bench/run.py"
        ) from None
    random.seed(args.seed)
    wrk = ensure_wrk()
    machine = machine_info()
    log(
        f"machine: {machine['nproc']} x {machine['cpu_model']}, {machine['ram_gib']} GiB, "
        f"Python {machine['python']}, SQLite {machine['sqlite']}, {machine['wrk']}"
    )
    RESULTS.mkdir(exist_ok=True)
    failed = False
    all_results = []
    for name in engines:
        try:
            res = bench_engine(name, args, wrk)
        except BenchError as exc:
            log(f"\nERROR ({name}): {exc}")
            failed = True
            continue
        res["machine"] = machine
        (RESULTS / f"{name}.json").write_text(json.dumps(res, indent=2) + "\n")
        log(f"wrote {(RESULTS / f'{name}.json').relative_to(ROOT)}")
        all_results.append(res)
        failed |= bool(res["problems"])
    for res in all_results:
        print_summary(res)
    if all_results and not args.no_doc:
        write_doc(machine)
    if failed:
        log("\nFAILED: errors above (non-2xx answers, socket errors or a crashed step)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
