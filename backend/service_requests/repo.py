"""Query shapes for service requests: the only modules that know the tables and their SQL are
this one (reads) and its parts (repo_write, repo_follow, repo_work, repo_views, repo_nearby).

Reads run on the Reader (a kept-open connection, or the current transaction's when one is open);
writes use Piccolo's query builder and must run inside `Writer.transaction()`. Where the engines
differ (a row lock, when a tracking number is taken), the difference is here, not in the service.
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Any

from backend.db import Reader, as_stored
from backend.geo.distance import METRES_PER_DEGREE_GREAT_CIRCLE
from backend.service_requests.models import EventView, FeedFilters, ListFilters, Page, RequestView
from backend.service_requests.repo_follow import SubscriptionQueries
from backend.service_requests.repo_nearby import (
    cells_in_circle,
    geo_cell,
    geo_row,
)
from backend.service_requests.repo_views import MAX_ID, event_view, row_to_view, view_columns
from backend.service_requests.repo_work import WorkQueries
from backend.service_requests.repo_write import RequestWrites
from backend.service_requests.tables import ServiceRequest

__all__ = ["MAX_ID", "RequestRepo", "geo_cell", "geo_row", "row_to_view"]


class RequestRepo(RequestWrites, SubscriptionQueries, WorkQueries):
    """Reads for the request model, on the kept-open Reader connection."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        dialect = "sqlite" if reader.sqlite else "postgres"
        self._columns = view_columns(dialect)
        self._by_tracking_number = f"SELECT {self._columns} WHERE r.tracking_number = $1"
        self._by_id = f"SELECT {self._columns} WHERE r.id = $1"

    async def by_tracking_number(self, tracking_number: str) -> RequestView | None:
        row = await self.reader.fetchrow(self._by_tracking_number, tracking_number)
        return row_to_view(row) if row else None

    async def by_id(self, request_id: int) -> RequestView | None:
        row = await self.reader.fetchrow(self._by_id, request_id)
        return row_to_view(row) if row else None

    async def id_and_status(self, tracking_number: str) -> tuple[int, str] | None:
        row = await self.reader.fetchrow(
            "SELECT id, status FROM service_request WHERE tracking_number = $1", tracking_number
        )
        return (row["id"], row["status"]) if row else None

    async def events(self, request_id: int, public_only: bool) -> list[EventView]:
        sql = (
            "SELECT id, kind, from_status, to_status, note, public, actor, channel, created_at "
            "FROM request_event WHERE request = $1"
        )
        if public_only:
            sql += " AND public = $2"
        sql += " ORDER BY id"
        args = (request_id, True) if public_only else (request_id,)
        rows = await self.reader.fetch(sql, *args)
        return [event_view(r) for r in rows]

    async def public_events(self, request_ids: list[int]) -> dict[int, list[EventView]]:
        """The public history of each of a page of requests, oldest first."""
        found: dict[int, list[EventView]] = {i: [] for i in request_ids}
        if not request_ids:
            return found
        marks = ", ".join(f"${i}" for i in range(2, len(request_ids) + 2))
        rows = await self.reader.fetch(
            "SELECT id, request, kind, from_status, to_status, note, public, actor, channel, "
            f"created_at FROM request_event WHERE public = $1 AND request IN ({marks}) "
            "ORDER BY request, id",
            True,
            *request_ids,
        )
        for r in rows:
            found[r["request"]].append(event_view(r))
        return found

    async def feed(self, filters: FeedFilters) -> list[RequestView]:
        """Requests in date order (FeedFilters): each filter is a range of one of the date
        indexes of migration 0018, read in page order, so a page costs its offset and its size
        whatever the table holds."""
        where: list[str] = []
        args: list[object] = []

        def param(value: object) -> str:
            args.append(as_stored(value) if isinstance(value, datetime) else value)
            return f"${len(args)}"

        if filters.tracking_numbers is not None:
            numbers = filters.tracking_numbers or [""]
            where.append("r.tracking_number IN (" + ", ".join(param(n) for n in numbers) + ")")
        else:
            if filters.service_type_ids is not None:
                types = filters.service_type_ids or [0]
                where.append("r.service_type IN (" + ", ".join(param(t) for t in types) + ")")
            if filters.statuses is not None:
                statuses = sorted(filters.statuses) or [""]
                where.append("r.status IN (" + ", ".join(param(s) for s in statuses) + ")")
            for column, low, high in (
                ("created_at", filters.created_from, filters.created_to),
                ("updated_at", filters.updated_from, filters.updated_to),
            ):
                if low is not None:
                    where.append(f"r.{column} >= {param(low)}")
                if high is not None:
                    where.append(f"r.{column} <= {param(high)}")
            if filters.box is not None:
                south, west, north, east = filters.box
                where.append(f"r.latitude BETWEEN {param(south)} AND {param(north)}")
                where.append(f"r.longitude BETWEEN {param(west)} AND {param(east)}")
        if filters.hidden_type_ids:
            hidden = ", ".join(param(t) for t in filters.hidden_type_ids)
            where.append(f"r.service_type NOT IN ({hidden})")
        column = "updated_at" if filters.order == "updated" else "created_at"
        sql = f"SELECT {self._columns}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY r.{column}, r.id LIMIT {int(filters.limit)} OFFSET {int(filters.offset)}"
        rows = await self.reader.scan(sql, *args)
        return [row_to_view(r) for r in rows]

    async def idempotency_record(self, key: str) -> tuple[str, int] | None:
        row = await self.reader.fetchrow(
            "SELECT fingerprint, request FROM idempotency_record WHERE key = $1", key
        )
        return (row["fingerprint"], row["request"]) if row else None

    async def search(self, filters: ListFilters) -> Page:
        """Newest first: the page's ids (from the covering geo indexes when `near` is given),
        and the public views of just those, in one query."""
        where: list[str] = []
        args: list[object] = []

        def param(value: object) -> str:
            args.append(value)
            return f"${len(args)}"

        cells: list[int] = []
        if filters.near is not None:
            lat, long = filters.near
            dlat = filters.radius_m / METRES_PER_DEGREE_GREAT_CIRCLE
            ky = METRES_PER_DEGREE_GREAT_CIRCLE
            kx = METRES_PER_DEGREE_GREAT_CIRCLE * max(math.cos(math.radians(lat)), 1e-6)
            dlong = filters.radius_m / kx
            touched = cells_in_circle(lat, long, filters.radius_m, kx)
            if touched is not None:
                cells = touched
            else:
                # A wide search: for each ~278 m row its box touches, one range of longitude.
                map_rows = range(geo_row(lat - dlat), geo_row(lat + dlat) + 1)
                where.append("r.geo_row IN (" + ", ".join(param(row) for row in map_rows) + ")")
            # The box, then the exact circle on a local flat projection (error below 0.1% for a
            # few km), both checked inside the index.
            where.append(f"r.latitude BETWEEN {param(lat - dlat)} AND {param(lat + dlat)}")
            where.append(f"r.longitude BETWEEN {param(long - dlong)} AND {param(long + dlong)}")
            plat, plong, pky, pkx = param(lat), param(long), param(ky), param(kx)
            where.append(
                f"((r.latitude - {plat}) * {pky}) * ((r.latitude - {plat}) * {pky}) + "
                f"((r.longitude - {plong}) * {pkx}) * ((r.longitude - {plong}) * {pkx}) "
                f"<= {param(filters.radius_m * filters.radius_m)}"
            )
        if filters.service_type_id is not None:
            where.append(f"r.service_type = {param(filters.service_type_id)}")
        if filters.statuses:
            where.append(
                "r.status IN (" + ", ".join(param(s) for s in sorted(filters.statuses)) + ")"
            )
        if filters.reporter_device_id is not None:
            where.append(f"r.reporter_device = {param(filters.reporter_device_id)}")
        if filters.not_reporter_device_id is not None:
            where.append(
                "(r.reporter_device IS NULL OR r.reporter_device <> "
                f"{param(filters.not_reporter_device_id)})"
            )
        if filters.hidden_type_ids:
            hidden = ", ".join(param(t) for t in filters.hidden_type_ids)
            where.append(f"r.service_type NOT IN ({hidden})")
        if filters.followed_by is not None:
            where.append(
                "r.id IN (SELECT s.request FROM subscription s WHERE s.kind = "
                f"{param(filters.followed_by.kind)} AND s.target = "
                f"{param(filters.followed_by.target)})"
            )
        # Ids are PostgreSQL integers (< 2**31): a larger cursor leaves out nothing, and as a
        # parameter it would overflow the column's type there.
        if filters.before_id is not None and filters.before_id <= MAX_ID:
            where.append(f"r.id < {param(filters.before_id)}")
        limit = param(filters.limit + 1)
        if cells:
            # A narrow search: each cell's newest matches (index (geo_cell, id, …) read
            # backwards, stopping at a page), then the page of them all.
            conditions = " AND ".join(where)
            arms = " UNION ALL ".join(
                f"SELECT id FROM (SELECT r.id FROM service_request r WHERE r.geo_cell = "
                f"{param(cell)} AND {conditions} ORDER BY r.id DESC LIMIT {limit}) c{i}"
                for i, cell in enumerate(cells)
            )
            sql = f"SELECT id FROM ({arms}) nearby ORDER BY id DESC LIMIT {limit}"
        else:
            sql = "SELECT r.id FROM service_request r"
            if where:
                sql += " WHERE " + " AND ".join(where)
            sql += f" ORDER BY r.id DESC LIMIT {limit}"
        # A narrow search reads at most a page per cell, a follower's list only the requests it
        # follows (its index, then each by id): quicker on the event loop than a hop to the scan
        # thread, which under load waits a whole turn of the loop (the SMS bot's STATUS took
        # twice as long as any other text); a wide one may read thousands of index entries.
        narrow = bool(cells) or filters.followed_by is not None
        read = self.reader.fetch if narrow else self.reader.scan
        # The page's views in the same round trip: the ids above (a page and one more, to know
        # whether there is a next page) pick the rows.
        rows = await read(f"SELECT {self._columns} WHERE r.id IN ({sql}) ORDER BY r.id DESC", *args)
        views = [row_to_view(r) for r in rows[: filters.limit]]
        more = len(rows) > filters.limit
        return Page(items=views, next_before_id=views[-1].id if more and views else None)

    async def late_request_ids(
        self, service_type_id: int, created_before: datetime, statuses: list[str], limit: int
    ) -> list[int]:
        """Open requests of a type made before `created_before` and not flagged late yet."""
        marks = ", ".join(f"${i}" for i in range(3, 3 + len(statuses)))
        rows = await self.reader.fetch(
            "SELECT id FROM service_request WHERE service_type = $1 AND created_at < $2 "
            f"AND status IN ({marks}) AND sla_late_at IS NULL ORDER BY id "
            f"LIMIT {int(limit)}",
            service_type_id,
            created_before,
            *statuses,
        )
        return [r["id"] for r in rows]

    async def completed_unasked_ids(
        self,
        closed_before: datetime,
        closed_after: datetime,
        limit: int,
        hidden_type_ids: tuple[int, ...] = (),
    ) -> list[int]:
        """Requests completed between the two moments whose reporter was not asked yet (none of
        the `hidden_type_ids`: a police report is never "fixed")."""
        hidden = "".join(f" AND service_type <> {int(t)}" for t in hidden_type_ids)
        rows = await self.reader.fetch(
            "SELECT id FROM service_request WHERE status = 'completed' AND closed_at < $1 "
            f"AND closed_at >= $2 AND fixed_asked_at IS NULL{hidden} ORDER BY id "
            f"LIMIT {int(limit)}",
            closed_before,
            closed_after,
        )
        return [r["id"] for r in rows]

    async def private_details(self, request_id: int) -> dict[str, Any]:
        """What only staff see: the reporter's contact, the answers, how a call was taken."""
        row = await self.reader.fetchrow(
            "SELECT reporter_name, reporter_email, reporter_phone, "
            "interpreter_used, interpreter_language, answers FROM service_request WHERE id = $1",
            request_id,
        )
        details = dict(row or {})
        answers = details.get("answers")
        details["answers"] = json.loads(answers) if isinstance(answers, str) else answers or {}
        details["interpreter_used"] = bool(details.get("interpreter_used"))
        return details

    async def by_reporter_phone(self, phone: str, limit: int) -> list[RequestView]:
        """Requests a caller reported (their phone as stored, E.164), newest first."""
        rows = await self.reader.fetch(
            f"SELECT {self._columns} WHERE r.reporter_phone = $1 ORDER BY r.id DESC "
            f"LIMIT {int(limit)}",
            phone,
        )
        return [row_to_view(r) for r in rows]

    async def referenced_photo_uids(self, uids: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(uids), 500):
            chunk = uids[start : start + 500]
            marks = ", ".join(f"${i}" for i in range(1, len(chunk) + 1))
            rows = await self.reader.fetch(f"SELECT uid FROM photo WHERE uid IN ({marks})", *chunk)
            found.update(r["uid"] for r in rows)
        return found


async def count_of_channel(channel: str) -> int:
    """How many requests came through `channel` (Piccolo's own connection: for the CLI, before
    any service is built)."""
    count: int = await ServiceRequest.count().where(ServiceRequest.channel == channel)
    return count
