"""The outbox's reads and writes for the dispatcher: claim due rows (FOR UPDATE SKIP LOCKED on
PostgreSQL; SQLite's single writer serialises claims), then mark each sent, retried or failed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from backend.db import Reader, Writer, as_utc
from backend.notify.tables import Notification

_DUE = (
    "((n.status = 'pending' AND n.next_attempt_at <= $1) "
    # a claim whose worker died (killed mid-batch): its lease ran out, so it is due again
    "OR (n.status = 'sending' AND n.claimed_until < $1))"
)
# The due rows first in order (four batches' worth: some may have to wait for a row another
# dispatcher is sending), locked on PostgreSQL (SKIP LOCKED: two dispatchers take different rows)...
_CANDIDATES = (
    "SELECT n.id, n.request, n.channel, n.target, n.next_attempt_at FROM notification n "
    f"WHERE {_DUE} ORDER BY n.next_attempt_at, n.id LIMIT $3 * 2"
)
# ... then only those with no earlier row for the same request and follower still to be sent or
# being sent (index notification_unsent, migration 0026): a follower's updates of a request go in
# order, the newer waiting for the one in flight. A row locked by another claim was skipped above
# but still blocks its later ones here (pending or sending). Checked on the candidates only, not on
# every due row: a storm's claim costs what it did without the check. A later row is never due
# before an earlier one that is pending (Outbox._write, retry), so what waits at the head of the
# queue is only what waits for a send in flight.
_IN_ORDER = (
    "NOT EXISTS (SELECT 1 FROM notification e WHERE e.request = c.request "
    "AND e.channel = c.channel AND e.target = c.target AND e.status IN ('pending', 'sending') "
    "AND e.id < c.id)"
)
IN_DOUBT = "in doubt: "
# A row claimed again while still 'sending' (its worker died, maybe after the provider took it)
# is marked in doubt, like a send that failed after its request left: the transport asks the
# provider before sending it again (SET expressions read the row as it was).
_MARK = (
    "status = 'sending', claimed_until = $2, last_error = CASE WHEN status = 'sending' "
    f"THEN '{IN_DOUBT}an earlier claim expired' ELSE last_error END"
)
_RETURNING = (
    "RETURNING id, request, channel, target, language, title, body, url, attempts, created_at, "
    "last_error"
)
_CLAIM = {
    engine: (
        f"UPDATE notification SET {_MARK} WHERE id IN (SELECT c.id FROM ({_CANDIDATES}{lock}) c "
        f"WHERE {_IN_ORDER} ORDER BY c.next_attempt_at, c.id LIMIT $3) {_RETURNING}"
    )
    for engine, lock in (("postgres", " FOR UPDATE OF n SKIP LOCKED"), ("sqlite", ""))
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
    # an earlier try may have reached the provider: ask it before sending again
    in_doubt: bool = False


class OutboxStore:
    def __init__(self, reader: Reader, writer: Writer) -> None:
        self.reader, self.writer = reader, writer
        self._claim = _CLAIM["sqlite" if reader.sqlite else "postgres"]

    async def claim(self, now: datetime, lease_until: datetime, limit: int) -> list[Claimed]:
        async with self.writer.transaction():
            rows = await self.reader.fetch(self._claim, now, lease_until, limit)
        claimed = [
            Claimed(
                **{
                    **{k: v for k, v in r.items() if k != "last_error"},
                    "created_at": as_utc(r["created_at"]),
                    "in_doubt": (r["last_error"] or "").startswith(IN_DOUBT),
                }
            )
            for r in rows
        ]
        return sorted(claimed, key=lambda c: c.id)

    async def sent(self, id_: int, provider_id: str | None, at: datetime) -> None:
        await self._set(id_, status="sent", sent_at=at, provider_id=provider_id, claimed_until=None)

    async def retry(self, n: Claimed, attempts: int, at: datetime, error: str) -> None:
        """Due again at `at`; the later rows of its request and follower not before it (they
        would only wait for it at the head of the queue)."""
        async with self.writer.transaction():
            await Notification.update(
                {
                    Notification.status: "pending",
                    Notification.attempts: attempts,
                    Notification.next_attempt_at: at,
                    Notification.last_error: error[:500],
                    Notification.claimed_until: None,
                }
            ).where(Notification.id == n.id)
            await Notification.update({Notification.next_attempt_at: at}).where(
                (Notification.request == n.request)
                & (Notification.channel == n.channel)
                & (Notification.target == n.target)
                & (Notification.status == "pending")
                & (Notification.id > n.id)
                & (Notification.next_attempt_at < at)
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

    async def held(self) -> dict[tuple[str, str], list[dict[str, Any]]]:
        """Rows held for daily digests, by (channel, target), oldest first."""
        rows = await self.reader.fetch(
            "SELECT id, channel, target, language, body FROM notification WHERE status = 'held' "
            "ORDER BY channel, target, id"
        )
        held: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for r in rows:
            held.setdefault((r["channel"], r["target"]), []).append(r)
        return held

    async def digest(
        self, carrier: int, told: list[int], title: str, body: str, at: datetime
    ) -> None:
        """One follower's digest: the newest held row carries it (due now), the others are
        marked told in it. One transaction: a digest is sent once, or not at all yet."""
        async with self.writer.transaction():
            await Notification.update(
                {
                    Notification.kind: "digest",
                    Notification.title: title,
                    Notification.body: body,
                    Notification.status: "pending",
                    Notification.next_attempt_at: at,
                }
            ).where((Notification.id == carrier) & (Notification.status == "held"))
            if told:
                await Notification.update({Notification.status: "digested"}).where(
                    Notification.id.is_in(told) & (Notification.status == "held")
                )

    async def counts(self) -> dict[str, int]:
        rows = await self.reader.fetch(
            "SELECT status, COUNT(*) AS n FROM notification GROUP BY status"
        )
        return {r["status"]: int(r["n"]) for r in rows}
