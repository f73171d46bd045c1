"""Query shapes for service requests: the only module that knows the tables and their SQL.

Reads run on the Reader (a kept-open connection, or the current transaction's when one is open);
writes use Piccolo's query builder and must run inside `Writer.transaction()`. Where the engines
differ (a row lock, when a tracking number is taken), the difference is here, not in the service.
"""

from __future__ import annotations

import json
import math
from datetime import datetime

from backend.db import Reader, as_stored, as_utc
from backend.geo.distance import METRES_PER_DEGREE_GREAT_CIRCLE
from backend.service_requests.models import (
    EventView,
    FeedFilters,
    ListFilters,
    Page,
    RequestView,
    Subscriber,
)
from backend.service_requests.repo_work import WorkQueries
from backend.service_requests.tables import (
    IdempotencyRecord,
    Photo,
    RequestEvent,
    ServiceRequest,
    Subscription,
)

# the radius search's degree, as it has always been (backend/geo/distance.py says why)
METRES_PER_DEGREE_LAT = METRES_PER_DEGREE_GREAT_CIRCLE
# The nearby search's map (migration 0011 fills existing rows the same way): rows 1/400 degree of
# latitude high (~278 m), cells 1/300 degree of longitude wide (~276 m at Chicago).
GEO_ROWS_PER_DEGREE = 400
GEO_COLS_PER_DEGREE = 300
GEO_CELLS_PER_ROW = 100_000
# Up to this many cells (a radius up to ~800 m), a nearby page is read cell by cell, newest first,
# at most a page from each; a wider search range-scans its box row by row.
MAX_CELLS = 49


def geo_row(latitude: float) -> int:
    return math.floor(latitude * GEO_ROWS_PER_DEGREE)


def geo_cell(latitude: float, longitude: float) -> int:
    return geo_row(latitude) * GEO_CELLS_PER_ROW + math.floor(
        (longitude + 180) * GEO_COLS_PER_DEGREE
    )


def _cells_in_circle(lat: float, long: float, radius_m: float, kx: float) -> list[int] | None:
    """The cells of the map that the circle touches (its box's cells, less the corners it
    misses); None when that is more than MAX_CELLS (the box alone says so: near a pole a small
    circle spans every longitude, and is not enumerated cell by cell)."""
    dlat = radius_m / METRES_PER_DEGREE_LAT
    dlong = radius_m / kx
    rows = range(geo_row(lat - dlat), geo_row(lat + dlat) + 1)
    first = math.floor((long - dlong + 180) * GEO_COLS_PER_DEGREE)
    last = math.floor((long + dlong + 180) * GEO_COLS_PER_DEGREE)
    if len(rows) * (last - first + 1) > 4 * MAX_CELLS:  # the circle covers >= pi/4 of its box
        return None
    cells = []
    for row in rows:
        south, north = row / GEO_ROWS_PER_DEGREE, (row + 1) / GEO_ROWS_PER_DEGREE
        dy = max(south - lat, 0.0, lat - north) * METRES_PER_DEGREE_LAT
        for col in range(first, last + 1):
            west = col / GEO_COLS_PER_DEGREE - 180
            east = (col + 1) / GEO_COLS_PER_DEGREE - 180
            dx = max(west - long, 0.0, long - east) * kx
            if dx * dx + dy * dy <= radius_m * radius_m:
                cells.append(row * GEO_CELLS_PER_ROW + col)
    return cells if len(cells) <= MAX_CELLS else None


MAX_ID = 2**31 - 1

_PHOTO_UIDS = {
    "sqlite": "(SELECT group_concat(uid) FROM (SELECT uid FROM photo WHERE request = r.id "
    "ORDER BY position))",
    "postgres": "(SELECT string_agg(uid, ',' ORDER BY position) FROM photo WHERE request = r.id)",
}


def _view_columns(dialect: str) -> str:
    return (
        "r.id, r.tracking_number, st.code AS service_code, st.name AS service_name, r.status, "
        "r.description, r.address, r.latitude, r.longitude, r.community_area, r.ward, r.police_district, r.police_beat, "
        "r.latest_public_note, r.created_at, r.updated_at, r.closed_at, r.channel, r.media_url, "
        "r.language, "
        "(SELECT p.tracking_number FROM service_request p WHERE p.id = r.duplicate_of) "
        f"AS duplicate_of, {_PHOTO_UIDS[dialect]} AS photo_uids "
        "FROM service_request r JOIN service_type st ON st.id = r.service_type"
    )


def row_to_view(row: dict) -> RequestView:
    uids = row["photo_uids"]
    return RequestView(
        id=row["id"],
        tracking_number=row["tracking_number"],
        service_code=row["service_code"],
        service_name=row["service_name"],
        status=row["status"],
        description=row["description"],
        address=row["address"],
        lat=row["latitude"],
        long=row["longitude"],
        community_area=row["community_area"],
        ward=row["ward"],
        police_district=row["police_district"],
        police_beat=row["police_beat"],
        latest_public_note=row["latest_public_note"],
        created_at=as_utc(row["created_at"]),
        updated_at=as_utc(row["updated_at"]),
        closed_at=as_utc(row["closed_at"]),
        photo_uids=uids.split(",") if uids else [],
        channel=row["channel"],
        duplicate_of=row["duplicate_of"],
        media_url=row["media_url"],
        language=row["language"],
    )


def _event(r: dict) -> EventView:
    return EventView(
        kind=r["kind"],
        from_status=r["from_status"],
        to_status=r["to_status"],
        note=r["note"],
        public=bool(r["public"]),
        actor=r["actor"],
        channel=r["channel"],
        created_at=as_utc(r["created_at"]),
        id=r["id"],
    )


class RequestRepo(WorkQueries):
    """Reads for the request model, on the kept-open Reader connection."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        dialect = "sqlite" if reader.sqlite else "postgres"
        self._columns = _view_columns(dialect)
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
        return [_event(r) for r in rows]

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
            found[r["request"]].append(_event(r))
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

    async def list(self, filters: ListFilters) -> Page:
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
            dlat = filters.radius_m / METRES_PER_DEGREE_LAT
            ky = METRES_PER_DEGREE_LAT
            kx = METRES_PER_DEGREE_LAT * max(math.cos(math.radians(lat)), 1e-6)
            dlong = filters.radius_m / kx
            narrow = _cells_in_circle(lat, long, filters.radius_m, kx)
            if narrow is not None:
                cells = narrow
            else:
                # A wide search: for each ~278 m row its box touches, one range of longitude.
                rows = range(geo_row(lat - dlat), geo_row(lat + dlat) + 1)
                where.append("r.geo_row IN (" + ", ".join(param(row) for row in rows) + ")")
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

    # -- writes (inside Writer.transaction()) -----------------------------------------------

    async def tracking_sequence_before_transaction(self, year: int) -> int | None:
        """PostgreSQL takes the number in a statement of its own just before the submit's
        transaction, so the sequence row is locked for one statement, not for the whole submit
        (which made submits queue on it: 247/s); like a SEQUENCE, a failed submit leaves a gap,
        never a duplicate. SQLite has one writer anyway: None, and the number is taken inside
        the transaction (a rolled-back submit gives it back)."""
        return None if self.reader.sqlite else await self._next_sequence(year)

    async def tracking_sequence(self, year: int, taken: int | None) -> int:
        return taken if taken is not None else await self._next_sequence(year)

    async def _next_sequence(self, year: int) -> int:
        rows = await ServiceRequest.raw(_NEXT_SEQUENCE, year)
        return rows[0]["last_value"]

    async def insert_request(self, **values: object) -> int:
        values["answers"] = json.dumps(values["answers"])
        values["reporter_extra"] = json.dumps(values.get("reporter_extra") or {})
        values["geo_row"] = geo_row(values["latitude"])
        values["geo_cell"] = geo_cell(values["latitude"], values["longitude"])
        rows = await ServiceRequest.insert(ServiceRequest(**values)).returning(ServiceRequest.id)
        return rows[0]["id"]

    async def insert_event(
        self,
        request_id: int,
        kind: str,
        *,
        actor: str,
        channel: str,
        at: datetime,
        public: bool = True,
        note: str | None = None,
        from_status: str | None = None,
        to_status: str | None = None,
    ) -> int:
        rows = await RequestEvent.insert(
            RequestEvent(
                request=request_id,
                kind=kind,
                from_status=from_status,
                to_status=to_status,
                note=note,
                public=public,
                actor=actor,
                channel=channel,
                created_at=at,
            )
        ).returning(RequestEvent.id)
        return rows[0]["id"]

    async def insert_photos(
        self, request_id: int, photos: list[tuple[str, int, int, int]], at: datetime
    ) -> None:
        """photos: (uid, width, height, size in bytes), in order."""
        if photos:
            await Photo.insert(
                *[
                    Photo(
                        uid=uid,
                        request=request_id,
                        position=i,
                        width=w,
                        height=h,
                        size_bytes=size,
                        created_at=at,
                    )
                    for i, (uid, w, h, size) in enumerate(photos)
                ]
            )

    async def insert_idempotency_key(
        self, key: str, fingerprint: str, request_id: int, at: datetime
    ) -> None:
        await IdempotencyRecord.insert(
            IdempotencyRecord(key=key, fingerprint=fingerprint, request=request_id, created_at=at)
        )

    async def current_status_for_update(self, request_id: int) -> str:
        """The status, locked until the transaction ends (PostgreSQL's row lock; SQLite's single
        writer already is one), so two concurrent changes of one request run one after the other."""
        lock = "" if self.reader.sqlite else " FOR UPDATE"
        rows = await self.reader.fetch(
            "SELECT status FROM service_request WHERE id = $1" + lock, request_id
        )
        return rows[0]["status"]

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

    async def reporters(self, request_id: int) -> list[Subscriber]:
        """Who reported it, as followers: its phone (SMS) or its device (the app)."""
        row = await self.reader.fetchrow(
            "SELECT reporter_phone, reporter_device FROM service_request WHERE id = $1",
            request_id,
        )
        found = []
        if row and row["reporter_phone"]:
            phone = Subscriber.phone(row["reporter_phone"])
            for s in await self.subscribers(request_id):  # in the language it follows in
                if s.kind == "phone" and s.target == phone.target:
                    phone = s
            found.append(phone)
        if row and row["reporter_device"]:
            found.append(Subscriber.device(row["reporter_device"]))
        return found

    async def relocate(self, request_id: int, **values: object) -> None:
        """A new place: its point, its map row and cell, its address and areas."""
        values["geo_row"] = geo_row(values["latitude"])
        values["geo_cell"] = geo_cell(values["latitude"], values["longitude"])
        await self.update_request(request_id, **values)

    async def private_details(self, request_id: int) -> dict:
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

    async def update_request(self, request_id: int, **values: object) -> None:
        columns = {getattr(ServiceRequest, name): value for name, value in values.items()}
        await ServiceRequest.update(columns).where(ServiceRequest.id == request_id)

    async def subscribe(self, request_id: int, subscriber: Subscriber, at: datetime) -> bool:
        """True when this subscriber did not follow the request yet. Idempotent under concurrency:
        the unique key (request, kind, target) and ON CONFLICT DO NOTHING, on both engines."""
        rows = (
            await Subscription.insert(
                Subscription(
                    request=request_id,
                    kind=subscriber.kind,
                    target=subscriber.target,
                    language=subscriber.language,
                    created_at=at,
                )
            )
            .on_conflict(action="DO NOTHING")
            .returning(Subscription.id)
        )
        return bool(rows)

    async def set_subscriber_language(self, kind: str, target: str, language: str) -> int:
        rows = (
            await Subscription.update({Subscription.language: language})
            .where((Subscription.kind == kind) & (Subscription.target == target))
            .returning(Subscription.id)
        )
        return len(rows)

    async def unsubscribe(self, request_id: int, subscriber: Subscriber) -> bool:
        rows = (
            await Subscription.delete()
            .where(
                (Subscription.request == request_id)
                & (Subscription.kind == subscriber.kind)
                & (Subscription.target == subscriber.target)
            )
            .returning(Subscription.id)
        )
        return bool(rows)

    async def is_subscribed(self, request_id: int, subscriber: Subscriber) -> bool:
        row = await self.reader.fetchrow(
            "SELECT 1 AS found FROM subscription WHERE request = $1 AND kind = $2 AND target = $3",
            request_id,
            subscriber.kind,
            subscriber.target,
        )
        return row is not None

    async def subscribers(self, request_id: int) -> list[Subscriber]:
        rows = await self.reader.fetch(
            "SELECT kind, target, language FROM subscription WHERE request = $1 ORDER BY id",
            request_id,
        )
        return [Subscriber(r["kind"], r["target"], r["language"]) for r in rows]

    async def delete_idempotency_keys_before(self, moment: datetime) -> int:
        rows = (
            await IdempotencyRecord.delete()
            .where(IdempotencyRecord.created_at < moment)
            .returning(IdempotencyRecord.id)
        )
        return len(rows)

    async def referenced_photo_uids(self, uids: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(uids), 500):
            chunk = uids[start : start + 500]
            marks = ", ".join(f"${i}" for i in range(1, len(chunk) + 1))
            rows = await self.reader.fetch(f"SELECT uid FROM photo WHERE uid IN ({marks})", *chunk)
            found.update(r["uid"] for r in rows)
        return found


_NEXT_SEQUENCE = (
    "INSERT INTO tracking_sequence (year, last_value) VALUES ({}, 1) "
    "ON CONFLICT (year) DO UPDATE SET last_value = tracking_sequence.last_value + 1 "
    "RETURNING last_value"
)
