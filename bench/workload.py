"""Realistic request contents for the benchmarks: real Chicago points and types, valid answers.

Points and service types are drawn from the real 311 sample rows in backend/demo_data/requests.csv,
jittered by a Gaussian of `jitter_m` metres and kept inside the City of Chicago (the same CityMap
the API checks submissions against). Answers cover every required question of the type (and some
optional ones), in the forms backend/catalog/answers.py accepts. Nothing here touches a database.
"""

from __future__ import annotations

import csv
import json
import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from backend.geo.distance import METRES_PER_DEGREE_GREAT_CIRCLE

ROOT = Path(__file__).resolve().parent.parent
DEMO_CSV = ROOT / "backend" / "demo_data" / "requests.csv"
QUESTIONS_JSON = ROOT / "backend" / "catalog" / "data" / "questions.json"
SERVICE_TYPES_CSV = ROOT / "backend" / "catalog" / "data" / "service_types.csv"
CHICAGO_TZ = timezone(timedelta(hours=-6))  # CST; the answer only needs an offset

WHAT = {
    "AVN": ["Planes very loud over the house all evening.", "Low flights again this morning."],
    "GRAF": ["Graffiti sprayed on the side of the building.", "Tags on the garage door."],
    "PHF": ["Deep pothole, cars swerving around it.", "Pothole near the curb, getting bigger."],
    "SFD": ["Street light out on the block.", "Light flickering on and off all night."],
    "SFA": ["Alley light out behind the house."],
    "SFB": ["Traffic signal dark at the intersection."],
    "SGA": ["Rats running in the alley near the garbage carts.", "Rat burrows in the yard."],
    "SIE": ["Garbage cart lid broken.", "Cart cracked, needs replacing."],
    "SKA": ["Car has not moved in weeks, flat tires.", "Vehicle parked for a month, no plates."],
    "SCB": ["Garbage bags left outside the carts."],
    "SDR": ["Mattress and furniture dumped in the alley."],
    "SGQ": ["Dead animal on the parkway."],
    "BBA": ["Building porch looks unsafe."],
    "PCE": ["Stop sign bent over."],
    "SEE": ["Tree branch hanging over the sidewalk."],
}
EXTRA = [
    "",
    "",
    " Please check soon.",
    " Reported before, still there.",
    " Near the bus stop.",
    " Thank you!",
    " It is getting worse.",
]
FIRST_NAMES = ["Maria", "James", "Aisha", "Chen", "Luis", "Olga", "Tom", "Keisha", "Raj", "Ana"]
LAST_NAMES = ["Garcia", "Smith", "Johnson", "Nguyen", "Kowalski", "Brown", "Patel", "Lopez"]


@dataclass(frozen=True)
class SampleRow:
    code: str
    lat: float
    long: float
    address: str


@dataclass(frozen=True)
class Submission:
    service_code: str
    lat: float
    long: float
    address: str
    description: str
    answers: dict[str, Any]
    name: str | None
    email: str | None
    phone: str | None

    def api_json(self) -> dict[str, Any]:
        """The body of POST /api/v1/requests (camelCase, as SubmitIn reads it)."""
        body: dict[str, Any] = {
            "serviceCode": self.service_code,
            "lat": self.lat,
            "long": self.long,
            "address": self.address,
            "description": self.description,
            "answers": self.answers,
        }
        for key in ("name", "email", "phone"):
            if getattr(self, key):
                body[key] = getattr(self, key)
        return body


def read_sample_rows(path: Path = DEMO_CSV) -> list[SampleRow]:
    with path.open(newline="", encoding="utf-8") as f:
        return [
            SampleRow(
                r["sr_short_code"], float(r["latitude"]), float(r["longitude"]), r["street_address"]
            )
            for r in csv.DictReader(f)
        ]


def file_catalog() -> tuple[set[str], dict[str, list[dict[str, Any]]]]:
    """Active codes and questions per code, from the catalog files (before they are loaded)."""
    with SERVICE_TYPES_CSV.open(newline="", encoding="utf-8") as f:
        active = {r["code"] for r in csv.DictReader(f) if r["active"].strip().lower() == "true"}
    questions = {
        code: spec.get("questions", [])
        for code, spec in json.loads(QUESTIONS_JSON.read_text()).items()
    }
    return active, questions


def _question_dict(q: Any) -> dict[str, Any]:
    if isinstance(q, Mapping):
        return dict(q)
    return {
        "code": q.code,
        "datatype": q.datatype,
        "required": q.required,
        "choices": [{"key": c.key, "name": c.name} for c in q.choices],
    }


class Workload:
    """Draws submissions; `questions` maps a service code to its questions (dicts or Structs)."""

    def __init__(
        self,
        active_codes: Iterable[str],
        questions: Mapping[str, Iterable[Any]],
        *,
        seed: int = 311,
        jitter_m: float = 150.0,
    ) -> None:
        from backend.geo.city import city_map

        self.city = city_map()
        self.rng = random.Random(seed)
        self.jitter_m = jitter_m
        self.questions = {code: [_question_dict(q) for q in qs] for code, qs in questions.items()}
        active = set(active_codes)
        self.rows = [
            r for r in read_sample_rows() if r.code in active and self.city.contains(r.lat, r.long)
        ]
        if not self.rows:
            raise SystemExit("no usable sample rows: is the catalog loaded?")
        self.skipped_rows = len(read_sample_rows()) - len(self.rows)

    def point_near(
        self, lat: float, long: float, jitter_m: float | None = None
    ) -> tuple[float, float]:
        """A point within a Gaussian `jitter_m` of (lat, long), inside the city."""
        sigma = self.jitter_m if jitter_m is None else jitter_m
        for _ in range(20):
            dlat = self.rng.gauss(0, sigma) / METRES_PER_DEGREE_GREAT_CIRCLE
            dlong = self.rng.gauss(0, sigma) / (
                METRES_PER_DEGREE_GREAT_CIRCLE * math.cos(math.radians(lat))
            )
            p = (round(lat + dlat, 6), round(long + dlong, 6))
            if self.city.contains(*p):
                return p
        return lat, long  # the sample row itself is inside the city

    def dense_point(self) -> tuple[float, float]:
        """A point where requests are: a real request's location, jittered."""
        row = self.rng.choice(self.rows)
        return self.point_near(row.lat, row.long)

    def answers(self, code: str, now: datetime) -> dict[str, Any]:
        rng, out = self.rng, {}
        for q in self.questions.get(code, []):
            if not q.get("required") and rng.random() > 0.3:
                continue
            keys = [c["key"] for c in q.get("choices") or []]
            match q["datatype"]:
                case "singlevaluelist" if keys:
                    out[q["code"]] = rng.choice(keys)
                case "multivaluelist" if keys:
                    out[q["code"]] = rng.sample(keys, k=min(len(keys), rng.randint(1, 2)))
                case "number":
                    out[q["code"]] = rng.randint(1, 5)
                case "datetime":
                    moment = now.astimezone(CHICAGO_TZ) - timedelta(minutes=rng.randint(5, 4000))
                    out[q["code"]] = moment.isoformat(timespec="minutes")
                case "string":
                    out[q["code"]] = rng.choice(["Near the corner", "Blue sedan", "Back of lot"])
                case "text":
                    out[q["code"]] = rng.choice(["Seen several times this week.", "See photo."])
                case _:
                    if q.get("required"):
                        raise SystemExit(f"{code}: cannot answer required question {q}")
        return out

    def submission(self, now: datetime | None = None) -> Submission:
        rng = self.rng
        now = now or datetime.now(UTC)
        row = rng.choice(self.rows)
        lat, long = self.point_near(row.lat, row.long)
        what = rng.choice(WHAT.get(row.code, ["Please take a look."]))
        name = email = phone = None
        if rng.random() < 0.25:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            name = f"{first} {last}"
            email = f"{first.lower()}.{last.lower()}{rng.randint(1, 99)}@example.com"
        if rng.random() < 0.15:
            phone = f"+1312555{rng.randint(0, 9999):04d}"
        return Submission(
            service_code=row.code,
            lat=lat,
            long=long,
            address=row.address,
            description=what + rng.choice(EXTRA),
            answers=self.answers(row.code, now),
            name=name,
            email=email,
            phone=phone,
        )
