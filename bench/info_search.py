"""The information search against a running server: does a question find its article, and how
fast is GET /api/v1/info with 10,000 articles? Targets: top-1 >= 85%, top-3 >= 95% on the
labelled questions (tests/info/data/questions.tsv, >= 40 per language); p99 < 20 ms.

    .venv/bin/python bench/info_search.py                       # sqlite
    .venv/bin/python bench/info_search.py --engines sqlite,postgres

For each engine: a throwaway data directory / PostgreSQL database (bench/run.py), `city311
migrate`, `city311 seed` (the starting articles: the program articles and one per service type),
ONE server process (`city311 serve --workers 1`). Then:

  accuracy        every labelled question, GET /api/v1/info?q=…&lang=…&limit=3: the right
                  article first (top-1) or among the three (top-3), per language
  filled          `city311 info import` of made-up articles until there are --articles in all
                  (their words drawn from the real articles of each language, so the index holds
                  the same vocabulary, many times over); the server restarted
  latency         the labelled questions again and again, one client on a kept-alive connection,
                  --requests in all: p50, p90, p99, max (ms, as the client sees them)
  accuracy_filled the labelled questions among the 10,000

Results: printed, and bench/results/info_search_<engine>.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import sys
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

from run import (  # noqa: E402
    RESULTS,
    VENV_BIN,
    BenchError,
    Server,
    drop_engine,
    log,
    machine_info,
    prepare_engine,
    run_step,
    source_state,
)

from tests.info.labelled import labelled_questions  # noqa: E402

PORT = 8093
URL = "https://www.chicago.gov/city/en/depts/311.html"


def ask(conn: http.client.HTTPConnection, question: str, language: str) -> list[str]:
    query = urllib.parse.urlencode({"q": question, "lang": language, "limit": 3})
    conn.request("GET", f"/api/v1/info?{query}")
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise BenchError(f"{response.status} for {question!r}: {body[:300]!r}")
    return [item["slug"] for item in json.loads(body)["items"]]


def accuracy(port: int) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    by: dict[str, list[int | None]] = {}
    misses = []
    for language, slug, question in labelled_questions():
        slugs = ask(conn, question, language)
        rank = slugs.index(slug) + 1 if slug in slugs else None
        by.setdefault(language, []).append(rank)
        by.setdefault("all", []).append(rank)
        if rank != 1:
            misses.append(f"[{language}] {question!r}: want {slug}, got {slugs}")
    conn.close()
    out = {
        lang: {
            "questions": len(ranks),
            "top1": round(sum(r == 1 for r in ranks) / len(ranks), 4),
            "top3": round(sum(r is not None for r in ranks) / len(ranks), 4),
        }
        for lang, ranks in by.items()
    }
    out["misses"] = misses
    return out


def latency(port: int, requests: int) -> dict:
    rows = labelled_questions()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for language, _, question in rows[:50]:  # warm-up
        ask(conn, question, language)
    times = []
    for i in range(requests):
        language, _, question = rows[i % len(rows)]
        start = time.perf_counter()
        ask(conn, question, language)
        times.append((time.perf_counter() - start) * 1000)
    conn.close()
    times.sort()

    def pct(p: float) -> float:
        return round(times[min(len(times) - 1, int(p * len(times)))], 2)

    return {
        "requests": requests,
        "p50_ms": pct(0.50),
        "p90_ms": pct(0.90),
        "p99_ms": pct(0.99),
        "max_ms": round(times[-1], 2),
    }


def made_up_articles(count: int, seed: int = 311) -> dict:
    """`count` article-languages whose words come from the real articles of each language."""
    rng = random.Random(seed)
    real = json.loads((ROOT / "backend/info/data/articles.json").read_text())["articles"]
    pools: dict[str, dict[str, list[str]]] = {}
    for item in real:
        for lang in ("en", "es", "pl", "zh"):
            t = item[lang]
            pool = pools.setdefault(lang, {"words": [], "keywords": []})
            text = f"{t['title']} {t['sms']} {t.get('body', '')}"
            pool["words"] += list(text) if lang == "zh" else text.split()
            pool["keywords"] += t.get("keywords", [])
    joiner = {"en": " ", "es": " ", "pl": " ", "zh": ""}
    items = []
    for n in range(-(-count // 4)):
        item = {"slug": f"made-up-{n:05d}", "category": "Made up", "url": URL}
        for lang, pool in pools.items():
            words = pool["words"]
            sms_words = 20 if lang == "zh" else 14

            def pick(k: int) -> str:
                return joiner[lang].join(rng.choice(words) for _ in range(k))  # noqa: B023

            item[lang] = {
                "title": pick(10 if lang == "zh" else 5),
                "sms": pick(sms_words),
                "body": pick(60) if lang == "en" else "",
                "keywords": rng.sample(pool["keywords"], 4),
            }
        items.append(item)
    return {"articles": items}


def measure(engine_name: str, args: argparse.Namespace) -> dict:
    engine = prepare_engine(engine_name, args.admin_url)
    server = Server(engine, PORT)
    env = engine.env()
    result: dict = {"engine": engine_name, "server_version": engine.server_version}
    try:
        run_step("migrate", [str(VENV_BIN / "city311"), "migrate"], env, 300)
        run_step("seed", [str(VENV_BIN / "city311"), "seed"], env, 600)
        server.start()
        result["accuracy"] = accuracy(PORT)
        seeded = result["seed_articles"] = _count(env)
        server.stop()
        extra = max(0, args.articles - seeded)
        path = engine.data_dir / "made_up.json"
        path.write_text(json.dumps(made_up_articles(extra), ensure_ascii=False))
        result["fill_seconds"] = round(
            run_step("fill", [str(VENV_BIN / "city311"), "info", "import", str(path)], env, 3600),
            1,
        )
        result["articles"] = _count(env)
        server.start()
        load_before = os.getloadavg()[0]
        result["latency"] = latency(PORT, args.requests)
        result["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
        result["accuracy_filled"] = accuracy(PORT)
        result["rss_mib"] = server.rss_mib()
    finally:
        server.stop()
        drop_engine(engine, args.keep)
    return result


def _count(env: dict) -> int:
    import subprocess

    code = (
        "import asyncio\n"
        "from piccolo.engine import engine_finder\n"
        "async def main():\n"
        "    rows = await engine_finder().run_ddl('SELECT COUNT(*) AS n FROM info_article')\n"
        "    print(rows[0]['n'])\n"
        "asyncio.run(main())\n"
    )
    done = subprocess.run(
        [str(VENV_BIN / "python"), "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise BenchError(done.stderr[-2000:])
    return int(done.stdout.strip().splitlines()[-1])


def _machine() -> dict:
    try:
        return machine_info()
    except OSError:  # it also names wrk's version; this bench needs no wrk
        import platform

        return {"cpus": os.cpu_count(), "python": platform.python_version()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="sqlite")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=3_000)
    parser.add_argument("--admin-url", default="postgres://postgres@127.0.0.1:5432/test")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    results = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": _machine(),
        "source": source_state(),
        "runs": [],
    }
    ok = True
    for name in args.engines.split(","):
        run = measure(name, args)
        results["runs"].append(run)
        acc, lat = run["accuracy"]["all"], run["latency"]
        log(
            f"{name}: {run['seed_articles']} articles: top-1 {acc['top1']:.1%}, top-3 "
            f"{acc['top3']:.1%}; {run['articles']} articles: p50 {lat['p50_ms']} ms, "
            f"p99 {lat['p99_ms']} ms (load average {run['load_average']}); "
            f"top-1 {run['accuracy_filled']['all']['top1']:.1%}"
        )
        for lang in ("en", "es", "pl", "zh"):
            a = run["accuracy"][lang]
            log(
                f"    {lang}: {a['questions']} questions, top-1 {a['top1']:.1%}, top-3 {a['top3']:.1%}"
            )
        for miss in run["accuracy"]["misses"]:
            log(f"    miss {miss}")
        ok = ok and acc["top1"] >= 0.85 and acc["top3"] >= 0.95 and lat["p99_ms"] < 20
        out = RESULTS / f"info_search_{name}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({**results, "runs": [run]}, indent=2, ensure_ascii=False))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
