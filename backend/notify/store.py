"""The outbox's reads and writes for the dispatcher: claim due rows (FOR UPDATE SKIP LOCKED on
PostgreSQL; SQLite's single writer serialises claims), then mark each sent, retried or failed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from backend.db import Reader, Writer, as_utc
from backend.notify.tables import Notification

_DUE = (
    "((status = 'pending' AND next_attempt_at <= $1) "
    # a claim whose worker died (killed mid-batch): its lease ran out, so it is due again
    "OR (status = 'sending' AND claimed_until < $1))"
)
_CLAIM = {
    "postgres": (
        "UPDATE notification SET status = 'sending', claimed_until = $2 WHERE id IN ("
        f"SELECT id FROM notification WHERE {_DUE} ORDER BY next_attempt_at, id LIMIT $3 "
        "FOR UPDATE SKIP LOCKED) "
        "RETURNING id, request, channel, target, language, title, body, url, attempts, created_at"
    ),
    "sqlite": (
        "UPDATE notification SET status = 'sending', claimed_until = $2 WHERE id IN ("
        f"SELECT id FROM notification WHERE {_DUE} ORDER BY next_attempt_at, id LIMIT $3) "
        "RETURNING id, request, channel, target, language, title, body, url, attempts, created_at"
    ),
}


@dataclass(frozen=True)
class Claimed:
    id: int
    request: int
    channel: str
    target: str
    language: str
    title: str
    body: str
    url: str
    attempts: int
    created_at: datetime


class OutboxStore:
    def __init__(self, reader: Reader, writer: Writer) -> None:
        self.reader, self.writer = reader, writer
        self._claim = _CLAIM["sqlite" if reader.sqlite else "postgres"]

    async def claim(self, now: datetime, lease_until: datetime, limit: int) -> list[Claimed]:
        async with self.writer.transaction():
            rows = await self.reader.fetch(self._claim, now, lease_until, limit)
        claimed = [Claimed(**{**r, "created_at": as_utc(r["created_at"])}) for r in rows]
        return sorted(claimed, key=lambda c: c.id)

    async def sent(self, id_: int, provider_id: str | None, at: datetime) -> None:
        await self._set(id_, status="sent", sent_at=at, provider_id=provider_id, claimed_until=None)

    async def retry(self, id_: int, attempts: int, at: datetime, error: str) -> None:
        await self._set(
            id_,
            status="pending",
            attempts=attempts,
            next_attempt_at=at,
            last_error=error[:500],
            claimed_until=None,
        )

    async def failed(self, id_: int, attempts: int, error: str, status: str = "failed") -> None:
        await self._set(
            id_, status=status, attempts=attempts, last_error=error[:500], claimed_until=None
        )

    async def _set(self, id_: int, **values: object) -> None:
        columns = {getattr(Notification, name): value for name, value in values.items()}
        update = Notification.update(columns).where(Notification.id == id_)
        if self.writer.sqlite:
            async with self.writer.transaction():  # SQLite's one writer
                await update
        else:
            await update  # one statement: autocommit, a round trip instead of four

    async def asked_if_fixed(self, phone: str, since: datetime) -> tuple[str, str] | None:
        """(tracking number, language) of the request this phone was last asked "is it fixed?"
        about, since `since`."""
        row = await self.reader.fetchrow(
            "SELECT r.tracking_number, n.language FROM notification n "
            "JOIN service_request r ON r.id = n.request WHERE n.channel = 'sms' "
            "AND n.target = $1 AND n.kind = 'fixed_check' AND n.status = 'sent' "
            "AND n.sent_at >= $2 ORDER BY n.id DESC LIMIT 1",
            phone,
            since,
        )
        return (row["tracking_number"], row["language"]) if row else None

    async def counts(self) -> dict[str, int]:
        rows = await self.reader.fetch(
            "SELECT status, COUNT(*) AS n FROM notification GROUP BY status"
        )
        return {r["status"]: int(r["n"]) for r in rows}
