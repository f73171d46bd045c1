"""Open311's GET requests arguments -> FeedFilters: the spec's filters and defaults, and the
extensions clients send (page/page_size, updated_after/updated_before, a bounding box).

An empty argument is an absent one (the spec's rule). Bad values are 400s naming the argument.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from backend.catalog.snapshot import Catalog
from backend.city import TIME_ZONE
from backend.errors import InvalidInput
from backend.limits import MOMENTS, in_range, shown
from backend.service_requests.models import FeedFilters
from backend.service_requests.tracking import parse_tracking_number
from backend.service_requests.workflow import CLOSED_STATUSES, OPEN_STATUSES

WINDOW = timedelta(days=90)
MAX_PAGE_SIZE = 1000
MAX_PAGE = 100_000
MAX_IDS = 1000
STATUS_GROUPS = {"open": OPEN_STATUSES, "closed": CLOSED_STATUSES}


class FeedQuery:
    """The parsed arguments: `filters` for the repo, and whether `extensions=true`."""

    def __init__(self, filters: FeedFilters, extensions: bool) -> None:
        self.filters = filters
        self.extensions = extensions


def _arg(query: Mapping[str, str], name: str) -> str | None:
    value = query.get(name)
    return value.strip() or None if value is not None else None


def _bad(name: str, message: str) -> InvalidInput:
    return InvalidInput.for_field(name, f"{name}: {message}")


def parse_moment(query: Mapping[str, str], name: str) -> datetime | None:
    """A W3C datetime (an offset, or Z); a date alone or a time without an offset is Chicago's."""
    value = _arg(query, name)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        raise _bad(
            name, f"'{shown(value)}' is not a date and time, e.g. 2026-01-31T00:00:00-06:00"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TIME_ZONE)
    if not in_range(moment):
        raise _bad(name, f"'{shown(value)}' is not {MOMENTS}")
    return moment


def _int(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    value = _arg(query, name)
    if value is None:
        return default
    if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
        raise _bad(name, f"'{shown(value)}' is not a whole number from {low} to {high}")
    return int(value)


def _float(query: Mapping[str, str], name: str, low: float, high: float) -> float | None:
    value = _arg(query, name)
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not low <= number <= high:  # NaN fails too
        raise _bad(name, f"'{shown(value)}' is not a number from {low:g} to {high:g}")
    return number


def _list(query: Mapping[str, str], name: str) -> list[str] | None:
    value = _arg(query, name)
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()] or None


def parse_feed_query(query: Mapping[str, str], catalog: Catalog, now: datetime) -> FeedQuery:
    extensions = (_arg(query, "extensions") or "false").lower() in ("true", "1", "yes")
    page = _int(query, "page", 1, 1, MAX_PAGE)
    size = _int(query, "page_size", MAX_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    paging = {"offset": (page - 1) * size, "limit": size}

    ids = _list(query, "service_request_id")
    if ids is not None:
        # The spec: a list of ids overrides every other argument.
        if len(ids) > MAX_IDS:
            raise _bad("service_request_id", f"at most {MAX_IDS} ids at a time")
        numbers = [parse_tracking_number(i) for i in ids]
        return FeedQuery(
            FeedFilters(tracking_numbers=[n for n in numbers if n], **paging), extensions
        )

    types = None
    if (codes := _list(query, "service_code")) is not None:
        types = []
        for code in codes:
            found = catalog.by_code(code)
            if found is None:
                raise _bad("service_code", f"'{shown(code)}' is not a service code")
            types.append(found.id)

    statuses = None
    if (groups := _list(query, "status")) is not None:
        statuses = set()
        for group in groups:
            if group.lower() not in STATUS_GROUPS:
                raise _bad("status", f"'{shown(group)}' is not a status; use open, closed or both")
            statuses |= {s.value for s in STATUS_GROUPS[group.lower()]}

    start, end = parse_moment(query, "start_date"), parse_moment(query, "end_date")
    updated_from = parse_moment(query, "updated_after")
    updated_to = parse_moment(query, "updated_before")
    if start and end and end < start:
        raise _bad("end_date", "is before start_date")
    if start and end and end - start > WINDOW:
        raise _bad("end_date", "a date range may span at most 90 days; page through longer ones")
    if updated_from and updated_to and updated_to < updated_from:
        raise _bad("updated_before", "is before updated_after")
    incremental = updated_from is not None or updated_to is not None
    if not incremental:
        # The spec's default: the last 90 days (and a range never longer than that).
        if start is None and end is None:
            start = now - WINDOW
        elif start is None:
            start = end - WINDOW
        elif end is None and now - start > WINDOW:
            end = start + WINDOW

    box = None
    corners = [
        _float(query, "lat_sw", -90, 90),
        _float(query, "long_sw", -180, 180),
        _float(query, "lat_ne", -90, 90),
        _float(query, "long_ne", -180, 180),
    ]
    if any(c is not None for c in corners):
        if any(c is None for c in corners):
            raise _bad("lat_ne", "a bounding box needs lat_ne, long_ne, lat_sw and long_sw")
        south, west, north, east = corners
        if south > north or west > east:
            raise _bad("lat_ne", "the north-east corner must be north and east of the south-west")
        box = (south, west, north, east)

    return FeedQuery(
        FeedFilters(
            service_type_ids=types,
            statuses=frozenset(statuses) if statuses is not None else None,
            created_from=start,
            created_to=end,
            updated_from=updated_from,
            updated_to=updated_to,
            box=box,
            order="updated" if incremental else "created",
            **paging,
        ),
        extensions,
    )
