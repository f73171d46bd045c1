"""Query shapes for service requests: the only module that knows the tables' SQL."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from backend.db import Reader
from backend.service_requests.models import EventView, ListFilters, Page, RequestView

METRES_PER_DEGREE_LAT = 111_320.0

_PHOTO_UIDS = {
    "sqlite": "(SELECT group_concat(uid) FROM (SELECT uid FROM photo WHERE request = r.id "
    "ORDER BY position))",
    "postgres": "(SELECT string_agg(uid, ',' ORDER BY position) FROM photo WHERE request = r.id)",
}


def _view_columns(dialect: str) -> str:
    return (
        "r.id, r.tracking_number, st.code AS service_code, st.name AS service_name, r.status, "
        "r.description, r.address, r.latitude, r.longitude, r.community_area, "
        "r.latest_public_note, r.created_at, r.updated_at, r.closed_at, "
        f"{_PHOTO_UIDS[dialect]} AS photo_uids "
        "FROM service_request r JOIN service_type st ON st.id = r.service_type"
    )


def _as_utc(value: datetime | str | None) -> datetime | None:
    """SQLite gives the stored text (Piccolo writes UTC without an offset); PostgreSQL a datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
    return value


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
        latest_public_note=row["latest_public_note"],
        created_at=_as_utc(row["created_at"]),
        updated_at=_as_utc(row["updated_at"]),
        closed_at=_as_utc(row["closed_at"]),
        photo_uids=uids.split(",") if uids else [],
    )


class RequestRepo:
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
            "SELECT kind, from_status, to_status, note, public, actor, channel, created_at "
            "FROM request_event WHERE request = $1"
        )
        if public_only:
            sql += " AND public = $2"
        sql += " ORDER BY id"
        args = (request_id, True) if public_only else (request_id,)
        rows = await self.reader.fetch(sql, *args)
        return [
            EventView(
                kind=r["kind"],
                from_status=r["from_status"],
                to_status=r["to_status"],
                note=r["note"],
                public=bool(r["public"]),
                actor=r["actor"],
                channel=r["channel"],
                created_at=_as_utc(r["created_at"]),
            )
            for r in rows
        ]

    async def idempotency_record(self, key: str) -> tuple[str, int] | None:
        row = await self.reader.fetchrow(
            "SELECT fingerprint, request FROM idempotency_record WHERE key = $1", key
        )
        return (row["fingerprint"], row["request"]) if row else None

    async def list(self, filters: ListFilters) -> Page:
        """Newest first. Two steps: the matching ids (from the covering geo index when `near` is
        given), then the public views of just that page."""
        where: list[str] = []
        args: list[object] = []

        def param(value: object) -> str:
            args.append(value)
            return f"${len(args)}"

        if filters.near is not None:
            lat, long = filters.near
            dlat = filters.radius_m / METRES_PER_DEGREE_LAT
            cos_lat = math.cos(math.radians(lat))
            dlong = dlat / max(cos_lat, 1e-6)
            # A bounding box the index can range-scan, then the exact circle on a local flat
            # projection (error below 0.1% for radii of a few kilometres).
            where.append(f"r.latitude BETWEEN {param(lat - dlat)} AND {param(lat + dlat)}")
            where.append(f"r.longitude BETWEEN {param(long - dlong)} AND {param(long + dlong)}")
            ky, kx = METRES_PER_DEGREE_LAT, METRES_PER_DEGREE_LAT * cos_lat
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
        if filters.follower_device_id is not None:
            where.append("r.id IN (SELECT f.request FROM follower f WHERE f.device = "
                         f"{param(filters.follower_device_id)})")
        if filters.before_id is not None:
            where.append(f"r.id < {param(filters.before_id)}")
        sql = "SELECT r.id FROM service_request r"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY r.id DESC LIMIT {param(filters.limit + 1)}"
        ids = [row["id"] for row in await self.reader.scan(sql, *args)]
        page_ids, more = ids[: filters.limit], len(ids) > filters.limit
        return Page(items=await self._views(page_ids),
                    next_before_id=page_ids[-1] if more and page_ids else None)

    async def _views(self, ids: list[int]) -> list[RequestView]:
        if not ids:
            return []
        marks = ", ".join(f"${i}" for i in range(1, len(ids) + 1))
        rows = await self.reader.fetch(
            f"SELECT {self._columns} WHERE r.id IN ({marks}) ORDER BY r.id DESC", *ids
        )
        return [row_to_view(r) for r in rows]
