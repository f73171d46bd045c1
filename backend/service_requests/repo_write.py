"""The request model's writes (inside Writer.transaction()), with Piccolo's query builder; where
the engines differ (the row lock, when a tracking number is taken) the difference is here. Part
of RequestRepo."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from backend.db import Reader
from backend.service_requests.repo_nearby import geo_cell, geo_row
from backend.service_requests.tables import IdempotencyRecord, Photo, RequestEvent, ServiceRequest


class RequestWrites:
    reader: Reader

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
        value: int = rows[0]["last_value"]
        return value

    async def insert_request(self, **values: Any) -> int:
        """values: the row's columns by name (the answers and reporter_extra as data)."""
        values["answers"] = json.dumps(values["answers"])
        values["reporter_extra"] = json.dumps(values.get("reporter_extra") or {})
        values["geo_row"] = geo_row(values["latitude"])
        values["geo_cell"] = geo_cell(values["latitude"], values["longitude"])
        rows = await ServiceRequest.insert(ServiceRequest(**values)).returning(ServiceRequest.id)
        request_id: int = rows[0]["id"]
        return request_id

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
        event_id: int = rows[0]["id"]
        return event_id

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
        status: str = rows[0]["status"]
        return status

    async def relocate(
        self, request_id: int, *, latitude: float, longitude: float, **values: object
    ) -> None:
        """A new place: its point, its map row and cell, its address and areas."""
        await self.update_request(
            request_id,
            latitude=latitude,
            longitude=longitude,
            geo_row=geo_row(latitude),
            geo_cell=geo_cell(latitude, longitude),
            **values,
        )

    async def update_request(self, request_id: int, **values: object) -> None:
        columns = {getattr(ServiceRequest, name): value for name, value in values.items()}
        await ServiceRequest.update(columns).where(ServiceRequest.id == request_id)

    async def delete_idempotency_keys_before(self, moment: datetime) -> int:
        rows = (
            await IdempotencyRecord.delete()
            .where(IdempotencyRecord.created_at < moment)
            .returning(IdempotencyRecord.id)
        )
        return len(rows)


_NEXT_SEQUENCE = (
    "INSERT INTO tracking_sequence (year, last_value) VALUES ({}, 1) "
    "ON CONFLICT (year) DO UPDATE SET last_value = tracking_sequence.last_value + 1 "
    "RETURNING last_value"
)
