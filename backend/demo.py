"""`city311 seed --demo`: replays real Chicago 311 requests (demo_data/) through the write path,
and adds one staff account of each role, so every example in the README runs on the demo.

Dates are shifted by whole days so the newest request is from the last day; a request the data
closes after "now" is still open in the demo. Every write goes through RequestService.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from backend.catalog.snapshot import ServiceTypeInfo
from backend.city import CITY
from backend.errors import DomainError
from backend.service_requests.models import SubmitCommand
from backend.service_requests.repo import count_of_channel
from backend.service_requests.service import RequestService, utcnow
from backend.settings import Settings

DEMO_CSV = CITY.files.demo_requests
CHANNEL = "demo"
ACTOR = "demo"
# The demo's staff accounts (username, role, departments), all with DEMO_PASSWORD: a demo
# database is for trying the API, never for a real deployment (`city311 users create` there).
DEMO_STAFF = [
    ("ada", "admin", []),
    ("olga", "operator", []),
    ("crew1", "department", ["cdot-department-of-transportation"]),
    ("sam", "supervisor", []),
]
DEMO_PASSWORD = "city311-demo"

FINAL_STATUS = {  # the data's status -> ours; "Open" has none
    "Completed": "completed",
    "Completed - Dup": "duplicate",
    "Canceled": "cancelled",
}
NOTES = {
    "open": "Received by the department.",
    "in_progress": "A crew has been assigned.",
    "completed": "Completed by the department.",
    "duplicate": "Closed as a duplicate of an earlier request at this location.",
    "cancelled": "Cancelled by the department.",
}
HOW = {
    "Phone Call": "Reported by phone.",
    "Internet": "Reported online.",
    "Mobile Device": "Reported from the mobile app.",
    "Salesforce Mobile App": "Reported by a city worker in the field.",
    "Mass Entry": "Entered by city staff.",
    "Alderman's Office": "Reported through the alderman's office.",
}
WHAT = {
    "AVN": "Loud aircraft over the neighborhood.",
    "GRAF": "Graffiti on a building.",
    "PHF": "Pothole in the street.",
    "SFD": "Street light out on the block.",
    "SFA": "Alley light out.",
    "SFB": "Traffic signal not working at the intersection.",
    "SGA": "Rats seen on the block.",
    "SIE": "Garbage cart damaged.",
    "SKA": "Car has not moved in weeks.",
    "SCB": "Garbage not stored properly.",
    "SDR": "Debris dumped illegally.",
    "SGQ": "Dead animal needs to be picked up.",
    "BBA": "Building in poor repair.",
    "PCE": "Sign damaged.",
    "SEE": "Tree needs to be inspected.",
}


@dataclass(frozen=True)
class DemoRow:
    code: str
    status: str
    created: datetime
    closed: datetime | None
    address: str
    lat: float
    long: float
    origin: str


def read_rows(path: Path = DEMO_CSV) -> list[DemoRow]:
    with path.open(newline="", encoding="utf-8") as f:
        return [
            DemoRow(
                code=r["sr_short_code"],
                status=r["status"],
                created=datetime.fromisoformat(r["created_date"]),
                closed=datetime.fromisoformat(r["closed_date"]) if r["closed_date"] else None,
                address=r["street_address"],
                lat=float(r["latitude"]),
                long=float(r["longitude"]),
                origin=r["origin"],
            )
            for r in csv.DictReader(f)
        ]


def day_shift(rows: list[DemoRow], now: datetime) -> timedelta:
    """Whole days that bring the newest row into the last 24 hours (keeps the time of day)."""
    newest = max(r.created for r in rows)
    return timedelta(days=(now - newest) // timedelta(days=1))


def description(row: DemoRow, service_type: ServiceTypeInfo | None) -> str:
    what = WHAT.get(row.code) or (f"{service_type.name}." if service_type else "")
    return f"{what} {HOW.get(row.origin, 'Reported online.')}".strip()


def demo_answers(
    service_type: ServiceTypeInfo | None, index: int, when: datetime
) -> dict[str, object]:
    """Plausible answers to the required questions only, varied by row so the demo isn't uniform."""
    answers: dict[str, object] = {}
    for q in service_type.questions if service_type else ():
        if not q.required:
            continue
        if q.datatype in ("singlevaluelist", "multivaluelist") and q.choices:
            key = q.choices[index % min(len(q.choices), 3)].key
            answers[q.code] = key if q.datatype == "singlevaluelist" else [key]
        elif q.datatype == "number":
            answers[q.code] = 1 + index % 3
        elif q.datatype == "datetime":
            answers[q.code] = (when - timedelta(minutes=10)).isoformat(timespec="minutes")
        else:
            answers[q.code] = "See description."
    return answers


def plan(row: DemoRow, index: int, shift: timedelta, now: datetime) -> list[tuple[str, datetime]]:
    """The status changes to replay after submit, each with its time; none after `now`."""
    created = row.created + shift
    final = FINAL_STATUS.get(row.status)
    if final and row.closed is not None and row.closed + shift <= now:
        closed = max(row.closed + shift, created)
        steps = []
        if final == "completed" and closed - created > timedelta(hours=2) and index % 2 == 0:
            steps.append(("in_progress", created + (closed - created) / 2))
        return [*steps, (final, closed)]
    # Still open at `now`: some untouched, some acknowledged, some being worked on.
    stage = ("submitted", "open", "in_progress")[index % 3]
    if stage == "submitted":
        return []
    return [(stage, created + min(timedelta(hours=1), (now - created) / 2))]


async def demo_count() -> int:
    return await count_of_channel(CHANNEL)


def _stopped_at(moment: datetime) -> Callable[[], datetime]:
    """A clock that always says `moment`."""
    return lambda: moment


async def seed_demo(settings: Settings, count: int = 300) -> dict[str, int]:
    """Loads `count` demo requests once; returns counts (created, refused, then by final status)."""
    from backend.services import provide_services

    if existing := await demo_count():
        return {"created": 0, "skipped": existing}
    rows = read_rows()[: max(count, 0)]
    if not rows:
        return {"created": 0}
    now = utcnow()
    shift = day_shift(rows, now)
    services = await provide_services(settings)
    requests: RequestService = services.requests
    saved_clock = requests.clock
    counts: Counter[str] = Counter()
    try:
        # Oldest first, so tracking numbers and ids follow the creation times.
        order = sorted(range(len(rows)), key=lambda i: rows[i].created)
        submitted: list[tuple[int, str]] = []
        for i in order:
            row, when = rows[i], rows[i].created + shift
            service_type = services.catalog.by_code(row.code)
            requests.clock = _stopped_at(when)
            try:
                result = await requests.submit(
                    SubmitCommand(
                        service_code=row.code,
                        channel=CHANNEL,
                        lat=row.lat,
                        long=row.long,
                        address=row.address,
                        description=description(row, service_type),
                        answers=demo_answers(service_type, i, when),
                    )
                )
            except DomainError:
                counts["refused"] += 1
                continue
            counts["created"] += 1
            submitted.append((i, result.request.tracking_number))
        for i, tracking_number in submitted:
            status = "submitted"
            for status, at in plan(rows[i], i, shift, now):
                requests.clock = _stopped_at(at)
                await requests.transition(
                    tracking_number,
                    status,
                    actor=ACTOR,
                    channel=CHANNEL,
                    note=NOTES[status],
                    public=True,
                )
            counts[status] += 1
        known = {u.username for u in await services.staff.list_users()}
        for username, role, departments in DEMO_STAFF:
            if username not in known:
                await services.staff.create_user(username, DEMO_PASSWORD, role, departments)
                counts["staff"] += 1
    finally:
        requests.clock = saved_clock
        await services.close()
    return {
        "created": counts.pop("created", 0),
        "refused": counts.pop("refused", 0),
        **dict(sorted(counts.items())),
    }
