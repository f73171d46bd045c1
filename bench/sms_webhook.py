"""The SMS bot's webhook under load (target: p99 < 100 ms at 20 concurrent conversations).

    .venv/bin/python bench/sms_webhook.py                          # sqlite and postgres, 20 s
    .venv/bin/python bench/sms_webhook.py --engines sqlite --duration 5

For each engine: a throwaway data directory / PostgreSQL database (bench/run.py's prepare_engine),
`city311 migrate`, `city311 seed` (catalog), optionally --rows requests loaded like bench/run.py,
then ONE server process (`city311 serve --workers 1`, scheduler off) started with a test Twilio
account (TWILIO_AUTH_TOKEN, TWILIO_ACCOUNT_SID, TWILIO_FROM_NUMBER) and CITY311_PUBLIC_BASE_URL set
to the server's own address, so that the signatures the client computes are the ones it checks.

The client (this process: asyncio + httpx, uvloop when installed) runs --conversations workers.
Each loops over whole conversations, by default sending the next message as soon as the reply
arrives (a closed loop: 20 messages always in flight, the server's worst case; --think adds a
resident's pause between messages). Every conversation texts from a fresh phone number (the bot
allows 20 messages per number in 10 minutes): reports in English, Spanish, Polish and Chinese at
real Chicago addresses and corners (tests/sms/data/places.csv, those the parser places inside the
city), a report that starts vague ("garbage") and is led through type, address, confirmation and
two questions, STATUS (alone and with a tracking number filed earlier), HELP and an emergency.
Every message is POSTed to /sms/twilio/inbound as Twilio does it (form-encoded, a new MessageSid,
X-Twilio-Signature computed right then by the SDK's RequestValidator). Every answer must be a 200
TwiML with a <Message>; a report must end with the bot's "filed" reply carrying a tracking number
(when the bot offers to follow a similar open request nearby, the conversation answers NEW and it
must file then). Any other answer is a failure: the run exits 1 after writing the results.

Measured after a warm-up: messages/s, latency p50/p90/p99/max (also per kind of message), the
conversations completed, the requests filed (checked against the database), and the CPU of the
server and of the client (from /proc): when the client burns more CPU than the server, the client
is the bottleneck on this machine and the figures say more about it than about the server. The
server's time waiting for a core between its turns (/proc/<pid>/task/*/schedstat): on a machine
whose cores other work keeps busy, that wait, not the server's own work, makes the tail. The
parser alone (sms.channel.parser().parse over tests/sms/data/texts.jsonl, one core) is timed too.
Results: printed, and bench/results/sms_webhook_<engine>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import itertools
import json
import os
import platform
import random
import re
import resource
import sqlite3
import subprocess
import sys
import time
import uuid
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

from run import (  # noqa: E402
    RESULTS,
    VENV_BIN,
    BenchError,
    Engine,
    Server,
    _get,
    _pg,
    cpu_ticks,
    drop_engine,
    log,
    prepare_engine,
    run_step,
    settle,
)

PATH = "/sms/twilio/inbound"
TARGET_P99_MS = 100.0
CITY_NUMBER = "+13125550000"
AUTH_TOKEN = "b311" + "0" * 24 + "cafe"  # a test token: 32 hex digits, like Twilio's
ACCOUNT_SID = "AC" + "5" * 30 + "11"
PLACES = ROOT / "tests" / "sms" / "data" / "places.csv"
TEXTS = ROOT / "tests" / "sms" / "data" / "texts.jsonl"
TRACKING = re.compile(r"\bSR\d{2}-\d+")
LANGUAGES = ("en", "es", "pl", "zh")
NEW_WORD = {"en": "NEW", "es": "NUEVO", "pl": "NOWE", "zh": "新"}


# -- what the bot says (its templates as patterns, to tell a filed report from an offer) -----


def _patterns(*keys: str) -> re.Pattern[str]:
    """The replies `keys` in every language as one pattern (each {placeholder} matches anything)."""
    from string import Formatter

    from backend.i18n.messages import say

    alternatives = set()
    for lang, key in ((lang, key) for lang in LANGUAGES for key in keys):
        template = say(lang, key)  # no values: the template itself
        alternatives.add(
            "".join(
                re.escape(literal) + ("(?:.*?)" if name is not None else "")
                for literal, name, _, _ in Formatter().parse(template)
            )
        )
    return re.compile("|".join(f"(?:{a})" for a in sorted(alternatives)), re.DOTALL)


@dataclass(frozen=True)
class Replies:
    patterns: dict[str, re.Pattern[str]]

    @classmethod
    def load(cls) -> Replies:
        keys = {"filed": ("filed",), "offer": ("offer_follow", "offer_follow_place"),
                "not_filed": ("not_filed",), "too_fast": ("too_fast",)}  # fmt: skip
        return cls({name: _patterns(*key) for name, key in keys.items()})

    def kind(self, text: str) -> str:
        for name, pattern in self.patterns.items():
            if pattern.fullmatch(text.strip()):
                return name
        return "other"


# -- conversations --------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    text: str
    kind: str  # a label for per-kind latency: report, confirm, answer, file, status, …
    expect: str | None = "message"  # "message", "filed", "911", or None (an empty <Response/>)


@dataclass(frozen=True)
class Scenario:
    name: str
    language: str
    steps: tuple[Step, ...]

    @property
    def files(self) -> bool:
        return any(s.expect == "filed" for s in self.steps)


class Places:
    """Real addresses and corners from the parser's test fixtures, kept only where the parser
    places them with confidence inside the city (so each dialog takes its scripted path)."""

    def __init__(self) -> None:
        from backend.geo.city import city_map
        from backend.geo.geocoder import MIN_CONFIDENCE
        from sms.channel import parser

        p, city = parser(), city_map()

        def good(loc) -> bool:
            return bool(
                loc is not None
                and loc.found
                and loc.confidence >= MIN_CONFIDENCE
                and not (loc.candidates and len(loc.candidates) > 1)
                and city.contains(loc.lat, loc.long)
            )

        rows = list(csv.DictReader(PLACES.open(encoding="utf-8")))

        def placed(text: str) -> bool:
            r = p.parse(text)
            return r.intent == "report" and bool(r.service_code) and good(r.location)

        self.addresses = [
            a
            for a in (_title(r["place"]) for r in rows if r["kind"] == "address")
            if all(placed(t.format(a)) for t in ADDRESS_TEMPLATES)
            and good(p.find_place(a.lower())[1])  # the guided dialog's reply to "Where is it?"
        ]
        self.corners = [
            (r["a"], r["b"])
            for r in rows
            if r["kind"] == "intersection" and placed(CORNER_TEMPLATE.format(r["a"], r["b"]))
        ]
        self.dropped = (
            sum(1 for r in rows if r["kind"] == "address") - len(self.addresses),
            sum(1 for r in rows if r["kind"] == "intersection") - len(self.corners),
        )
        if len(self.addresses) < 50 or len(self.corners) < 50:
            raise BenchError(
                f"the parser places only {len(self.addresses)} addresses and "
                f"{len(self.corners)} corners of {PLACES.name}: the dialogs would go off-script"
            )


def _title(address: str) -> str:
    """'1845 W CORTLAND ST' -> '1845 W Cortland St' (as people text it)."""
    return " ".join(w if len(w) == 1 or w[0].isdigit() else w.capitalize() for w in address.split())


ADDRESS_TEMPLATES = (
    "rats all over the alley behind {}",
    "hay un bache muy hondo en {}",
    "垃圾没有收 {}",
)
CORNER_TEMPLATE = "latarnia nie świeci na rogu {} i {}"


def make_conversation(rng: random.Random, places: Places, filed: list[str]) -> Scenario:
    """One conversation, chosen evenly among the kinds below, at a random real place."""
    address = rng.choice(places.addresses)
    pick = rng.randrange(9)
    if pick == 0:
        return Scenario("report_en", "en", (
            Step(ADDRESS_TEMPLATES[0].format(address), "report"),
            Step("yes", "confirm"),
            Step("skip", "file", "filed"),
        ))  # fmt: skip
    if pick == 1:
        return Scenario("report_es", "es", (
            Step(ADDRESS_TEMPLATES[1].format(address), "report"),
            Step("si", "confirm"),
            Step("2", "answer"),
            Step("omitir", "file", "filed"),
        ))  # fmt: skip
    if pick == 2:
        a, b = rng.choice(places.corners)
        return Scenario("report_pl", "pl", (
            Step(CORNER_TEMPLATE.format(a, b), "report"),
            Step("tak", "confirm"),
            Step("1", "answer"),
            Step("pomiń", "file", "filed"),
        ))  # fmt: skip
    if pick == 3:
        return Scenario("report_zh", "zh", (
            Step(ADDRESS_TEMPLATES[2].format(address), "report"),
            Step("是", "confirm"),
            Step("1", "answer"),
            Step("跳过", "file", "filed"),
        ))  # fmt: skip
    if pick == 4:
        return Scenario("status", "en", (Step("STATUS", "status"),))
    if pick == 5:
        return Scenario("guided_en", "en", (
            Step("garbage", "report"),
            Step("2", "choose"),
            Step(address.lower(), "address"),
            Step("yes", "confirm"),
            Step("1", "answer"),
            Step("2", "answer"),
            Step("skip", "file", "filed"),
        ))  # fmt: skip
    if pick == 6:
        return Scenario("help", "en", (Step("HELP", "help"),))
    if pick == 7:
        return Scenario("emergency", "en", (Step("my house is on fire", "emergency", "911"),))
    number = rng.choice(filed) if filed else None
    text = f"STATUS {number}" if number else "STATUS"
    return Scenario("status_tn", "en", (Step(text, "status"),))


def phones():
    """Fresh E.164 numbers in the fictional 555-01xx..555-99xx range of a few Chicago area
    codes: one per conversation (the city's own +13125550000 is never used)."""
    for area in itertools.cycle((312, 773, 872, 708, 630, 847, 224, 331, 779, 815)):
        for n in range(100, 10_000):
            yield f"+1{area}555{n:04d}"


# -- the client ----------------------------------------------------------------------------


@dataclass
class Stats:
    latencies_ms: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)
    failure_samples: list[dict[str, Any]] = field(default_factory=list)
    slowest: list[tuple[float, str, str, str]] = field(default_factory=list)  # ms, kind, sc, text
    conversations: Counter = field(default_factory=Counter)
    conversations_done: int = 0
    filed: int = 0
    offers: int = 0
    messages: int = 0

    def fail(self, what: str, sample: dict[str, Any]) -> None:
        self.failures[what] += 1
        if len(self.failure_samples) < 12:
            self.failure_samples.append({"failure": what, **sample})


def _message(body: bytes) -> str | None:
    """The TwiML's <Message> text ('' for an empty <Response/>); None when it is not TwiML."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return None
    if root.tag != "Response":
        return None
    return "".join("".join(m.itertext()) for m in root.iter("Message"))


class Client:
    def __init__(self, base: str, places: Places, seed: int, think: float = 0.0) -> None:
        from twilio.request_validator import RequestValidator

        self.base, self.url = base, base + PATH
        self.validator = RequestValidator(AUTH_TOKEN)
        self.places = places
        self.replies = Replies.load()
        self.phones = phones()
        self.filed_numbers: list[str] = []
        self.seed, self.think = seed, think

    def params(self, phone: str, body: str) -> dict[str, str]:
        sid = "SM" + uuid.uuid4().hex
        return {
            "ToCountry": "US",
            "ToState": "IL",
            "SmsMessageSid": sid,
            "NumMedia": "0",
            "ToCity": "CHICAGO",
            "FromZip": "60601",
            "SmsSid": sid,
            "FromState": "IL",
            "SmsStatus": "received",
            "FromCity": "CHICAGO",
            "Body": body,
            "FromCountry": "US",
            "To": CITY_NUMBER,
            "ToZip": "60602",
            "NumSegments": "1",
            "MessageSid": sid,
            "AccountSid": ACCOUNT_SID,
            "From": phone,
            "ApiVersion": "2010-04-01",
        }

    async def send(self, http, phone: str, body: str) -> tuple[int | None, bytes, float]:
        params = self.params(phone, body)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": "TwilioProxy/1.1",
            "I-Twilio-Idempotency-Token": str(uuid.uuid4()),
            # computed per request, as Twilio does: part of the client's cost, nothing cached
            "X-Twilio-Signature": self.validator.compute_signature(self.url, params),
        }
        content = urlencode(params).encode()
        started = time.perf_counter()
        try:
            resp = await http.post(PATH, content=content, headers=headers)
        except Exception as exc:  # a transport error: no status
            return None, repr(exc).encode(), (time.perf_counter() - started) * 1000
        return resp.status_code, resp.content, (time.perf_counter() - started) * 1000

    async def conversation(
        self, http, rng: random.Random, phase: Callable[[float], Stats], deadline: float
    ) -> None:
        """One whole conversation; each message is counted in the Stats of the phase (warm-up or
        measure) in which it was sent, a completed conversation in the one it ended in."""
        sc = make_conversation(rng, self.places, self.filed_numbers)
        phone = next(self.phones)
        transcript: list[str] = []
        steps = list(sc.steps)
        i = 0
        while i < len(steps):
            if time.perf_counter() >= deadline:
                return  # cut short by the end of the phase: not counted as completed
            step = steps[i]
            stats = phase(time.perf_counter())
            status, body, ms = await self.send(http, phone, step.text)
            stats.messages += 1
            stats.statuses[str(status)] += 1
            stats.latencies_ms.append(ms)
            stats.by_kind[step.kind].append(ms)
            stats.slowest.append((ms, step.kind, sc.name, step.text))
            if len(stats.slowest) > 64:
                stats.slowest.sort(reverse=True)
                del stats.slowest[16:]
            sample = {"scenario": sc.name, "phone": phone, "step": i, "text": step.text}
            if status != 200:
                stats.fail(
                    f"HTTP {status}" if status else "transport error",
                    {**sample, "status": status, "body": body[:300].decode(errors="replace")},
                )
                return
            reply = _message(body)
            transcript.append(f"> {step.text}")
            transcript.append(f"< {reply}")
            if reply is None:
                stats.fail("not TwiML", {**sample, "body": body[:300].decode(errors="replace")})
                return
            kind = self.replies.kind(reply)
            if kind in ("too_fast", "not_filed"):
                stats.fail(kind, {**sample, "transcript": transcript})
                return
            if step.expect is None:
                if reply:
                    stats.fail("a reply where none was expected", {**sample, "reply": reply})
                    return
            elif not reply:
                stats.fail("empty <Response/>", {**sample, "transcript": transcript})
                return
            elif step.expect == "911" and "911" not in reply:
                stats.fail("emergency not told to call 911", {**sample, "reply": reply})
                return
            elif step.expect == "filed":
                if kind == "offer" and step.kind != "file_new":
                    # a similar open request nearby: file ours anyway (one more message)
                    stats.offers += 1
                    steps.append(Step(NEW_WORD[sc.language], "file_new", "filed"))
                    i += 1
                    continue
                number = TRACKING.search(reply)
                if kind != "filed" or not number:
                    stats.fail("report not filed", {**sample, "transcript": transcript})
                    return
                stats.filed += 1
                if len(self.filed_numbers) < 5000:
                    self.filed_numbers.append(number.group(0))
            elif kind == "offer" and step.kind != "file_new":
                # a similar open request nearby offered before the confirmation: NEW, then go on
                stats.offers += 1
                steps.insert(i + 1, Step(NEW_WORD[sc.language], "file_new"))
            elif kind == "filed" and any(s.expect == "filed" for s in steps[i + 1 :]):
                # filed before the step meant to file (the photo offered with the confirmation,
                # so no photo question follows): the report is done, the steps left are moot
                if number := TRACKING.search(reply):
                    stats.filed += 1
                    if len(self.filed_numbers) < 5000:
                        self.filed_numbers.append(number.group(0))
                    break
            i += 1
            if self.think and i < len(steps):  # the resident reads the reply and types
                await asyncio.sleep(min(rng.expovariate(1 / self.think), 5 * self.think))
        stats = phase(time.perf_counter())
        stats.conversations_done += 1
        stats.conversations[sc.name] += 1

    async def worker(self, http, n: int, phase: Callable[[float], Stats], deadline: float) -> None:
        rng = random.Random(self.seed * 1000 + n)
        if self.think:  # residents do not all text at the same instant
            await asyncio.sleep(rng.uniform(0, self.think))
        while time.perf_counter() < deadline:
            await self.conversation(http, rng, phase, deadline)

    async def run(
        self, concurrency: int, warmup: float, seconds: float, server_pid: int
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """One continuous run: `warmup` seconds, then `seconds` measured (steady state: neither
        the start's burst nor conversations cut at a phase boundary are in the figures)."""
        import httpx

        warm, measured = Stats(), Stats()
        started = time.perf_counter()
        measure_at = started + warmup
        deadline = measure_at + seconds
        before: dict[str, Any] = {}

        def phase(t: float) -> Stats:
            return warm if t < measure_at else measured

        async def mark() -> None:
            await asyncio.sleep(max(0.0, measure_at - time.perf_counter()))
            before.update(
                client=resource.getrusage(resource.RUSAGE_SELF),
                server=cpu_ticks(server_pid),
                machine=cpu_ticks(),
                sched=sched_stat(server_pid),
                at=time.perf_counter(),
            )

        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        async with httpx.AsyncClient(
            base_url=self.base, limits=limits, timeout=httpx.Timeout(30.0)
        ) as http:
            await asyncio.gather(
                mark(), *(self.worker(http, n, phase, deadline) for n in range(concurrency))
            )
            wall = time.perf_counter() - before["at"]
            client_after = resource.getrusage(resource.RUSAGE_SELF)
            server_cpu = (cpu_ticks(server_pid) - before["server"]) / wall
            machine_cpu = (cpu_ticks() - before["machine"]) / wall
            ran, waited, slices = (
                b - a for a, b in zip(before["sched"], sched_stat(server_pid), strict=True)
            )
        client_before = before["client"]
        client_cpu = (
            client_after.ru_utime
            - client_before.ru_utime
            + client_after.ru_stime
            - client_before.ru_stime
        ) / wall
        result = summarize(measured, wall, server_cpu, client_cpu, machine_cpu)
        # a busy machine's latency is mostly the server waiting for a core between its turns
        result["server_sched"] = {
            "ran_s": round(ran, 3),
            "waited_for_a_core_s": round(waited, 3),
            "wakeups": slices,
            "wait_per_wakeup_ms": round(1000 * waited / slices, 2) if slices else None,
        }
        return summarize(warm, warmup, 0.0, 0.0, 0.0), result


def sched_stat(pid: int) -> tuple[float, float, int]:
    """(seconds on a core, seconds runnable but waiting for one, times it was scheduled), summed
    over the process's threads (/proc/<pid>/task/*/schedstat); zeros where the kernel has none."""
    ran = waited = slices = 0
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            a, b, c = (task / "schedstat").read_text().split()[:3]
        except (OSError, ValueError):
            continue
        ran, waited, slices = ran + int(a), waited + int(b), slices + int(c)
    return ran / 1e9, waited / 1e9, slices


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"count": 0}
    s = sorted(values)

    def rank(q: float) -> float:
        return s[min(len(s) - 1, max(0, int(q * len(s) + 0.999999) - 1))]

    return {
        "count": len(s),
        "p50_ms": round(rank(0.50), 2),
        "p90_ms": round(rank(0.90), 2),
        "p99_ms": round(rank(0.99), 2),
        "max_ms": round(s[-1], 2),
        "mean_ms": round(sum(s) / len(s), 2),
    }


def summarize(
    stats: Stats, wall: float, server_cpu: float, client_cpu: float, machine_cpu: float
) -> dict[str, Any]:
    stats.slowest.sort(reverse=True)
    return {
        "seconds": round(wall, 2),
        "messages": stats.messages,
        "messages_per_s": round(stats.messages / wall, 1) if wall else 0.0,
        "latency": percentiles(stats.latencies_ms),
        "by_kind": {k: percentiles(v) for k, v in sorted(stats.by_kind.items())},
        "conversations_completed": stats.conversations_done,
        "conversations_by_kind": dict(sorted(stats.conversations.items())),
        "requests_filed": stats.filed,
        "duplicate_offers_answered_new": stats.offers,
        "statuses": dict(stats.statuses),
        "failures": dict(stats.failures),
        "failure_samples": stats.failure_samples,
        "slowest": [
            {"ms": round(ms, 1), "kind": kind, "scenario": sc, "text": text}
            for ms, kind, sc, text in stats.slowest[:8]
        ],
        "server_cpu_cores": round(server_cpu, 2),
        "client_cpu_cores": round(client_cpu, 2),
        "machine_cpu_cores": round(machine_cpu, 2),
    }


# -- the parser alone ---------------------------------------------------------------------


def bench_parser(seconds: float) -> dict[str, Any]:
    from sms.channel import parser

    started = time.perf_counter()
    p = parser()
    load_s = time.perf_counter() - started
    texts = [
        json.loads(line)["text"]
        for line in TEXTS.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    per_text = []
    for text in texts:  # one pass, timed per text (also warms the caches there are)
        t = time.perf_counter()
        p.parse(text)
        per_text.append((time.perf_counter() - t, text))
    count, cpu0, started = 0, time.process_time(), time.perf_counter()
    while time.perf_counter() - started < seconds:
        for text in texts:
            p.parse(text)
        count += len(texts)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu0
    per_text.sort(reverse=True)
    return {
        "texts": len(texts),
        "parsed": count,
        "seconds": round(wall, 2),
        "texts_per_s": round(count / wall, 1),
        "cpu_share": round(cpu / wall, 2),
        "mean_ms": round(wall / count * 1000, 3),
        "load_s": round(load_s, 2),
        "slowest_first_pass": [
            {"ms": round(s * 1000, 2), "text": text} for s, text in per_text[:3]
        ],
    }


# -- one engine ------------------------------------------------------------------------------


def with_env(engine: Engine, extra: dict[str, str]) -> Engine:
    """The engine's environment plus `extra` (Server.start reads engine.env())."""
    base = engine.env
    engine.env = lambda: {**base(), **extra}  # type: ignore[method-assign]
    return engine


def count_rows(engine: Engine) -> dict[str, int]:
    queries = {
        "sms_requests": "SELECT count(*) FROM service_request WHERE channel = 'sms'",
        "sms_messages": "SELECT count(*) FROM sms_message",
    }
    if engine.database_url:
        results = asyncio.run(_pg(engine.database_url, *queries.values()))
        return {k: r[0][0] for k, r in zip(queries, results, strict=True)}
    db = sqlite3.connect(engine.data_dir / "city311.sqlite")
    try:
        return {k: db.execute(q).fetchone()[0] for k, q in queries.items()}
    finally:
        db.close()


def smoke(client: Client, server: Server) -> None:
    """One signed message answers 200 TwiML; an unsigned one is refused (403)."""
    import httpx

    async def run() -> None:
        async with httpx.AsyncClient(base_url=server.base, timeout=30) as http:
            status, body, _ = await client.send(http, next(client.phones), "HELP")
            if status != 200 or not _message(body):
                raise BenchError(
                    f"a signed HELP answered {status}: {body[:500].decode(errors='replace')} "
                    f"(is CITY311_PUBLIC_BASE_URL the server's {server.base}?)"
                )
            bad = await http.post(
                PATH,
                content=b"MessageSid=SMx&From=%2B13125550199&Body=hi",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            if bad.status_code != 403:
                raise BenchError(f"an unsigned message answered {bad.status_code}, not 403")

    asyncio.run(run())


def bench_engine(name: str, args: argparse.Namespace, places: Places) -> dict[str, Any]:
    engine = prepare_engine(name, args.pg_admin_url)
    log(
        f"\n=== {name} ({engine.server_version}) — data dir {engine.data_dir}"
        + (f", database {engine.db_name}" if engine.db_name else "")
    )
    server = Server(engine, args.port)
    with_env(
        engine,
        {
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_FROM_NUMBER": CITY_NUMBER,
            "CITY311_PUBLIC_BASE_URL": server.base,
        },
    )
    phases: dict[str, float] = {}
    try:
        env = engine.env()
        phases["migrate_s"] = run_step("migrate", [str(VENV_BIN / "city311"), "migrate"], env, 300)
        phases["seed_s"] = run_step("seed", [str(VENV_BIN / "city311"), "seed"], env, 300)
        if args.rows > 0:
            phases["load_s"] = run_step(
                "load",
                [str(VENV_BIN / "python"), str(BENCH / "load_requests.py"), "--rows",
                 str(args.rows), "--summary", str(engine.data_dir / "load.json")],
                env,
                3600,
            )  # fmt: skip
            if engine.database_url:
                asyncio.run(_pg(engine.database_url, "VACUUM (ANALYZE)", "CHECKPOINT"))
        phases["server_start_s"] = server.start()
        client = Client(server.base, places, args.seed, args.think)
        smoke(client, server)
        runner = asyncio.run
        try:
            import uvloop

            runner = uvloop.run
        except ImportError:
            pass
        busy = settle(max_wait=args.settle)
        log(
            f"[measure] {args.conversations} conversations"
            + (f", {args.think:g} s mean pause" if args.think else "")
            + f": {args.warmup:g} s warm-up, then {args.duration:g} s measured (machine busy "
            f"{busy} cores before)"
        )
        warm, res = runner(client.run(args.conversations, args.warmup, args.duration, server.pid))
        log(
            f"    warm-up: {warm['messages']} messages, p99 {warm['latency'].get('p99_ms')} ms, "
            f"failures {warm['failures'] or 'none'}"
        )
        if not server.alive():
            raise BenchError(f"the server died:\n{server.tail()}")
        rows = count_rows(engine)
        stored = 1 + warm["messages"] + res["messages"]  # + the smoke's signed HELP
        filed = warm["requests_filed"] + res["requests_filed"]
        problems = []
        if rows["sms_requests"] != filed:
            problems.append(
                f"{filed} 'filed' replies but {rows['sms_requests']} sms requests in the database"
            )
        if rows["sms_messages"] != stored:
            problems.append(f"{stored} signed messages sent, {rows['sms_messages']} stored")
        status, body = _get(f"{server.base}/api/v1/requests?limit=1")
        if status != 200:
            problems.append(f"GET /api/v1/requests?limit=1 answered {status}")
        for what, n in (Counter(warm["failures"]) + Counter(res["failures"])).items():
            problems.append(f"{n} x {what}")
        return {
            "engine": name,
            "engine_version": engine.server_version,
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "source": source_state(),
            "conversations": args.conversations,
            "think_s": args.think,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "rows_loaded": args.rows,
            "busy_cores_before": busy,
            "phases_s": {k: round(v, 1) for k, v in phases.items()},
            "server_rss_mib": server.rss_mib(),
            "database_rows_after": rows,
            "target": {"p99_ms": TARGET_P99_MS, "pass": res["latency"]["p99_ms"] < TARGET_P99_MS},
            "warmup": {k: warm[k] for k in ("messages", "latency", "failures")},
            "result": res,
            "problems": problems,
        }
    finally:
        server.stop()
        drop_engine(engine, args.keep)


def source_state() -> dict[str, Any]:
    """HEAD and whether the product code measured (backend/, sms/) differs from it."""

    def git(*a: str) -> str:
        try:
            return subprocess.run(
                ["git", *a], cwd=ROOT, capture_output=True, text=True, timeout=30
            ).stdout
        except (OSError, subprocess.TimeoutExpired):
            return ""

    paths = ("backend", "sms", "piccolo_conf.py")
    diff = git("diff", "HEAD", "--stat", "--", *paths)
    untracked = git("ls-files", "--others", "--exclude-standard", "--", *paths)
    return {
        "commit": git("rev-parse", "--short", "HEAD").strip() or None,
        "dirty": bool(diff.strip() or untracked.strip()),
    }


# -- report ----------------------------------------------------------------------------------


def print_table(results: list[dict[str, Any]], parser_res: dict[str, Any] | None) -> None:
    log(
        f"\n{'engine':<10}{'msg/s':>8}{'p50':>8}{'p90':>8}{'p99':>8}{'max':>8}{'convs':>7}"
        f"{'filed':>7}{'srv CPU':>9}{'cli CPU':>9}{'fails':>7}  target p99 < {TARGET_P99_MS:g} ms"
    )
    for res in results:
        r, lat = res["result"], res["result"]["latency"]
        log(
            f"{res['engine']:<10}{r['messages_per_s']:>8.1f}{lat['p50_ms']:>8.1f}"
            f"{lat['p90_ms']:>8.1f}{lat['p99_ms']:>8.1f}{lat['max_ms']:>8.1f}"
            f"{r['conversations_completed']:>7}{r['requests_filed']:>7}"
            f"{r['server_cpu_cores']:>9.2f}{r['client_cpu_cores']:>9.2f}"
            f"{sum(r['failures'].values()):>7}  "
            f"{'PASS' if res['target']['pass'] else 'FALLS SHORT'}"
        )
    for res in results:
        r = res["result"]
        log(f"\n{res['engine']}: latency by kind of message (ms)")
        for kind, p in r["by_kind"].items():
            log(
                f"    {kind:<10}{p['count']:>7}  p50 {p['p50_ms']:7.1f}  p99 {p['p99_ms']:7.1f}  "
                f"max {p['max_ms']:7.1f}"
            )
        log("    slowest: " + "; ".join(
            f"{s['ms']:.0f} ms {s['scenario']}/{s['kind']} {s['text']!r}" for s in r["slowest"][:4]
        ))  # fmt: skip
        if r["duplicate_offers_answered_new"]:
            log(f"    {r['duplicate_offers_answered_new']} offers to follow a nearby request "
                "(answered NEW, then filed)")  # fmt: skip
        sched = r.get("server_sched") or {}
        if sched.get("wakeups"):
            log(
                f"    the server ran {sched['ran_s']:.2f} s and waited for a core "
                f"{sched['waited_for_a_core_s']:.2f} s over {sched['wakeups']} turns "
                f"({sched['wait_per_wakeup_ms']:.2f} ms a turn): a long wait is the machine's "
                "other work, not the server's"
            )
        if r["client_cpu_cores"] > r["server_cpu_cores"]:
            log(
                f"    NOTE: the client used more CPU ({r['client_cpu_cores']:.2f} cores) than the "
                f"server ({r['server_cpu_cores']:.2f}): on this machine the client is the "
                "bottleneck, messages/s understates the server"
            )
        for p in res["problems"]:
            log(f"    ERROR {p}")
        for s in r["failure_samples"][:3]:
            log(f"    e.g. {json.dumps(s, ensure_ascii=False)[:600]}")
    if parser_res:
        log(
            f"\nparser alone: {parser_res['texts_per_s']:,.0f} texts/s on one core "
            f"({parser_res['mean_ms']:.2f} ms each, {parser_res['texts']} texts of "
            f"{TEXTS.relative_to(ROOT)}, {parser_res['seconds']:g} s, CPU share "
            f"{parser_res['cpu_share']:.2f}); slowest: "
            + "; ".join(
                f"{s['ms']} ms {s['text'][:50]!r}" for s in parser_res["slowest_first_pass"]
            )
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engines", default="sqlite,postgres", help="comma-separated")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds measured")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up")
    parser.add_argument("--conversations", type=int, default=20, help="concurrent conversations")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds a resident takes to answer (exponential; 0: the next message is "
        "sent as soon as the reply arrives, a closed loop that saturates the server)",
    )
    parser.add_argument("--rows", type=int, default=0, help="existing requests to load first")
    parser.add_argument("--parser-seconds", type=float, default=3.0, help="0: skip")
    parser.add_argument("--settle", type=float, default=15.0, help="max wait for an idle machine")
    parser.add_argument("--seed", type=int, default=311)
    parser.add_argument("--port", type=int, default=8079)
    parser.add_argument(
        "--pg-admin-url",
        default=os.environ.get("CITY311_BENCH_PG", "postgres://postgres@127.0.0.1:5432/test"),
    )
    parser.add_argument("--keep", action="store_true", help="keep data dirs and databases")
    args = parser.parse_args(argv)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    if not engines or any(e not in ("sqlite", "postgres") for e in engines):
        parser.error("--engines takes sqlite and/or postgres")
    if not 1 <= args.duration <= 3600 or args.conversations < 1 or args.warmup < 0:
        parser.error("--duration 1..3600 s, --conversations >= 1, --warmup >= 0")
    if not (VENV_BIN / "city311").exists():
        raise SystemExit("run `make install` first: this needs .venv/bin/city311")
    log(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}")
    RESULTS.mkdir(exist_ok=True)

    parser_res = None
    if args.parser_seconds > 0:
        log(f"[parser] sms.channel.parser().parse over {TEXTS.name}, {args.parser_seconds:g} s")
        parser_res = bench_parser(args.parser_seconds)
        log(f"    {parser_res['texts_per_s']:,.0f} texts/s ({parser_res['mean_ms']:.2f} ms each)")
    places = Places()
    log(
        f"[places] {len(places.addresses)} addresses and {len(places.corners)} corners placed by "
        f"the parser (dropped {places.dropped[0]} and {places.dropped[1]})"
    )

    failed, results = False, []
    for name in engines:
        try:
            res = bench_engine(name, args, places)
        except BenchError as exc:
            log(f"\nERROR ({name}): {exc}")
            failed = True
            continue
        res["parser"] = parser_res
        out = RESULTS / f"sms_webhook_{name}.json"
        out.write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n")
        log(f"wrote {out.relative_to(ROOT)}")
        results.append(res)
        failed |= bool(res["problems"])
    print_table(results, parser_res)
    if failed:
        log("\nFAILED: errors above (a non-200 answer, a wrong reply or a crashed step)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
