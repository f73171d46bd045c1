"""A request's public view as the reads select it (the columns, the row's mapping) and the
history event's; shared by every read of RequestRepo."""

from __future__ import annotations

from typing import Any

from backend.db import as_utc
from backend.service_requests.models import EventView, RequestView

# Ids are PostgreSQL integers: a cursor above this leaves out nothing.
MAX_ID = 2**31 - 1

_PHOTO_UIDS = {
    "sqlite": "(SELECT group_concat(uid) FROM (SELECT uid FROM photo WHERE request = r.id "
    "ORDER BY position))",
    "postgres": "(SELECT string_agg(uid, ',' ORDER BY position) FROM photo WHERE request = r.id)",
}


def view_columns(dialect: str) -> str:
    return (
        "r.id, r.tracking_number, st.code AS service_code, st.name AS service_name, r.status, "
        "r.description, r.address, r.latitude, r.longitude, r.community_area, r.ward, r.police_district, r.police_beat, "
        "r.latest_public_note, r.created_at, r.updated_at, r.closed_at, r.channel, r.media_url, "
        "r.language, "
        "(SELECT p.tracking_number FROM service_request p WHERE p.id = r.duplicate_of) "
        f"AS duplicate_of, {_PHOTO_UIDS[dialect]} AS photo_uids "
        "FROM service_request r JOIN service_type st ON st.id = r.service_type"
    )


def row_to_view(row: dict[str, Any]) -> RequestView:
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


def event_view(r: dict[str, Any]) -> EventView:
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
