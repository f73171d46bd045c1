"""Accuracy and speed of the offline geocoder against real 311 rows and every named intersection.

    .venv/bin/python bench/geocode_accuracy.py [--data ../shared/data] [--worst 20]

311 rows (the 2021 sample and the 2011-2013 legacy samples) carry the address the city recorded
and the point it put it at: each address is geocoded and its distance to that point measured.
Rows whose point is missing or outside the city are left out and counted. Figures are given per
row (the 2021 sample is 58 % one address, the 311 centre's) and per distinct address.
Every intersection of the street file is then asked for by its two names in random order, in
three spellings: the full names ("N ABERDEEN ST & W ANCONA ST"), without direction ("ancona st and
aberdeen st") and the bare names ("ancona and aberdeen"; 6.4 % of bare pairs name two places 60+ m
apart, 63rd St and 63rd Pl, so no one answer is within 30 m of both: the ceiling is printed too). Last, reverse() on random points.
"""

from __future__ import annotations

import argparse
import csv
import glob
import itertools
import math
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend.geo.city import city_map  # noqa: E402
from backend.geo.distance import METRES_PER_DEGREE_LAT, METRES_PER_DEGREE_LONG, metres_between  # noqa: E402
from backend.geo.geocoder import Geocoder  # noqa: E402


def metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return metres_between(lat1, lon1, lat2, lon2)


def read_311(data: Path) -> list[tuple[str, str, str, str]]:
    """(source, address, lat, long) of every row."""
    rows = []
    with open(data / "sr311" / "chicago_311_sample_2021-01-01_5000.csv", newline="") as f:
        for r in csv.DictReader(f):
            rows.append(("2021", r["street_address"], r["latitude"], r["longitude"]))
    for path in sorted(glob.glob(str(data / "sr311" / "legacy_samples_2011_2018" / "*.csv"))):
        with open(path, newline="") as f:
            for r in csv.DictReader(f):
                r = {k.upper(): v for k, v in r.items()}
                rows.append(("legacy", r["STREET ADDRESS"], r["LATITUDE"], r["LONGITUDE"]))
    return rows


def pct(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def summary(label: str, errors: list[float], asked: int) -> str:
    answered = len(errors)
    return (
        f"{label:28s} rows {asked:6d}  answered {100 * answered / max(asked, 1):5.1f} %  "
        f"median {statistics.median(errors) if errors else float('nan'):6.1f} m  "
        f"p90 {pct(errors, 0.90):6.1f} m  p95 {pct(errors, 0.95):6.1f} m  "
        f"≤100 m {100 * sum(e <= 100 for e in errors) / max(asked, 1):5.1f} %"
    )


def bench_311(g: Geocoder, data: Path, worst: int) -> None:
    city = city_map()
    rows = read_311(data)
    kept, missing, outside = [], 0, 0
    for source, address, lat, lon in rows:
        if not lat or not lon:
            missing += 1
            continue
        lat_f, lon_f = float(lat), float(lon)
        if not city.contains(lat_f, lon_f):
            outside += 1
            continue
        kept.append((source, address, lat_f, lon_f))
    print(f"311 rows: {len(rows)}; left out: {missing} without a point, {outside} outside the city")
    started = time.perf_counter()
    answers = [g.geocode(address) for _, address, _, _ in kept]
    elapsed = time.perf_counter() - started
    print(f"speed: {len(kept) / elapsed:,.0f} addresses/s on one core ({len(kept)} rows)")
    by_source: dict[str, list[float]] = {}
    asked: dict[str, int] = {}
    distinct: dict[tuple[str, str], float | None] = {}  # the last row's error of each address
    misses = []
    for (source, address, lat, lon), answer in zip(kept, answers, strict=True):
        asked[source] = asked.get(source, 0) + 1
        asked["all"] = asked.get("all", 0) + 1
        error = metres(lat, lon, answer.lat, answer.long) if answer.found else None
        distinct[(source, address.upper())] = error
        if error is None:
            misses.append((float("inf"), address, answer.reason))
            continue
        by_source.setdefault(source, []).append(error)
        by_source.setdefault("all", []).append(error)
        misses.append((error, address, answer.address))
    for source in ("2021", "legacy", "all"):
        print(summary(f"per row, {source}", by_source.get(source, []), asked.get(source, 0)))
    for source in ("2021", "legacy", "all"):
        errors = [e for (s, _), e in distinct.items() if source in (s, "all")]
        found = [e for e in errors if e is not None]
        print(summary(f"per distinct address, {source}", found, len(errors)))
    if worst:
        misses.sort(key=lambda m: -m[0])
        shown: set[str] = set()
        for error, address, what in misses:
            if address.upper() not in shown and len(shown) < worst:
                shown.add(address.upper())
                print(f"   {error:8.0f} m  {address!r:40s} -> {what}")


def most_within(points: list[tuple[float, float]], radius: float) -> int:
    """The most of `points` one answer can lie within `radius` of: the best circle of that
    radius has two of them on its edge, or is centred on one (points are a few, so every pair)."""
    xy = [(lat * METRES_PER_DEGREE_LAT, lon * METRES_PER_DEGREE_LONG) for lat, lon in points]
    centres = list(xy)
    for (ax, ay), (bx, by) in itertools.combinations(xy, 2):
        d = math.hypot(bx - ax, by - ay)
        if 0 < d <= 2 * radius:
            h = math.sqrt(radius * radius - d * d / 4)
            mx, my = (ax + bx) / 2, (ay + by) / 2
            ux, uy = (by - ay) / d, (ax - bx) / d
            centres += [(mx + h * ux, my + h * uy), (mx - h * ux, my - h * uy)]
    eps = 1e-6
    return max(sum(math.hypot(x - cx, y - cy) <= radius + eps for x, y in xy) for cx, cy in centres)


def bench_intersections(g: Geocoder, worst: int) -> None:
    rng = random.Random(311)
    joins = (" and ", " & ", " / ", " at ")
    streets = g.map.streets
    spellings = {
        "full names": lambda k: k,
        "no direction": lambda k: " ".join(k.split()[1:]),
        "bare names": lambda k: streets[k].name,
    }
    crossings = list(g.map.crossings.items())
    spread: dict[frozenset[str], list[tuple[float, float]]] = {}
    for pair, (lat, lon, _) in crossings:
        spread.setdefault(frozenset(streets[k].name for k in pair), []).append((lat, lon))
    ceiling = sum(most_within(points, 30.0) for points in spread.values())
    print(
        f"bare names name the same pair of streets 60+ m apart (63rd St and 63rd Pl, ramps): "
        f"one answer per text can be within 30 m for at most {100 * ceiling / len(crossings):.2f} %"
    )
    for label, spell in spellings.items():
        good, bad = 0, []
        started = time.perf_counter()
        for pair, (lat, lon, _) in crossings:
            a, b = sorted(pair)
            if rng.random() < 0.5:
                a, b = b, a
            text = spell(a).lower() + rng.choice(joins) + spell(b).lower()
            answer = g.geocode(text)
            if answer.found and metres(lat, lon, answer.lat, answer.long) <= 30:
                good += 1
            else:
                bad.append((text, answer.address or answer.reason))
        rate = len(crossings) / (time.perf_counter() - started)
        print(
            f"intersections, {label:13s}: {100 * good / len(crossings):6.2f} % within 30 m "
            f"of {len(crossings)}  ({rate:,.0f}/s)"
        )
        for text, what in bad[: worst // 4]:
            print(f"   {text!r:60s} -> {what}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--worst", type=int, default=0, help="print the N worst answers")
    args = parser.parse_args()
    started = time.perf_counter()
    g = Geocoder.load()
    print(f"load: {time.perf_counter() - started:.2f} s")
    bench_311(g, args.data, args.worst)
    bench_intersections(g, args.worst)
    rng = random.Random(1)
    points = [(rng.uniform(41.65, 42.02), rng.uniform(-87.8, -87.55)) for _ in range(5000)]
    started = time.perf_counter()
    found = sum(g.reverse(lat, lon).found for lat, lon in points)
    rate = len(points) / (time.perf_counter() - started)
    print(f"reverse: {rate:,.0f} points/s; {found} of {len(points)} random points near a street")
    bench_areas(points * 4)


def bench_areas(points: list[tuple[float, float]]) -> None:
    """Point -> ward, community area, neighborhood, district and beat (CityMap.places)."""
    from backend.geo.city import CityMap

    started = time.perf_counter()
    city = CityMap()
    print(f"areas load: {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    inside = sum(city.places(lat, lon) is not None for lat, lon in points)
    rate = len(points) / (time.perf_counter() - started)
    print(f"areas: {rate:,.0f} points/s; {inside} of {len(points)} random points in the city")


if __name__ == "__main__":
    main()
