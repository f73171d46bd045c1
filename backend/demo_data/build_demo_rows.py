"""Builds demo_data/requests.csv from the real Chicago 311 sample; run by hand, never at run time.

    .venv/bin/python backend/demo_data/build_demo_rows.py /path/to/shared/data

Reads sr311/chicago_311_sample_2021-01-01_5000.csv under the given directory (or in it, when given
the sr311 directory itself), keeps rows of
types active in backend/catalog/data/service_types.csv that carry coordinates inside a community
area, picks about 400 of them with a type mix weighted by all-time popularity, and writes them in a
fixed shuffled order (so the first N rows are a fair sample). Output is deterministic.
"""

from __future__ import annotations

import csv
import random
import sys
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SERVICE_TYPES_CSV = ROOT / "backend" / "catalog" / "data" / "service_types.csv"
OUTPUT = HERE / "requests.csv"
SAMPLE = "chicago_311_sample_2021-01-01_5000.csv"
COLUMNS = [
    "sr_short_code",
    "status",
    "created_date",
    "closed_date",
    "street_address",
    "latitude",
    "longitude",
    "origin",
]
TARGET = 400
MAX_SHARE = 0.08  # no single type above 8% of the rows (Aircraft Noise alone is ~28% all-time)
SEED = 311

# Types whose address is the requester's own home or business (lead test kits, water in the
# basement, pet checks, consumer complaints...) rather than a problem in the public way: left out
# so the demo never ties a household to a request.
REQUESTER_HOME_TYPES = frozenset(
    {
        "WCA",
        "WCA2",
        "WCA3",
        "WBJ",
        "WBK",
        "AAF",
        "BUNGALOW",
        "SCSP",
        "PET",
        "SHVR",
        "OCC",
        "CSF",
        "CST",
        "CSC",
    }
)


def active_types(path: Path = SERVICE_TYPES_CSV) -> dict[str, int]:
    """Active short code -> all-time popularity, from the catalog CSV."""
    with path.open(newline="", encoding="utf-8") as f:
        return {
            r["code"]: int(r["popularity"] or 0)
            for r in csv.DictReader(f)
            if r["active"].strip().lower() == "true"
        }


def to_utc(local: str) -> str:
    """The portal's floating local time (the city's) -> ISO 8601 UTC ('' stays '')."""
    from backend.city import TIME_ZONE  # after main() has put the project on sys.path

    if not local:
        return ""
    moment = datetime.fromisoformat(local).replace(tzinfo=TIME_ZONE)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def status_of(row: dict[str, str]) -> str:
    """The row's status; a closed duplicate gets the legacy datasets' 'Completed - Dup'."""
    if row["status"] == "Completed" and row["duplicate"] == "True":
        return "Completed - Dup"
    return row["status"]


def candidates(sample: Path, types: dict[str, int]) -> dict[str, list[dict[str, str]]]:
    from backend.geo.city import city_map

    city = city_map()
    by_type: dict[str, list[dict[str, str]]] = defaultdict(list)
    with sample.open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            code = r["sr_short_code"]
            if code not in types or code in REQUESTER_HOME_TYPES:
                continue  # also drops "311 INFORMATION ONLY CALL" (311IOC, inactive)
            if not r["latitude"] or not r["longitude"] or not r["street_address"].strip():
                continue
            lat, long = round(float(r["latitude"]), 6), round(float(r["longitude"]), 6)
            if city.community_area(lat, long) is None:
                continue
            by_type[code].append(
                {
                    "sr_short_code": code,
                    "status": status_of(r),
                    "created_date": to_utc(r["created_date"]),
                    "closed_date": to_utc(r["closed_date"]),
                    "street_address": " ".join(r["street_address"].split()),
                    "latitude": f"{lat:.6f}",
                    "longitude": f"{long:.6f}",
                    "origin": r["origin"],
                }
            )
    return by_type


def quotas(available: dict[str, int], weight: dict[str, int], total: int) -> dict[str, int]:
    """Rows per type: at least one of each, then by weight, capped by availability and MAX_SHARE."""
    cap = max(1, int(total * MAX_SHARE))
    limit = {code: min(n, cap) for code, n in available.items()}
    quota = {code: 1 for code in available}
    while sum(quota.values()) < min(total, sum(limit.values())):
        open_codes = [c for c in quota if quota[c] < limit[c]]
        # Give the next row to the type furthest below its weighted share.
        code = min(open_codes, key=lambda c: (quota[c] / max(weight[c], 1), c))
        quota[code] += 1
    return quota


def build(data_dir: Path) -> list[dict[str, str]]:
    types = active_types()
    sample = data_dir / SAMPLE
    if not sample.exists():
        sample = data_dir / "sr311" / SAMPLE
    by_type = candidates(sample, types)
    quota = quotas({c: len(rows) for c, rows in by_type.items()}, types, TARGET)
    rng = random.Random(SEED)
    picked: list[dict[str, str]] = []
    for code in sorted(quota):
        picked.extend(rng.sample(by_type[code], quota[code]))
    rng.shuffle(picked)
    return picked


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        sys.exit("usage: build_demo_rows.py /path/to/shared/data")  # or .../data/sr311
    rows = build(Path(argv[0]))
    with OUTPUT.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows of {len({r['sr_short_code'] for r in rows})} types to {OUTPUT}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main(sys.argv[1:])
