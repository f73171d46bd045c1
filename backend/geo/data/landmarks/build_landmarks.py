"""Rebuilds `landmarks.csv` (the gazetteer the product reads) from this folder's source files: run
by hand, `python backend/geo/data/landmarks/build_landmarks.py`. Every point comes from data: a CTA
stop's recorded location, a park's facility (the one nearest the middle of its facilities), a
beach's published location, or a published street address placed by the offline geocoder on the
City's street files; ATTRIBUTION.md names each source. Places outside the city are left out.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[3]))

from shapely.geometry import Point, shape  # noqa: E402
from shapely.ops import nearest_points, unary_union  # noqa: E402

from backend.geo.city import CityMap  # noqa: E402
from backend.geo.distance import metres_between  # noqa: E402
from backend.geo.geocoder import Geocoder  # noqa: E402

LINES = {"RED": "red", "BLUE": "blue", "G": "green", "BRN": "brown", "P": "purple",
         "Pexp": "purple", "Y": "yellow", "Pnk": "pink", "O": "orange"}  # fmt: skip
SMALL = {"and", "of", "the", "de", "la"}
ABBREVIATIONS = {"MEML.": "MEMORIAL", "MEM.": "MEMORIAL", "TERR.": "TERRACE", "CULTL.": "CULTURAL",
                 "CTR.": "CENTER", "SQ.": "SQUARE", "PK.": "PARK", "PLGD.": "PLAYGROUND",
                 "PL.": "PLACE", "JR.": "JR", "SR.": "SR", "ST.": "ST"}  # fmt: skip
# A park whose name already says what it is keeps it; the others are "<name> Park".
PLACE_WORDS = {"PARK", "PLAYLOT", "PLAYGROUND", "SQUARE", "GARDEN", "GARDENS", "ISLAND", "CENTER",
               "BEACH", "WOODS", "MARSH", "GREEN", "CONSERVATORY", "HARBOR", "PRAIRIE", "PLAZA",
               "SANCTUARY", "BOATHOUSE", "TRAIL", "COMMONS", "POINT", "FIELD", "PIER", "ARMORY",
               "GROVE", "POND", "MEADOW", "MEADOWS", "REFUGE", "SLIP"}  # fmt: skip
BEACH_ALIASES = {  # names people use besides the Park District's
    "Margaret T Burroughs": ["31st street beach", "31st st beach", "31st beach", "burroughs beach"],
    "Osterman": ["hollywood beach", "hollywood osterman beach"],
    "Oakwood": ["39th street beach", "39th st beach", "oakwood beach"],
    "Marion Mahoney Griffin": ["griffin beach", "marion mahony griffin beach"],
    "North Avenue": ["north ave beach"],
    "Oak Street": ["oak st beach"],
    "Ohio Street": ["ohio st beach"],
    "12th Street": ["12th st beach"],
    "57th Street": ["57th st beach"],
    "63rd Street": ["63rd st beach"],
}


# Of places with one name, the one people mean first: the named venues and hospitals, then a park
# by its number of facilities (Jackson Park, not the playlot), a station by its number of lines.
WEIGHT = 1000
Row = dict[str, Any]  # one landmark, as written to landmarks.csv


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    return metres_between(a[0], a[1], b[0], b[1])


class Inside:
    """Whether a point is in the city; a point on the sand just beyond the community areas (the
    lakefront beaches: at most SHORE_M out) is moved onto the city's edge, 3 m in."""

    SHORE_M = 100.0

    def __init__(self, city: CityMap) -> None:
        self.city = city
        areas = json.loads((HERE.parent / "community_areas.geojson").read_text())["features"]
        self.outline = unary_union([shape(f["geometry"]) for f in areas]).boundary

    def __call__(self, lat: float, lon: float) -> tuple[float, float] | None:
        if self.city.contains(lat, lon):
            return lat, lon
        edge = nearest_points(self.outline, Point(lon, lat))[0]
        if metres((edge.y, edge.x), (lat, lon)) > self.SHORE_M:
            return None
        dy, dx = edge.y - lat, edge.x - lon
        step = 3.0 / max(metres((edge.y, edge.x), (lat, lon)), 1e-6)
        moved = (round(edge.y + dy * step, 6), round(edge.x + dx * step, 6))
        return moved if self.city.contains(*moved) else None


def title(words: str) -> str:
    out = []
    for i, w in enumerate(words.split()):
        low = w.lower()
        if i and low in SMALL:
            out.append(low)
        elif low in {"iit", "uic", "jr", "sr"}:
            out.append(low.upper() if low in {"iit", "uic"} else low.capitalize())
        else:
            out.append("-".join(_capital(p) for p in low.split("-")))
    return " ".join(out)


def _capital(word: str) -> str:
    """ "mckinley" -> "McKinley", "o'hallaren" -> "O'Hallaren"."""
    if word.startswith("mc") and len(word) > 3:
        return "Mc" + word[2:].capitalize()
    if word.startswith("o'") and len(word) > 2:
        return "O'" + word[2:].capitalize()
    return word.capitalize()


def stations(inside: Inside) -> list[Row]:
    by_id: dict[str, list[dict[str, str]]] = defaultdict(list)
    with (HERE / "cta_l_stops.csv").open(newline="") as f:
        for row in csv.DictReader(f):
            by_id[row["MAP_ID"]].append(row)
    out = []
    for rows in by_id.values():
        first = rows[0]
        point = inside(*(float(x) for x in first["Location"].strip("()").split(",")))
        if point is None:
            continue  # Evanston, Skokie, Oak Park, Forest Park, Rosemont
        lat, lon = point
        lines = sorted({LINES[k] for r in rows for k in LINES if r[k] == "true"})
        name = first["STATION_NAME"].replace("Ran Ryan", "Dan Ryan")
        aliases = {name.lower(), name.lower().replace("/", " ").replace("-", " ")}
        for part in re.split(r"[-/]", name):
            if len(part) > 2:
                aliases.add(part.lower())
        out.append(
            dict(
                kind="station",
                name=first["STATION_DESCRIPTIVE_NAME"].replace("Ran Ryan", "Dan Ryan"),
                lat=lat,
                long=lon,
                aliases=sorted(aliases),
                lines=" ".join(lines),
                source="cta",
                weight=len(lines),
            )
        )
    return out


def park_name(raw: str) -> tuple[str, str, str]:
    """'ABBOTT (ROBERT)' -> ('Abbott Park', 'Abbott', 'Robert'); 'ASHE (ARTHUR) BEACH' -> ('Ashe
    Beach', 'Ashe', 'Arthur')."""
    raw = " ".join(raw.upper().split())
    first = ""
    m = re.search(r"\(([^)]*)\)", raw)
    if m:
        first = m.group(1)
        raw = (raw[: m.start()] + raw[m.end() :]).strip()
    words = [ABBREVIATIONS.get(w, w) for w in raw.split()]
    core = " ".join(words)
    if words[-1] in PLACE_WORDS and len(words) > 1:  # "FIELD (EUGENE)" is Field Park
        core_short = " ".join(words[:-1]) if words[-1] == "PARK" else core
        name = core
    else:
        core_short = core
        name = core + " PARK"
    if "," in first or "&" in first or "." in first or len(first.split()) > 1:
        first = ""  # "GEORGE,JR.", "ANNA & FREDERICK", "I.S., GERTRUDE": no plain first name
    return title(name), title(core_short), title(first)


def parks(inside: Inside) -> list[Row]:
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    with (HERE / "park_facilities.csv").open(newline="") as f:
        for row in csv.DictReader(f):
            points[" ".join(row["park"].upper().split())].append(
                (float(row["latitude"]), float(row["longitude"]))
            )
    out: list[Row] = []
    for raw, pts in sorted(points.items()):
        if raw.startswith("PARK NO"):
            continue  # unnamed
        mid = (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
        point = inside(*min(pts, key=lambda p: metres(p, mid)))  # a facility, on its land
        if point is None:
            continue
        lat, lon = point
        name, core, first = park_name(raw)
        low, core_low = name.lower(), core.lower()
        aliases = {low}
        kind = "beach" if low.endswith(" beach") else "park"
        if kind == "park" and low.endswith(" park"):
            aliases |= {f"park {core_low}", f"parque {core_low}", f"el parque {core_low}"}
            aliases.add(f"parku {core_low}")  # Polish: "w parku Humboldt"
            if " " in core_low:  # "Midway Plaisance", "Back of the Yards": a name by itself
                aliases.add(core_low)
            if first:
                aliases.add(f"{first.lower()} {core_low} park")
        elif kind == "beach":
            bare = core_low[: -len(" beach")]
            aliases |= {f"playa {bare}", f"plaza {bare}", f"plazy {bare}"}
            if first:
                aliases.add(f"{first.lower()} {low}")
        else:  # "Armour Square", "Northerly Island": also with "park"
            aliases |= {f"{low} park", f"parque {low}"}
        out.append(dict(kind=kind, name=name, lat=lat, long=lon, aliases=sorted(aliases),
                        lines="", source="parks", weight=len(pts), first=first))  # fmt: skip
    names: dict[str, int] = defaultdict(int)
    for row in out:
        names[row["name"]] += 1
    for row in out:  # three Jackson Parks: "Andrew Jackson Park", "Mahalia Jackson Park"...
        if names[row["name"]] > 1 and row["first"]:
            row["name"] = f"{row['first']} {row['name']}"
    return out


def beaches(inside: Inside) -> list[Row]:
    out = []
    with (HERE / "beaches.csv").open(newline="") as f:
        for row in csv.DictReader(f):
            base = row["Beach"].strip()
            point = inside(float(row["Latitude"]), float(row["Longitude"]))
            if point is None:
                continue
            lat, lon = point
            low = base.lower()
            aliases = {f"{low} beach", f"playa {low}", f"plaza {low}", f"la playa {low}"}
            aliases |= {f"plazy {low}", f"plazowym {low}"}  # Polish: "na plaży Oak Street"
            aliases |= set(BEACH_ALIASES.get(base, []))
            if low.endswith(" street"):
                aliases.add(f"{low[:-7]} beach")
            out.append(dict(kind="beach", name=f"{base} Beach", lat=lat, long=lon,
                            aliases=sorted(aliases), lines="", source="beaches"))  # fmt: skip
    return out


def place_address(geocoder: Geocoder, inside: Inside, address: str) -> tuple[float, float] | None:
    result = geocoder.geocode(address)
    if result.lat is None or result.long is None or result.candidates or result.confidence < 0.6:
        print(f"  not placed: {address!r} ({result.reason or result.address})", file=sys.stderr)
        return None
    point = inside(result.lat, result.long)
    if point is None:
        print(f"  outside the city: {address!r}", file=sys.stderr)
    return point


# The one address of the City's list that is wrong ("740 West Taylor Avenue"); the hospital is at
# 1740 W Taylor St (tomplarge/casechek_coding_challenge @ schema.sql, see ATTRIBUTION.md).
ADDRESS_FIXES = {"740 West Taylor Avenue": "1740 W Taylor St"}


def hospitals(geocoder: Geocoder, inside: Inside) -> list[Row]:
    extra: dict[str, list[str]] = {}
    with (HERE / "hospital_aliases.csv").open(newline="") as f:
        for row in csv.DictReader(f):
            extra[row["name"]] = row["aliases"].split("|")
    out = []
    with (HERE / "hospitals.csv").open(newline="") as f:
        for row in csv.DictReader(f):
            address = ADDRESS_FIXES.get(row["address"], row["address"])
            point = place_address(geocoder, inside, address)
            if point is None:
                continue
            name = row["name"]
            aliases = {name.lower(), *extra.get(name, [])}
            out.append(dict(kind="hospital", name=name, lat=point[0], long=point[1],
                            aliases=sorted(aliases), lines="", source="hospitals"))  # fmt: skip
    return out


def venues(geocoder: Geocoder, inside: Inside) -> list[Row]:
    by_station: dict[str, tuple[float, float]] = {}
    with (HERE / "cta_l_stops.csv").open(newline="") as f:
        for row in csv.DictReader(f):
            lat, lon = (float(x) for x in row["Location"].strip("()").split(","))
            by_station.setdefault(row["STATION_NAME"], (lat, lon))
    out = []
    with (HERE / "venues.csv").open(newline="") as f:
        for row in csv.DictReader(f):
            at = row["at"]
            if at.startswith("station:"):
                point = by_station.get(at[len("station:") :])
            elif re.fullmatch(r"-?\d+\.\d+ -?\d+\.\d+", at):
                lat_text, long_text = at.split()
                point = (float(lat_text), float(long_text))
            else:
                point = place_address(geocoder, inside, at)
            point = point and inside(*point)
            if point is None:
                continue
            out.append(dict(kind=row["kind"], name=row["name"], lat=point[0], long=point[1],
                            aliases=sorted(set(row["aliases"].split("|"))), lines="",
                            source="venues"))  # fmt: skip
    return out


def main() -> None:
    inside = Inside(CityMap())
    geocoder = Geocoder.load()
    rows = venues(geocoder, inside) + hospitals(geocoder, inside)
    rows += beaches(inside) + parks(inside) + stations(inside)
    with (HERE / "landmarks.csv").open("w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(
            ["kind", "name", "latitude", "longitude", "aliases", "lines", "source", "weight"]
        )
        for r in rows:
            w.writerow([r["kind"], r["name"], f"{r['lat']:.6f}", f"{r['long']:.6f}",
                        "|".join(r["aliases"]), r["lines"], r["source"],
                        r.get("weight", WEIGHT)])  # fmt: skip
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        counts[r["kind"]] += 1
    print(f"{len(rows)} landmarks: {dict(sorted(counts.items()))}")


if __name__ == "__main__":
    main()
