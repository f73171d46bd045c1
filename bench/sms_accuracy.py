"""Accuracy and speed of the SMS parser (sms/parse.py): service types, places, intents, languages.

    .venv/bin/python bench/sms_accuracy.py [--data ../shared/data] [--worst 15] [--places 1000]

1. Service type: the labelled resident reports of ../shared/data/text_corpus (New York and Hoboken
   PublicStuff, Virginia Beach/Norfolk SeeClickFix), labels mapped to Chicago codes by
   bench/data/text_corpus_to_chicago.csv (a blank code: no Chicago equivalent, left out and
   counted; a label may name a family, "PHF|PHB|AAD"). Each distinct description is parsed
   alone; printed: top-1 accuracy of the confident answers,
   the share sent to a question (no confident type), and top-3 accuracy of the choices offered.
2. Place: texts built around real addresses of the 2021 311 sample and named intersections of
   the street file (not its ramps and runways), in the four languages' phrasings; the share
   found within 150 m.
3. Intent and language on tests/sms/data/texts.jsonl, per intent and per language.
4. Speed: texts a second on one core over all of the above.
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend.geo.distance import metres_between  # noqa: E402
from sms.parse import CONFIDENT, Parser  # noqa: E402

MAPPING = ROOT / "bench" / "data" / "text_corpus_to_chicago.csv"
FIXTURE = ROOT / "tests" / "sms" / "data" / "texts.jsonl"
CORPUS = (
    ("hoboken", "publicstuff_hoboken_reports.csv", "category"),
    ("nyc", "publicstuff_nyc_reports.csv", "category"),
    ("vb", "seeclickfix_virginia_beach_norfolk_2015.csv", "summary"),
)
WITHIN_M = 150.0
RAMPS = {"ER", "XR", "OB", "IB", "NB", "SB"}
ADDRESS_TEMPLATES = {
    "en": ["pothole in front of {p}", "rats in the alley behind {p}", "street light out at {p} pls fix"],
    "es": ["hay un bache muy hondo en {p}", "ratas en el callejón detrás de {p}", "basura tirada frente a {p}"],
    "pl": ["dziura w jezdni przed {p}", "latarnia nie świeci przy {p}", "szczury za {p}"],
    "zh": ["{p} 前面有个坑", "在 {p} 路灯不亮", "垃圾没有收 {p}"],
}  # fmt: skip
CROSSING_TEMPLATES = {
    "en": ["pothole at {a} and {b}", "graffiti on the corner of {a} & {b}", "theres a light out on {a} n {b}"],
    "es": ["bache en {a} y {b}", "grafiti en la esquina de {a} y {b}", "luz apagada en {a} con {b}"],
    "pl": ["dziura na rogu {a} i {b}", "latarnia nie świeci na {a} i {b}", "szczury przy {a} i {b}"],
    "zh": ["{a} 和 {b} 路口有个坑", "在 {a} 与 {b} 路口 路灯不亮", "{a} 和 {b} 有涂鸦"],
}  # fmt: skip


def metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return metres_between(lat1, lon1, lat2, lon2)


def read_mapping() -> dict[tuple[str, str], str]:
    with MAPPING.open(newline="", encoding="utf-8") as f:
        return {(r["source"], r["label"]): r["chicago_code"] for r in csv.DictReader(f)}


def corpus_rows(data: Path) -> list[tuple[str, str, str]]:
    """(source, label, resident text) of each row with resident text."""
    rows = []
    for source, name, column in CORPUS:
        with (data / "text_corpus" / name).open(newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                if r.get("has_resident_text", "true") != "true" or not r["description"].strip():
                    continue
                rows.append((source, r[column], r["description"]))
    return rows


def bench_types(parser: Parser, data: Path, worst: int) -> list[str]:
    mapping = read_mapping()
    rows = corpus_rows(data)
    # each distinct text once: New York's export repeats some descriptions a dozen times
    kept = list(dict.fromkeys((s, lab, text, mapping.get((s, lab), "")) for s, lab, text in rows))
    unmapped = [k for k in kept if not k[3]]
    kept = [k for k in kept if k[3]]
    confident = correct = top3 = 0
    misses = []
    for _s, _label, text, codes in kept:
        code = codes.split("|")[0]
        r = parser.parse(text, language="en")
        top3 += any(c.code in codes.split("|") for c in r.choices)
        if r.service_code:
            confident += 1
            if r.service_code in codes.split("|"):
                correct += 1
            else:
                misses.append((code, r.service_code, r.confidence, text[:110]))
    n = len(kept)
    print(
        f"\n## Service type ({len(rows)} texts, {len(kept) + len(unmapped)} distinct; "
        f"{len(unmapped)} with no Chicago equivalent left out)"
    )
    print(f"scored texts                 {n}")
    print(
        f"confident answers            {confident} ({100 * confident / n:.1f} %), CONFIDENT = {CONFIDENT}"
    )
    print(
        f"  top-1 correct              {100 * correct / max(confident, 1):.1f} %   (target ≥ 90 %)"
    )
    print(f"sent to a question           {100 * (n - confident) / n:.1f} %   (target ≤ 25 %)")
    print(f"right type among 3 choices   {100 * top3 / n:.1f} %")
    for code, got, conf, text in misses[:worst]:
        print(f"  want {code:12s} got {got:12s} {conf:.2f}  {text!r}")
    return [text for _, _, text, _ in kept]


def address_rows(data: Path, limit: int, rng: random.Random) -> list[tuple[str, float, float]]:
    seen: dict[str, tuple[float, float]] = {}
    with (data / "sr311" / "chicago_311_sample_2021-01-01_5000.csv").open(newline="") as f:
        for r in csv.DictReader(f):
            if r["street_address"] and r["latitude"] and r["longitude"]:
                seen.setdefault(r["street_address"], (float(r["latitude"]), float(r["longitude"])))
    rows = [(a, lat, lon) for a, (lat, lon) in seen.items()]
    rng.shuffle(rows)
    return rows[:limit]


def crossing_rows(
    data: Path, limit: int, rng: random.Random
) -> list[tuple[str, str, float, float]]:
    with (data / "streets" / "chicago_intersections.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    # ramps ("KENNEDY CENTRAL AV ER") and O'Hare's runways are in the file; nobody texts them
    rows = [r for r in rows if not (set((r["street_1"] + " " + r["street_2"]).split()) & RAMPS)]
    rows = [r for r in rows if " ORD" not in r["street_1"] + r["street_2"]]
    rng.shuffle(rows)
    out = []
    for r in rows[:limit]:
        a, b = r["street_1"].split(), r["street_2"].split()
        a, b = " ".join(a[1:]).title(), " ".join(b[1:]).title()  # "Damen Ave": as typed, no N/S
        if rng.random() < 0.5:
            a, b = b, a
        out.append((a, b, float(r["latitude"]), float(r["longitude"])))
    return out


def bench_places(parser: Parser, data: Path, limit: int, worst: int) -> list[str]:
    rng = random.Random(311)
    texts: list[str] = []
    cases = []  # (kind, language, text, lat, lon)
    for i, (address, lat, lon) in enumerate(address_rows(data, limit, rng)):
        lang = "en es pl zh".split()[i % 4]
        template = ADDRESS_TEMPLATES[lang][i % 3]
        cases.append(("address", lang, template.format(p=address), lat, lon))
    for i, (a, b, lat, lon) in enumerate(crossing_rows(data, limit, rng)):
        lang = "en es pl zh".split()[i % 4]
        template = CROSSING_TEMPLATES[lang][i % 3]
        cases.append(("intersection", lang, template.format(a=a, b=b), lat, lon))
    tally: dict[tuple[str, str], list[int]] = collections.defaultdict(lambda: [0, 0])
    misses = []
    for kind, lang, text, lat, lon in cases:
        place, loc = parser.find_place(text)
        ok = bool(loc and loc.found and metres(loc.lat, loc.long, lat, lon) <= WITHIN_M)
        for key in ((kind, lang), (kind, "all"), ("all", "all")):
            tally[key][0] += ok
            tally[key][1] += 1
        if not ok:
            misses.append((text, place, loc.address if loc else None, loc.reason if loc else ""))
        texts.append(text)
    print(f"\n## Place: found and within {WITHIN_M:.0f} m (target ≥ 95 %)")
    for kind in ("address", "intersection", "all"):
        langs = ("en", "es", "pl", "zh", "all") if kind != "all" else ("all",)
        cells = "  ".join(
            f"{lang} {100 * tally[(kind, lang)][0] / max(tally[(kind, lang)][1], 1):5.1f} %"
            for lang in langs
        )
        print(f"{kind:13s} n={tally[(kind, 'all')][1]:5d}  {cells}")
    for m in misses[:worst]:
        print("  miss:", m)
    return texts


def bench_fixture(parser: Parser) -> list[str]:
    cases = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line]
    by_intent: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    by_lang: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    codes = [0, 0]
    wrong = []
    for c in cases:
        r = parser.parse(c["text"], language=c.get("given_language"))
        ok = r.intent == c["intent"]
        by_intent[c["intent"]][0] += ok
        by_intent[c["intent"]][1] += 1
        by_lang[c["language"]][0] += r.language == c["language"]
        by_lang[c["language"]][1] += 1
        if c["intent"] == "report" and c.get("service_code"):
            codes[0] += r.service_code == c["service_code"]
            codes[1] += 1
        if not ok or r.language != c["language"]:
            wrong.append((c["text"], c["intent"], r.intent, c["language"], r.language))
    print(f"\n## Fixture tests/sms/data/texts.jsonl ({len(cases)} texts)")
    print("intent         right / texts")
    for intent, (ok, n) in sorted(by_intent.items()):
        print(f"  {intent:14s} {ok:4d} / {n:4d}  {100 * ok / n:5.1f} %")
    total_ok = sum(v[0] for v in by_intent.values())
    print(f"  {'all':14s} {total_ok:4d} / {len(cases):4d}  {100 * total_ok / len(cases):5.1f} %")
    print("language detected (with the conversation's language as fallback)")
    for lang, (ok, n) in sorted(by_lang.items()):
        print(f"  {lang:14s} {ok:4d} / {n:4d}  {100 * ok / n:5.1f} %")
    print(
        f"service code of labelled reports: {codes[0]} / {codes[1]} = {100 * codes[0] / max(codes[1], 1):.1f} %"
    )
    for w in wrong:
        print("  wrong:", w)
    return [c["text"] for c in cases]


def bench_speed(parser: Parser, texts: list[str]) -> None:
    started = time.perf_counter()
    for text in texts:
        parser.parse(text)
    elapsed = time.perf_counter() - started
    print(
        f"\n## Speed: {len(texts)} texts in {elapsed:.2f} s = {len(texts) / elapsed:,.0f} texts/s (one core; target ≥ 1,000)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--worst", type=int, default=15)
    ap.add_argument("--places", type=int, default=1000, help="addresses and intersections each")
    args = ap.parse_args()
    started = time.perf_counter()
    parser = Parser.load()
    print(f"Parser.load(): {time.perf_counter() - started:.2f} s")
    texts = bench_types(parser, args.data, args.worst)
    texts += bench_places(parser, args.data, args.places, args.worst)
    texts += bench_fixture(parser)
    bench_speed(Parser.load(), texts)  # a fresh parser: no cached spellings


if __name__ == "__main__":
    main()
