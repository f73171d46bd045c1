"""Places residents use, in the SMS parser: landmarks and relative phrasing, on a labelled set.

    .venv/bin/python bench/sms_places.py [--repeat 5] [--worst 10]

tests/sms/data/landmark_places.csv holds texts in four languages that name a landmark ("trash by
the bean", "dziura koło lotniska midway") or place one street by another ("pothole on Archer near
Laramie", "47街和Ashland路口"), each with the point the data gives (the gazetteer's point for the
landmark, the City's intersection point for the corner). `part`: `tuning` texts are the ones the
aliases and connectors were tuned on; `held_out` texts were written afterwards and measured once
before anything was changed for them. Printed: the share found within 150 m, by part, kind and
language; the misses; and the parser's speed over the set and the fixture texts
(tests/sms/data/texts.jsonl), in texts a second on one core.
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend.geo.distance import metres_between  # noqa: E402
from sms.parse import Parser  # noqa: E402

LABELLED = ROOT / "tests" / "sms" / "data" / "landmark_places.csv"
FIXTURE = ROOT / "tests" / "sms" / "data" / "texts.jsonl"
WITHIN_M = 150.0


def metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return metres_between(lat1, lon1, lat2, lon2)


def labelled() -> list[dict]:
    with LABELLED.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def placed(parser: Parser, row: dict) -> tuple[bool, str]:
    """Whether the text's place lands within 150 m of the labelled point (the first candidate
    when the parser offers several), and what it found."""
    _, result = parser.find_place(row["text"])
    if result is None or not result.found:
        return False, "nothing"
    d = metres(result.lat, result.long, float(row["latitude"]), float(row["longitude"]))
    return d <= WITHIN_M, f"{result.address} ({d:.0f} m)"


def accuracy(parser: Parser, rows: list[dict]) -> tuple[float, list[tuple[str, str]]]:
    by = collections.defaultdict(lambda: [0, 0])
    misses = []
    for row in rows:
        ok, found = placed(parser, row)
        for key in (row["part"], row["kind"], row["language"], "all"):
            by[key][0] += ok
            by[key][1] += 1
        if not ok:
            misses.append((row["text"], found))
    print(f"## Places residents use: within {WITHIN_M:.0f} m of the labelled point")
    for key in ("tuning", "held_out", "landmark", "relative", "en", "es", "pl", "zh", "all"):
        right, n = by[key]
        if n:
            print(f"  {key:<9} {right:>4} / {n:<4} {100 * right / n:5.1f} %")
    return by["all"][0] / by["all"][1], misses


def speed(parser: Parser, texts: list[str], repeat: int) -> float:
    parser.parse(texts[0])  # warm
    started = time.process_time()
    for _ in range(repeat):
        for text in texts:
            parser.parse(text)
    elapsed = time.process_time() - started
    rate = repeat * len(texts) / elapsed
    print(f"## Speed: {repeat} x {len(texts)} texts in {elapsed:.2f} s CPU = {rate:,.0f} texts/s")
    return rate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--worst", type=int, default=10, help="misses to print")
    args = ap.parse_args()
    started = time.perf_counter()
    parser = Parser.load()
    print(f"Parser.load(): {time.perf_counter() - started:.2f} s")
    rows = labelled()
    share, misses = accuracy(parser, rows)
    for text, found in misses[: args.worst]:
        print(f"  miss: {text!r} -> {found}")
    fixture = [json.loads(line)["text"] for line in FIXTURE.read_text().splitlines() if line]
    speed(parser, [r["text"] for r in rows] + fixture, args.repeat)


if __name__ == "__main__":
    main()
