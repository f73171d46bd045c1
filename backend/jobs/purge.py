"""Job: forget idempotency keys older than 24 hours; delete photo files no request refers to and
what a crash mid-submit left behind (a thumbnail without its photo, temporary files)."""

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
    leftovers = await asyncio.to_thread(services.photos.crash_leftovers, cutoff)
    for path in leftovers:
        path.unlink(missing_ok=True)
    result = {
        "idempotency_keys": expired,
        "orphan_photos": len(orphans),
        "orphan_thumbnails": sum(p.name.endswith("_thumb.jpg") for p in leftovers),
        "temp_files": sum(p.name.endswith(".tmp") for p in leftovers),
    }
    log.info("purge: %s", result)
    return result
