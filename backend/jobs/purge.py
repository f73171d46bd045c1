"""Job: forget idempotency keys older than 24 hours and delete photo files no request refers to."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from backend.services import Services

log = logging.getLogger("city311.jobs.purge")

IDEMPOTENCY_TTL = timedelta(hours=24)
# A submit writes its files just before its row commits: leave young files alone.
ORPHAN_GRACE_S = 3600


async def purge(services: Services, now: datetime | None = None) -> dict[str, int]:
    now = now or datetime.now(UTC)
    expired = await services.requests.expire_idempotency_keys(now - IDEMPOTENCY_TTL)
    stored = await asyncio.to_thread(lambda: list(services.photos.stored_uids()))
    cutoff = now.timestamp() - ORPHAN_GRACE_S
    old_files = [uid for uid, mtime in stored if mtime < cutoff]
    orphans = await services.requests.unreferenced_photos(old_files)
    await asyncio.to_thread(lambda: [services.photos.delete(uid) for uid in orphans])
    result = {"idempotency_keys": expired, "orphan_photos": len(orphans)}
    log.info("purge: %s", result)
    return result
