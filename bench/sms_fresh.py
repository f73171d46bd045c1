"""The SMS parser on issue 17's two held-out sets (tests/sms/data/fresh_texts.jsonl and
fresh_texts_2.jsonl, the second written after the phrase lists were tuned), beside the in-sample set.

    .venv/bin/python bench/sms_fresh.py [--repeat 3] [--misses 20]

Per language and overall, on each held-out set (written fresh, never tuned on):
- confident type right: of the texts the parser takes a type for without asking, the share whose
  type is the labelled one (a text labelled not clear counts as wrong when taken)   target ≥ 92 %
- sent to a question: of the texts labelled clear, the share with no confident type   target ≤ 20 %
- vague asked: of the texts labelled not clear, the share sent to a question (shown, no target)
- place within 150 m of the labelled point (the parser's own place, nothing offered)  target ≥ 95 %
The same type figures on the in-sample reports of tests/sms/data/texts.jsonl (the set the phrase
lists were tuned on), and the parser's speed over both sets in texts a second of one core's CPU
(target ≥ 1,000).
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend.geo.distance import metres_between  # noqa: E402
from sms.parse import Parser  # noqa: E402

FRESH = ROOT / "tests" / "sms" / "data" / "fresh_texts.jsonl"
FRESH_2 = ROOT / "tests" / "sms" / "data" / "fresh_texts_2.jsonl"
IN_SAMPLE = ROOT / "tests" / "sms" / "data" / "texts.jsonl"
WITHIN_M = 150.0
LANGUAGES = ("en", "es", "pl", "zh")


def metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return metres_between(lat1, lon1, lat2, lon2)


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def fresh_rows(path: Path = FRESH) -> list[dict]:
    return read(path)


def in_sample_rows() -> list[dict]:
    """The old set's reports with a labelled type, all of them clear."""
    rows = [r for r in read(IN_SAMPLE) if r["intent"] == "report" and r.get("service_code")]
    return [{**r, "clear": True} for r in rows]


def measure(parser: Parser, rows: list[dict], places: bool = True) -> tuple[dict, list]:
    """{language or "all": {"confident_right", "asked", "vague_asked", "placed", "n"}} in %, and the misses."""
    t = collections.defaultdict(collections.Counter)
    misses = []
    for row in rows:
        r = parser.parse(row["text"], language=row.get("given_language"))
        want = set(filter(None, row["service_code"].split("|")))
        for key in (row["language"], "all"):
            c = t[key]
            c["n"] += 1
            if r.service_code:
                c["confident"] += 1
                c["confident_right"] += r.service_code in want and row["clear"]
            if row["clear"]:
                c["clear"] += 1
                c["asked"] += r.service_code is None
            else:
                c["vague"] += 1
                c["vague_asked"] += r.service_code is None
        type_ok = (
            (r.service_code in want)
            if (r.service_code and row["clear"])
            else not row["clear"] or None
        )
        place_ok = None
        if places:
            loc = r.location
            d = (
                metres(loc.lat, loc.long, row["latitude"], row["longitude"])
                if loc and loc.found
                else None
            )
            place_ok = d is not None and d <= WITHIN_M
            for key in (row["language"], "all"):
                t[key]["placed"] += place_ok
            where = f"{loc.address} ({d:.0f} m)" if d is not None else "no place"
        else:
            where = ""
        if type_ok is False or type_ok is None or place_ok is False:
            misses.append(
                (row["text"], row["service_code"], r.service_code, r.confidence, where, place_ok)
            )
    out = {}
    for key, c in t.items():
        out[key] = {
            "n": c["n"],
            "confident_right": 100 * c["confident_right"] / max(c["confident"], 1),
            "asked": 100 * c["asked"] / max(c["clear"], 1),
            "vague_asked": 100 * c["vague_asked"] / max(c["vague"], 1),
            "placed": 100 * c["placed"] / c["n"],
        }
    return out, misses


def speed(parser: Parser, texts: list[str], repeat: int) -> float:
    parser.parse(texts[0])  # warm
    started = time.process_time()
    for _ in range(repeat):
        for text in texts:
            parser.parse(text)
    return repeat * len(texts) / (time.process_time() - started)


def show(title: str, figures: dict, places: bool) -> None:
    print(f"\n## {title}")
    head = "           n   confident right   sent to a question   vague asked"
    print(head + ("   place ≤ 150 m" if places else ""))
    for key in (*LANGUAGES, "all"):
        if key not in figures:
            continue
        f = figures[key]
        line = f"  {key:<5} {f['n']:>5}   {f['confident_right']:13.1f} %   {f['asked']:16.1f} %   {f['vague_asked']:9.1f} %"
        print(line + (f"   {f['placed']:11.1f} %" if places else ""))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--misses", type=int, default=20, help="misses to print")
    args = ap.parse_args()
    parser = Parser.load()
    fresh = []
    for path in (FRESH, FRESH_2):
        rows = fresh_rows(path)
        fresh += rows
        figures, misses = measure(parser, rows)
        show(f"Held-out {path.relative_to(ROOT)} (targets: ≥ 92 %, ≤ 20 %, ≥ 95 %)", figures, True)
        for m in misses[: args.misses]:
            print(f"  miss: {m[0]!r}: want {m[1] or '-'} got {m[2] or '-'} {m[3]:.2f}; {m[4]}")
    old = in_sample_rows()
    show(
        f"In-sample reports of {IN_SAMPLE.relative_to(ROOT)}",
        measure(parser, old, places=False)[0],
        False,
    )
    texts = [r["text"] for r in fresh] + [r["text"] for r in read(IN_SAMPLE)]
    rate = speed(Parser.load(), texts, args.repeat)
    print(
        f"\n## Speed: {len(texts)} texts x {args.repeat}: {rate:,.0f} texts/s of one core's CPU (target ≥ 1,000)"
    )


if __name__ == "__main__":
    main()
