"""Job: forget idempotency keys older than 24 hours and delete photo files no request refers to."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from backend.service_requests.tables import IdempotencyRecord, Photo
from backend.services import Services

log = logging.getLogger("city311.jobs.purge")

IDEMPOTENCY_TTL = timedelta(hours=24)
# A submit writes its files just before its row commits: leave young files alone.
ORPHAN_GRACE_S = 3600


async def purge(services: Services, now: datetime | None = None) -> dict[str, int]:
    now = now or datetime.now(UTC)
    expired = await IdempotencyRecord.delete().where(
        IdempotencyRecord.created_at < now - IDEMPOTENCY_TTL
    ).returning(IdempotencyRecord.id)
    stored = await asyncio.to_thread(lambda: list(services.photos.stored_uids()))
    cutoff = now.timestamp() - ORPHAN_GRACE_S
    candidates = [uid for uid, mtime in stored if mtime < cutoff]
    referenced: set[str] = set()
    for start in range(0, len(candidates), 500):
        chunk = candidates[start:start + 500]
        rows = await Photo.select(Photo.uid).where(Photo.uid.is_in(chunk))
        referenced.update(r["uid"] for r in rows)
    orphans = [uid for uid in candidates if uid not in referenced]
    for uid in orphans:
        services.photos.delete(uid)
    result = {"idempotency_keys": len(expired), "orphan_photos": len(orphans)}
    log.info("purge: %s", result)
    return result
