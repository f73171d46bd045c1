"""Status-change notifications end to end: outbox -> scheduled dispatcher -> Twilio SDK -> a fake.

    .venv/bin/python bench/notify.py                                  # sqlite and postgres
    .venv/bin/python bench/notify.py --engines sqlite --latency 20 --storm 300 --skip-pace

For each engine: a throwaway data directory / PostgreSQL database (bench/run.py's prepare_engine),
`city311 migrate`, `city311 seed` (catalog), and ONE server process (`city311 serve --workers 1`)
with its scheduler on (the dispatch job every CITY311_DISPATCH_SECONDS, default 2 s), no quiet
hours, no sender pace (CITY311_SMS_PER_SECOND=off) and a Twilio account pointed at the loopback
fake of the tests (tests/fakes/twilio_server.py, run in THIS process; every message it accepts is
stamped with time.time() here, since its date_created is whole seconds). The changes are made by a
child process (this file with --client) through the real RequestService against the same database,
so the outbox rows are written exactly as a staff member's change writes them.

  latency  --latency requests (200), one phone follower each; then one transition every
           --interval (100 ms). Per notification: from the transition's return to the fake's
           receipt of the SMS. Targets: median < 3 s, p99 < 10 s.
  storm    --storm requests (10,000) with --followers phone followers each (3: 30,000 SMS);
           then every request changes status as fast as the client can (--storm-concurrency
           tasks) while the dispatcher works, and wrk looks requests up (GET
           /api/v1/requests/{tn}, bench/lua/lookup.lua, 8 connections) for the storm's duration
           (until the last SMS arrives). Reported: SMS/s from the first to the last receipt at
           the fake, lost and duplicated messages (counted per (to, body) pair), lookup p99 during
           the storm (a short lookup run before the storm is the baseline). Targets: >= 200 SMS/s,
           none lost, none duplicated, lookup p99 < 50 ms.
  pace     a fresh server with CITY311_SMS_PER_SECOND=--pace-rate (20); --pace-count (200)
           notifications, changed at once: the achieved rate (first to last receipt) must be
           within 5% of the pace.

At the end the outbox's rows are counted per channel and status (every one should be `sent`) and
the server logs are scanned for errors (tails kept). Results: printed, and
bench/results/notify_<engine>.json. Exit status 1 when a message was lost or duplicated, a change
failed, a lookup failed, or a step crashed.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import json
import os
import resource
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

from run import (  # noqa: E402
    RESULTS,
    VENV_BIN,
    BenchError,
    Engine,
    Measure,
    Server,
    _pg,
    cpu_ticks,
    drop_engine,
    ensure_wrk,
    log,
    parse_wrk,
    prepare_engine,
    run_step,
    run_wrk,
    settle,
    source_state,
    wrk_cmd,
)

FROM_NUMBER = "+13125550000"
# Each phase texts numbers of its own (all distinct): a message tells which phase it belongs to.
PHONE_BASE = {"latency": 17732000000, "storm": 18722000000, "pace": 13122000000}
WICKER_PARK = (41.9097, -87.6776)  # tests/factories.py
READY, DONE = "NOTIFY_READY ", "NOTIFY_DONE"
ERROR_WORDS = ("ERROR", "Traceback", "Exception", "CRITICAL", "locked")


def phone(base: int, index: int) -> str:
    return f"+{base + index}"


def _in_range(to: str, base: int, count: int) -> bool:
    digits = to.lstrip("+")
    return digits.isdigit() and 0 <= int(digits) - base < count


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


# -- the client: changes through the real service (a child process) ---------------------------


async def client_main(args: argparse.Namespace) -> None:
    """Creates --count requests with --followers phone followers each, says READY, waits for a
    line on stdin, then changes every request to `open` (--interval apart, or as fast as
    --concurrency tasks can) and writes what it did to --out."""
    from backend.service_requests.models import SubmitCommand, Subscriber
    from backend.services import provide_services
    from backend.settings import load_settings

    settings = load_settings()
    if settings.quiet_hours.strip():
        raise SystemExit("the client must run with CITY311_QUIET_HOURS='' (rows would be held)")
    services = await provide_services(settings)
    requests = services.requests
    n, followers, base = args.count, args.followers, args.phone_base
    tns: list[str | None] = [None] * n
    create_errors: list[str] = []

    async def create(i: int) -> None:
        phones = [phone(base, i * followers + j) for j in range(followers)]
        try:
            result = await requests.submit(
                SubmitCommand(
                    service_code="PHF",
                    channel="sms",
                    lat=WICKER_PARK[0],
                    long=WICKER_PARK[1],
                    answers={"LOCATION": "curb_lane"},
                    subscriber=Subscriber.phone(phones[0]),
                )
            )
            tn = result.request.tracking_number
            for p in phones[1:]:
                if not await requests.follow(tn, Subscriber.phone(p), channel="sms"):
                    raise RuntimeError(f"{p} already followed {tn}")
            tns[i] = tn
        except Exception as exc:
            create_errors.append(f"{i}: {exc!r}"[:300])

    started = time.perf_counter()
    for start in range(0, n, args.batch):
        await asyncio.gather(*(create(i) for i in range(start, min(n, start + args.batch))))
    create_s = time.perf_counter() - started
    if create_errors:
        print(f"creation failed for {len(create_errors)}: {create_errors[:3]}", flush=True)
        await services.close()
        raise SystemExit(1)
    numbers = sorted(int(tn.split("-")[1]) for tn in tns)
    print(
        READY
        + json.dumps(
            {
                "created": n,
                "create_s": round(create_s, 2),
                "prefix": tns[0].split("-")[0] + "-",
                "first": numbers[0],
                "last": numbers[-1],
                "contiguous": numbers == list(range(numbers[0], numbers[0] + n)),
            }
        ),
        flush=True,
    )
    if sys.stdin.readline().strip() != "GO":
        await services.close()
        raise SystemExit("no GO from the parent")

    returned: list[float | None] = [None] * n
    call_s: list[float | None] = [None] * n
    errors: list[str] = []
    next_index = 0
    t_start = time.time()
    clock0 = time.perf_counter()

    async def change(i: int) -> None:
        t0 = time.time()
        try:
            await requests.transition(tns[i], "open", actor="bench", channel="staff")
        except Exception as exc:
            errors.append(f"{tns[i]}: {exc!r}"[:300])
            return
        t1 = time.time()
        returned[i], call_s[i] = t1, t1 - t0

    if args.interval > 0:
        for i in range(n):
            delay = clock0 + i * args.interval - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            await change(i)
    else:

        async def worker() -> None:
            nonlocal next_index
            while next_index < n:
                i, next_index = next_index, next_index + 1
                await change(i)

        await asyncio.gather(*(worker() for _ in range(args.concurrency)))
    t_end = time.time()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    Path(args.out).write_text(
        json.dumps(
            {
                "tracking_numbers": tns,
                "returned_at": returned,
                "call_s": call_s,
                "errors": errors,
                "create_s": round(create_s, 2),
                "started_at": t_start,
                "ended_at": t_end,
                "client_cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            }
        )
    )
    await services.close()
    print(DONE, flush=True)


# -- the fake Twilio, with precise receipt times -------------------------------------------------


class _Stamped(list):
    """FakeTwilio.messages, stamping each message with time.time() as the fake appends it (under
    the fake's lock, so `times[i]` is the receipt time of `self[i]`)."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []

    def append(self, item: Any) -> None:
        self.times.append(time.time())
        super().append(item)


def make_fake():
    from tests.fakes.twilio_server import FakeTwilio

    class TimedTwilio(FakeTwilio):
        def __init__(self) -> None:
            super().__init__()
            self.messages = _Stamped()
            # socketserver listens with a backlog of 5; Twilio's edge is not that small. Under a
            # burst of 8 concurrent sends (each a new connection: the fake answers HTTP/1.0) a
            # full accept queue would drop SYNs and add 1 s retransmits that are the fake's, not
            # City311's. listen() again on a listening socket only raises the backlog.
            self._server.socket.listen(256)

        def received(self, start: int = 0) -> list[tuple[float, str, str]]:
            """(receipt time, to, body) of every message from index `start` on."""
            with self._lock:
                count = len(self.messages)
                return [
                    (self.messages.times[i], self.messages[i].to, self.messages[i].body)
                    for i in range(start, count)
                ]

    return TimedTwilio()


@dataclass
class Collector:
    """Follows the fake's messages to one phase's phones (base .. base + expected - 1)."""

    fake: Any
    base: int
    expected: int
    cursor: int = 0
    first_at: dict[str, float] = field(default_factory=dict)  # phone -> first receipt time
    pairs: Counter = field(default_factory=Counter)  # (to, body) -> times received
    times: list[float] = field(default_factory=list)

    def poll(self) -> int:
        new = self.fake.received(self.cursor)
        self.cursor += len(new)
        for t, to, body in new:
            try:
                k = int(to.lstrip("+")) - self.base
            except ValueError:
                continue
            if 0 <= k < self.expected:
                self.pairs[(to, body)] += 1
                self.times.append(t)
                self.first_at.setdefault(to, t)
        return len(self.first_at)

    def wait(self, deadline_s: float, stall_s: float) -> bool:
        """Until every phone got its message (True), or no progress for stall_s / past deadline."""
        end = time.time() + deadline_s
        last_count, last_progress = self.poll(), time.time()
        while last_count < self.expected:
            time.sleep(0.05)
            count = self.poll()
            now = time.time()
            if count > last_count:
                last_count, last_progress = count, now
            elif now - last_progress > stall_s or now > end:
                return False
        return True

    def tally(self) -> dict[str, Any]:
        received = sum(self.pairs.values())
        lost = self.expected - len(self.first_at)
        duplicated = sum(c - 1 for c in self.pairs.values() if c > 1)
        # A phone follows one request and hears of one change: two bodies to it is wrong too.
        by_phone = Counter(to for to, _ in self.pairs)
        return {
            "expected": self.expected,
            "received": received,
            "lost": lost,
            "duplicated": duplicated,
            "phones_with_two_bodies": sum(1 for c in by_phone.values() if c > 1),
        }


# -- one engine ------------------------------------------------------------------------------


def with_env(engine: Engine, extra: dict[str, str]) -> Engine:
    base = engine.env
    engine.env = lambda: {**base(), **extra}  # type: ignore[method-assign]
    return engine


class Client:
    """One child process making changes (`--client`): created, READY, GO, DONE."""

    def __init__(
        self,
        env: dict[str, str],
        out: Path,
        count: int,
        followers: int,
        base: int,
        interval: float,
        concurrency: int,
        batch: int,
    ) -> None:
        self.out = out
        cmd = [
            str(VENV_BIN / "python"),
            str(Path(__file__).resolve()),
            "--client",
            "--count",
            str(count),
            "--followers",
            str(followers),
            "--phone-base",
            str(base),
            "--interval",
            str(interval),
            "--storm-concurrency",
            str(concurrency),
            "--batch",
            str(batch),
            "--out",
            str(out),
        ]
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            cmd,
            env=env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
        self.pid = self.proc.pid

    def ready(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith(READY):
                return json.loads(line.removeprefix(READY))
            self.lines.append(line.rstrip())
        self.proc.wait()
        raise BenchError(
            f"the client exited ({self.proc.returncode}) before READY:\n"
            + "\n".join(self.lines[-30:])
        )

    def go(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("GO\n")
        self.proc.stdin.flush()
        # Drain its output meanwhile (it must never block on a full pipe).
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if not line.startswith(DONE):
                self.lines.append(line.rstrip())

    def finish(self, timeout: float) -> dict[str, Any]:
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise BenchError("the client did not finish in time") from None
        self._reader.join(timeout=5)
        if self.proc.returncode != 0:
            raise BenchError(
                f"the client failed ({self.proc.returncode}):\n" + "\n".join(self.lines[-30:])
            )
        return json.loads(self.out.read_text())

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def server_log_summary(path: Path, lines: int = 40) -> dict[str, Any]:
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return {"error_lines": None, "tail": []}
    bad = [ln for ln in text if any(w in ln for w in ERROR_WORDS)]
    dispatch_sent = 0
    for ln in text:
        if "dispatch: {" in ln:
            try:
                counts = ast.literal_eval(ln.split("dispatch: ", 1)[1].strip())
                dispatch_sent += int(counts.get("sent", 0))
            except Exception:
                pass
    return {
        "lines": len(text),
        "error_lines": len(bad),
        "first_errors": bad[:10],
        "dispatch_logged_sent": dispatch_sent,
        "tail": text[-lines:],
    }


def outbox_counts(engine: Engine) -> dict[str, Any]:
    queries = {
        "by_status": "SELECT channel, status, COUNT(*) AS n FROM notification "
        "GROUP BY channel, status ORDER BY channel, status",
        "retried": "SELECT COUNT(*) AS n FROM notification WHERE attempts > 0",
        "errors": "SELECT last_error, COUNT(*) AS n FROM notification "
        "WHERE last_error IS NOT NULL GROUP BY last_error ORDER BY n DESC LIMIT 5",
    }
    if engine.database_url:
        res = asyncio.run(_pg(engine.database_url, *queries.values()))
        rows = {k: [tuple(r) for r in v] for k, v in zip(queries, res, strict=True)}
    else:
        db = sqlite3.connect(engine.data_dir / "city311.sqlite")
        try:
            rows = {k: db.execute(q).fetchall() for k, q in queries.items()}
        finally:
            db.close()
    return {
        "by_status": {f"{c}/{s}": n for c, s, n in rows["by_status"]},
        "rows_with_attempts": rows["retried"][0][0],
        "last_errors": {str(e)[:200]: n for e, n in rows["errors"]},
    }


def latency_phase(
    args: argparse.Namespace, engine: Engine, client_env: dict[str, str], fake: Any
) -> dict[str, Any]:
    n = args.latency
    log(
        f"[latency] {n} requests, 1 phone follower each; a change every {args.interval * 1000:g} ms"
    )
    collector = Collector(fake, PHONE_BASE["latency"], n)
    collector.poll()
    client = Client(
        client_env,
        engine.data_dir / "latency.json",
        n,
        1,
        PHONE_BASE["latency"],
        args.interval,
        1,
        args.batch,
    )
    try:
        created = client.ready()
        log(f"    created in {created['create_s']:.1f} s")
        client.go()
        out = client.finish(timeout=n * args.interval + 300)
    finally:
        client.kill()
    complete = collector.wait(deadline_s=120, stall_s=30)
    returned = {
        phone(PHONE_BASE["latency"], i): t
        for i, t in enumerate(out["returned_at"])
        if t is not None
    }
    latencies = sorted(
        collector.first_at[p] - t for p, t in returned.items() if p in collector.first_at
    )
    time.sleep(args.grace)
    collector.poll()
    calls = [c for c in out["call_s"] if c is not None]
    result: dict[str, Any] = {
        "requests": n,
        "interval_s": args.interval,
        "complete": complete,
        "change_errors": len(out["errors"]),
        "change_error_samples": out["errors"][:3],
        "change_call_ms_p50": round(statistics.median(calls) * 1000, 2) if calls else None,
        "change_call_ms_max": round(max(calls) * 1000, 2) if calls else None,
        **collector.tally(),
    }
    if latencies:
        result.update(
            median_s=round(statistics.median(latencies), 3),
            p90_s=round(pct(latencies, 90), 3),
            p99_s=round(pct(latencies, 99), 3),
            max_s=round(latencies[-1], 3),
            min_s=round(latencies[0], 3),
        )
    log(
        "    latency "
        + (
            f"median {result['median_s']:.2f} s, p90 {result['p90_s']:.2f} s, "
            f"p99 {result['p99_s']:.2f} s, max {result['max_s']:.2f} s; "
            if latencies
            else "none measured; "
        )
        + f"received {result['received']}/{n}, lost {result['lost']}, "
        f"duplicated {result['duplicated']}, change errors {result['change_errors']}"
    )
    return result


def storm_phase(
    args: argparse.Namespace,
    engine: Engine,
    client_env: dict[str, str],
    fake: Any,
    server: Server,
    wrk: str,
) -> dict[str, Any]:
    n, f = args.storm, args.followers
    expected = n * f
    log(f"[storm] {n} requests x {f} phone followers = {expected} SMS")
    collector = Collector(fake, PHONE_BASE["storm"], expected)
    collector.poll()
    client = Client(
        client_env,
        engine.data_dir / "storm.json",
        n,
        f,
        PHONE_BASE["storm"],
        0.0,
        args.storm_concurrency,
        args.batch,
    )
    wrk_proc: subprocess.Popen | None = None
    try:
        created = client.ready()
        log(f"    created in {created['create_s']:.1f} s (submits and follows through the service)")
        # The lookups need the range of the storm's tracking numbers: they are contiguous (no
        # one else submits meanwhile); read them from the database.
        if not created["contiguous"]:
            raise BenchError(f"the storm's tracking numbers are not contiguous: {created}")
        lookup_args = [created["prefix"], str(created["first"]), str(created["last"])]
        baseline = None
        if args.baseline > 0 and args.lookup_connections > 0:
            settle(max_wait=args.settle)
            base_res = run_wrk(
                wrk,
                server,
                [
                    Measure(
                        "lookup_before",
                        args.lookup_connections,
                        args.baseline,
                        "lookup.lua",
                        lookup_args,
                    )
                ],
                warmup=1.0,
            )["lookup_before"]
            baseline = base_res
            log(
                f"    lookups before the storm: {base_res['rps']:,.0f}/s, "
                f"p50 {base_res['p50_ms']:.2f} ms, p99 {base_res['p99_ms']:.2f} ms"
            )
        busy = settle(max_wait=args.settle)
        measure = Measure(
            "lookup_during_storm", args.lookup_connections, 3600, "lookup.lua", lookup_args
        )
        # CPU of each party over the storm, in cores: this process is the fake Twilio.
        pids = {"server": server.pid, "client": client.pid}
        if args.lookup_connections > 0:  # 0: no lookups (to see the dispatcher alone)
            wrk_proc = subprocess.Popen(
                wrk_cmd(wrk, server.base, measure),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            pids["wrk"] = wrk_proc.pid
        cpu0 = {k: cpu_ticks(pid) for k, pid in pids.items()}
        cpu0["fake"], cpu0["machine"] = cpu_ticks(os.getpid()), cpu_ticks()
        wall0 = time.time()
        client.go()
        complete = collector.wait(deadline_s=args.storm_timeout, stall_s=args.stall)
        wall1 = time.time()
        cpu1 = {k: cpu_ticks(pid) for k, pid in pids.items()}
        cpu1["fake"], cpu1["machine"] = cpu_ticks(os.getpid()), cpu_ticks()
        cpu = {k: round((cpu1[k] - cpu0[k]) / (wall1 - wall0), 2) for k in cpu0}
        lookups = None
        if wrk_proc is not None:
            wrk_proc.send_signal(signal.SIGINT)
            wrk_out, _ = wrk_proc.communicate(timeout=30)
            lookups = parse_wrk(measure.name, wrk_out, wrk_proc.returncode)
            lookups["connections"] = args.lookup_connections
            wrk_proc = None
        out = client.finish(timeout=300)
    finally:
        if wrk_proc is not None and wrk_proc.poll() is None:
            wrk_proc.kill()
            wrk_proc.wait()
        client.kill()
    if not server.alive():
        raise BenchError(f"the server died during the storm:\n{server.tail()}")
    time.sleep(args.grace)
    collector.poll()
    tally = collector.tally()
    times = sorted(collector.times)
    spread = times[-1] - times[0] if len(times) > 1 else 0.0
    changes_s = out["ended_at"] - out["started_at"]
    result: dict[str, Any] = {
        "requests": n,
        "followers": f,
        "complete": complete,
        "busy_cores_before": busy,
        "change_errors": len(out["errors"]),
        "change_error_samples": out["errors"][:3],
        "changes_s": round(changes_s, 2),
        "changes_per_s": round(n / changes_s, 1) if changes_s else None,
        "client_cpu_s": out["client_cpu_s"],
        "first_receipt_after_go_s": round(times[0] - out["started_at"], 3) if times else None,
        "last_receipt_after_go_s": round(times[-1] - out["started_at"], 3) if times else None,
        "first_to_last_s": round(spread, 2),
        "sms_per_s": round((len(times) - 1) / spread, 1) if spread else None,
        "sms_per_s_from_go": round(len(times) / (times[-1] - out["started_at"]), 1)
        if times
        else None,
        "cpu_cores": cpu,
        "lookups": lookups,
        "lookups_before": baseline,
        **tally,
    }
    log(
        f"    {result['sms_per_s']} SMS/s first to last receipt ({spread:.1f} s; "
        f"{result['sms_per_s_from_go']}/s counting from the first change), changes "
        f"{result['changes_per_s']}/s, received {tally['received']}/{expected}, lost "
        f"{tally['lost']}, duplicated {tally['duplicated']}; "
        + (
            f"lookups {lookups['rps']:,.0f}/s p99 {lookups['p99_ms']:.1f} ms "
            f"(errors {lookups['errors']}); "
            if lookups
            else "no lookups; "
        )
        + f"CPU cores {cpu}"
    )
    return result


def pace_phase(
    args: argparse.Namespace, engine: Engine, client_env: dict[str, str], fake: Any
) -> dict[str, Any]:
    n = args.pace_count
    log(f"[pace] CITY311_SMS_PER_SECOND={args.pace_rate:g}: {n} notifications changed at once")
    collector = Collector(fake, PHONE_BASE["pace"], n)
    collector.poll()
    client = Client(
        client_env,
        engine.data_dir / "pace.json",
        n,
        1,
        PHONE_BASE["pace"],
        0.0,
        args.storm_concurrency,
        args.batch,
    )
    try:
        client.ready()
        client.go()
        out = client.finish(timeout=300)
    finally:
        client.kill()
    complete = collector.wait(deadline_s=n / args.pace_rate * 3 + 60, stall_s=30)
    time.sleep(args.grace)
    collector.poll()
    times = sorted(collector.times)
    spread = times[-1] - times[0] if len(times) > 1 else 0.0
    rate = (len(times) - 1) / spread if spread else None
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    result = {
        "pace_per_s": args.pace_rate,
        "notifications": n,
        "complete": complete,
        "change_errors": len(out["errors"]),
        "first_to_last_s": round(spread, 2),
        "achieved_per_s": round(rate, 2) if rate else None,
        "deviation": round(rate / args.pace_rate - 1, 4) if rate else None,
        "gap_ms_p50": round(statistics.median(gaps) * 1000, 1) if gaps else None,
        "gap_ms_max": round(max(gaps) * 1000, 1) if gaps else None,
        **collector.tally(),
    }
    log(
        f"    achieved {result['achieved_per_s']}/s over {spread:.1f} s (target "
        f"{args.pace_rate:g}/s ± 5%), gap p50 {result['gap_ms_p50']} ms max "
        f"{result['gap_ms_max']} ms, received {result['received']}/{n}, lost {result['lost']}, "
        f"duplicated {result['duplicated']}"
    )
    return result


def verdicts(res: dict[str, Any], pace_rate: float) -> list[dict[str, Any]]:
    checks = []

    def add(measure: str, figure: str, value: Any, op: str, target: float) -> None:
        if value is None:
            ok = False
        elif op == "<":
            ok = value < target
        elif op == ">=":
            ok = value >= target
        elif op == "==":
            ok = value == target
        else:  # "within": |value| <= target
            ok = abs(value) <= target
        checks.append(
            {
                "measure": measure,
                "figure": figure,
                "value": value,
                "op": op,
                "target": target,
                "pass": ok,
            }
        )

    if lat := res.get("latency"):
        add("latency", "median_s", lat.get("median_s"), "<", 3.0)
        add("latency", "p99_s", lat.get("p99_s"), "<", 10.0)
        add("latency", "lost", lat["lost"], "==", 0)
        add("latency", "duplicated", lat["duplicated"], "==", 0)
    if st := res.get("storm"):
        add("storm", "sms_per_s", st.get("sms_per_s"), ">=", 200.0)
        add("storm", "lost", st["lost"], "==", 0)
        add("storm", "duplicated", st["duplicated"], "==", 0)
        if st["lookups"]:
            add("storm", "lookup_p99_ms", st["lookups"]["p99_ms"], "<", 50.0)
    if pa := res.get("pace"):
        add("pace", "deviation", pa.get("deviation"), "within", 0.05)
        add("pace", "lost", pa["lost"], "==", 0)
        add("pace", "duplicated", pa["duplicated"], "==", 0)
    return checks


def bench_engine(name: str, args: argparse.Namespace, wrk: str) -> dict[str, Any]:
    t0 = time.perf_counter()
    source = source_state()
    engine = prepare_engine(name, args.pg_admin_url)
    log(
        f"\n=== {name} ({engine.server_version}) — data dir {engine.data_dir}"
        + (f", database {engine.db_name}" if engine.db_name else "")
    )
    fake = make_fake()
    base_env = engine.env()
    # The client writes the outbox rows: it must see no quiet hours either.
    client_env = {**base_env, "CITY311_QUIET_HOURS": ""}
    server_extra = {
        "CITY311_SCHEDULER": "on",
        "CITY311_QUIET_HOURS": "",
        "CITY311_SMS_PER_SECOND": "off",
        "TWILIO_ACCOUNT_SID": fake.account_sid,
        "TWILIO_AUTH_TOKEN": fake.auth_token,
        "TWILIO_FROM_NUMBER": FROM_NUMBER,
        "TWILIO_API_BASE_URL": fake.base_url,
    }
    if args.dispatch_seconds:
        server_extra["CITY311_DISPATCH_SECONDS"] = str(args.dispatch_seconds)
    with_env(engine, server_extra)
    server = Server(engine, args.port)
    problems: list[str] = []
    res: dict[str, Any] = {
        "engine": name,
        "engine_version": engine.server_version,
        "source": source,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "dispatch_seconds": args.dispatch_seconds or 2.0,
    }
    pace_server: Server | None = None
    try:
        run_step("migrate", [str(VENV_BIN / "city311"), "migrate"], base_env, 300)
        run_step("seed", [str(VENV_BIN / "city311"), "seed"], base_env, 300)
        server.start()
        if args.latency:
            res["latency"] = latency_phase(args, engine, client_env, fake)
        if args.storm:
            res["storm"] = storm_phase(args, engine, client_env, fake, server, wrk)
        server.stop()
        res["server_log"] = server_log_summary(server.log_path)
        if not args.skip_pace:
            with_env(engine, {"CITY311_SMS_PER_SECOND": f"{args.pace_rate:g}"})
            pace_server = Server(engine, args.port)
            pace_server.log_path = engine.data_dir / "server_pace.log"
            pace_server.start()
            res["pace"] = pace_phase(args, engine, client_env, fake)
            pace_server.stop()
            res["pace_server_log"] = server_log_summary(pace_server.log_path)
        res["outbox"] = outbox_counts(engine)
        res["fake"] = {"messages": len(fake.messages), "requests": len(fake.requests)}
        # Every message the fake got, all phases: anything twice, or to a number no one follows?
        pairs = Counter((m.to, m.body) for m in list(fake.messages))
        res["fake"]["duplicated_pairs_all_phases"] = sum(c - 1 for c in pairs.values() if c > 1)
        known = (
            (PHONE_BASE["latency"], args.latency),
            (PHONE_BASE["storm"], args.storm * args.followers),
            (PHONE_BASE["pace"], 0 if args.skip_pace else args.pace_count),
        )
        res["fake"]["unexpected_recipients"] = sum(
            1 for to, _ in pairs if not any(_in_range(to, b, k) for b, k in known)
        )
    except BenchError as exc:
        problems.append(str(exc))
        log(f"ERROR ({name}): {exc}")
    finally:
        server.stop()
        if pace_server is not None:
            pace_server.stop()
        for key, srv in (("server_log", server), ("pace_server_log", pace_server)):
            if srv is not None and key not in res:
                res[key] = server_log_summary(srv.log_path)
        fake.close()
        drop_engine(engine, args.keep)
    for phase in ("latency", "storm", "pace"):
        r = res.get(phase)
        if not r:
            continue
        if r["lost"] or r["duplicated"]:
            problems.append(f"{phase}: {r['lost']} lost, {r['duplicated']} duplicated")
        if r["change_errors"]:
            problems.append(f"{phase}: {r['change_errors']} changes failed")
        if not r["complete"]:
            problems.append(f"{phase}: not every message arrived before the wait ended")
    if (st := res.get("storm")) and (lk := st["lookups"]):
        bad = {k: v for k, v in lk["errors"].items() if v}
        if bad or lk["requests"] == 0:
            problems.append(f"storm lookups: errors {lk['errors']}, {lk['requests']} requests")
    if fk := res.get("fake"):
        if fk["duplicated_pairs_all_phases"] or fk["unexpected_recipients"]:
            problems.append(f"the fake saw duplicates or strangers: {fk}")
    for key in ("server_log", "pace_server_log"):
        if (sl := res.get(key)) and sl.get("error_lines"):
            problems.append(
                f"{key}: {sl['error_lines']} error lines, e.g. {sl['first_errors'][:2]}"
            )
    if source_state() != source:
        problems.append("the product code changed during the run: these figures mix versions")
    res["verdicts"] = verdicts(res, args.pace_rate)
    res["problems"] = problems
    res["total_s"] = round(time.perf_counter() - t0, 1)
    res["options"] = {
        k: getattr(args, k)
        for k in (
            "latency",
            "interval",
            "storm",
            "followers",
            "storm_concurrency",
            "lookup_connections",
            "pace_count",
            "pace_rate",
            "skip_pace",
        )
    }
    return res


def print_summary(res: dict[str, Any]) -> None:
    src = res["source"]
    log(
        f"\n--- notifications, {res['engine']} {res['engine_version']} (code {src['commit']}"
        f"{'+dirty' if src['dirty'] else ''}), dispatch every {res['dispatch_seconds']:g} s ---"
    )
    rows: list[tuple[str, str]] = []
    if lat := res.get("latency"):
        if "median_s" in lat:
            rows.append(
                (
                    f"latency ({lat['requests']} changes, {lat['interval_s'] * 1000:g} ms apart)",
                    f"median {lat['median_s']:.2f} s  p90 {lat['p90_s']:.2f} s  "
                    f"p99 {lat['p99_s']:.2f} s  max {lat['max_s']:.2f} s",
                )
            )
        rows.append(
            (
                "latency delivery",
                f"{lat['received']}/{lat['expected']} received, "
                f"lost {lat['lost']}, duplicated {lat['duplicated']}",
            )
        )
    if st := res.get("storm"):
        lk = st["lookups"]
        rows += [
            (
                f"storm ({st['requests']:,} x {st['followers']} followers)",
                f"{st['sms_per_s']} SMS/s first to last receipt ({st['first_to_last_s']} s); "
                f"{st['sms_per_s_from_go']}/s from the first change",
            ),
            (
                "storm delivery",
                f"{st['received']:,}/{st['expected']:,} received, lost {st['lost']}, "
                f"duplicated {st['duplicated']}",
            ),
            (
                "storm changes",
                f"{st['changes_per_s']}/s ({st['changes_s']} s), errors {st['change_errors']}",
            ),
        ]
        if lk:
            rows.append(
                (
                    f"lookups during storm ({lk['connections']}c)",
                    f"{lk['rps']:,.0f}/s  p50 {lk['p50_ms']:.2f} ms  p99 {lk['p99_ms']:.2f} ms  "
                    f"max {lk['max_ms']:.1f} ms",
                )
            )
        if lb := st.get("lookups_before"):
            rows.append(
                (
                    "lookups before storm",
                    f"{lb['rps']:,.0f}/s  p50 {lb['p50_ms']:.2f} ms  p99 {lb['p99_ms']:.2f} ms",
                )
            )
        cpu = ", ".join(f"{k} {v:.2f}" for k, v in st["cpu_cores"].items())
        rows.append(("CPU cores during storm", cpu))
    if pa := res.get("pace"):
        rows.append(
            (
                f"pace {pa['pace_per_s']:g}/s ({pa['notifications']} SMS)",
                f"achieved {pa['achieved_per_s']}/s ({pa['deviation']:+.1%}), "
                f"lost {pa['lost']}, duplicated {pa['duplicated']}",
            )
        )
    if ob := res.get("outbox"):
        rows.append(("outbox rows", ", ".join(f"{k} {v}" for k, v in ob["by_status"].items())))
    width = max(len(a) for a, _ in rows) if rows else 10
    for a, b in rows:
        log(f"{a:<{width}}  {b}")
    for v in res["verdicts"]:
        log(
            f"  {'PASS       ' if v['pass'] else 'FALL SHORT '} {v['measure']} {v['figure']} "
            f"{v['value']} (target {v['op']} {v['target']})"
        )
    for p in res["problems"]:
        log(f"  ERROR {p}")
    for key in ("server_log", "pace_server_log"):
        if sl := res.get(key):
            log(f"  {key}: {sl.get('lines')} lines, {sl.get('error_lines')} error lines")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engines", default="sqlite,postgres", help="comma-separated")
    parser.add_argument("--latency", type=int, default=200, help="changes timed one by one")
    parser.add_argument("--interval", type=float, default=0.1, help="seconds between them")
    parser.add_argument("--storm", type=int, default=10_000, help="requests changed at once")
    parser.add_argument("--followers", type=int, default=3, help="phone followers per request")
    parser.add_argument("--storm-concurrency", type=int, default=8, help="client change tasks")
    parser.add_argument(
        "--lookup-connections", type=int, default=8, help="wrk during the storm (0: none)"
    )
    parser.add_argument("--baseline", type=float, default=5.0, help="s of lookups before (0: none)")
    parser.add_argument("--skip-pace", action="store_true")
    parser.add_argument("--pace-count", type=int, default=200)
    parser.add_argument("--pace-rate", type=float, default=20.0)
    parser.add_argument("--dispatch-seconds", type=float, default=None, help="default: the app's")
    parser.add_argument("--grace", type=float, default=5.0, help="s to wait for late duplicates")
    parser.add_argument("--stall", type=float, default=60.0, help="s without a message: give up")
    parser.add_argument("--storm-timeout", type=float, default=1800.0)
    parser.add_argument("--settle", type=float, default=20.0, help="max wait for an idle machine")
    parser.add_argument("--batch", type=int, default=50, help="client's creation gather batch")
    parser.add_argument("--port", type=int, default=8079)
    parser.add_argument(
        "--pg-admin-url",
        default=os.environ.get("CITY311_BENCH_PG", "postgres://postgres@127.0.0.1:5432/test"),
    )
    parser.add_argument("--keep", action="store_true", help="keep data dirs and databases")
    # the child process
    parser.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--phone-base", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.client:
        args.concurrency = args.storm_concurrency
        asyncio.run(client_main(args))
        return 0
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    if not engines or any(e not in ("sqlite", "postgres") for e in engines):
        parser.error("--engines takes sqlite and/or postgres")
    if not (VENV_BIN / "city311").exists():
        raise SystemExit("run `make install` first: the bench needs .venv/bin/city311")
    wrk = ensure_wrk()
    RESULTS.mkdir(exist_ok=True)
    failed = False
    done = []
    for name in engines:
        res = bench_engine(name, args, wrk)
        path = RESULTS / f"notify_{name}.json"
        path.write_text(json.dumps(res, indent=2, default=str) + "\n")
        log(f"wrote {path.relative_to(ROOT)}")
        done.append(res)
        failed |= bool(res["problems"])
    for res in done:
        print_summary(res)
    if failed:
        log("\nFAILED: messages lost or duplicated, changes or lookups failed, or a step crashed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
