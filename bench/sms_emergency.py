"""How well the SMS bot's emergency recogniser (sms/emergency.py) tells emergencies from look-alikes.

    .venv/bin/python bench/sms_emergency.py [--data ../shared/data] [--show 20]

1. The labelled set, tests/sms/data/emergency_texts.jsonl: recall and precision, overall, per
   part ("held_out": written before the recogniser and not read while tuning it; "tuning": the
   texts its words were tuned on), per language and per kind. Every miss and false alarm is listed.
2. The parser's fixture, tests/sms/data/texts.jsonl (written earlier, for the parser): its
   emergencies recognised, and how many of its other texts raise an alarm.
3. Real 311 reports (the shared data's text_corpus: New York, Hoboken, Virginia Beach/Norfolk):
   the share that raises an alarm, with examples (some are real dangers: a downed wire, "smell of
   carbon monoxide").
4. Speed: texts a second on one core.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sms.emergency import recognise  # noqa: E402

DATA = ROOT / "tests" / "sms" / "data"
CORPUS = (
    "publicstuff_hoboken_reports.csv",
    "publicstuff_nyc_reports.csv",
    "seeclickfix_virginia_beach_norfolk_2015.csv",
)


def _figures(rows: list[tuple[bool, bool]]) -> str:
    """rows: (labelled an emergency, recognised as one)."""
    tp = sum(want and got for want, got in rows)
    fn = sum(want and not got for want, got in rows)
    fp = sum(got and not want for want, got in rows)
    recall = tp / (tp + fn) if tp + fn else 1.0
    precision = tp / (tp + fp) if tp + fp else 1.0
    return (
        f"recall {recall:6.1%} ({tp}/{tp + fn})   precision {precision:6.1%} ({tp}/{tp + fp})"
        f"   texts {len(rows)}"
    )


def labelled_set(show: int) -> list[str]:
    texts = [json.loads(line) for line in (DATA / "emergency_texts.jsonl").open(encoding="utf-8")]
    read = [(t, recognise(t["text"])) for t in texts]
    print(f"\n## The labelled set ({len(texts)} texts, tests/sms/data/emergency_texts.jsonl)")
    print(f"{'all':<22}{_figures([(t['emergency'], f is not None) for t, f in read])}")
    for key in ("part", "language", "kind"):
        for value in sorted({t[key] for t in texts}):
            rows = [(t["emergency"], f is not None) for t, f in read if t[key] == value]
            print(f"{key + ' ' + value:<22}{_figures(rows)}")
    wrong = [(t, f) for t, f in read if t["emergency"] != (f is not None)]
    for t, f in wrong[:show]:
        said = f"{f.kind} ({f.words!r})" if f else "nothing"
        print(
            f"  {t['part']:<8} {t['language']} want {t['emergency']!s:<5} got {said}: {t['text']}"
        )
    return [t["text"] for t in texts]


def parser_fixture() -> list[str]:
    texts = [json.loads(line) for line in (DATA / "texts.jsonl").open(encoding="utf-8")]
    rows = [(t["intent"] == "emergency", recognise(t["text"]) is not None) for t in texts]
    print(f"\n## The parser's fixture ({len(texts)} texts, tests/sms/data/texts.jsonl)")
    print(f"{'all':<22}{_figures(rows)}")
    return [t["text"] for t in texts]


def real_reports(data: Path, show: int) -> list[str]:
    texts: dict[str, None] = {}
    for name in CORPUS:
        path = data / "text_corpus" / name
        if not path.exists():
            print(f"\n(no {path}: real reports left out)")
            return []
        with path.open(newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                if r["description"].strip():
                    texts.setdefault(r["description"].strip())
    alarms = [(text, recognise(text)) for text in texts]
    alarms = [(text, f) for text, f in alarms if f is not None]
    print(f"\n## Real 311 reports ({len(texts)} distinct texts of the shared text_corpus)")
    print(f"raise an alarm           {len(alarms)} ({len(alarms) / len(texts):.1%})")
    for text, f in alarms[:show]:
        print(f"  {f.kind:<9} {f.words!r:<24} {text[:100]!r}")
    return list(texts)


def speed(texts: list[str]) -> None:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for text in texts:
            recognise(text)
        best = min(best, time.perf_counter() - start)
    print(f"\n## Speed: {len(texts) / best:,.0f} texts/s on one core ({len(texts)} texts)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--show", type=int, default=20, help="misses and alarms listed")
    args = ap.parse_args()
    texts = labelled_set(args.show) + parser_fixture() + real_reports(args.data, args.show)
    speed(texts)


if __name__ == "__main__":
    main()
