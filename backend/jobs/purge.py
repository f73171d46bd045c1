"""Job: forget idempotency keys older than 24 hours; delete photo files no request refers to and
what a crash mid-submit left behind (a thumbnail without its photo, temporary files); drop the
photos of SMS drafts abandoned for two hours (a draft expires after 30 idle minutes); forget failed
logins to usernames without an account once they no longer count."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

from backend.services import Services
from backend.storage.draft_photos import DraftPhotos

log = logging.getLogger("city311.jobs.purge")

IDEMPOTENCY_TTL = timedelta(hours=24)
SMS_DRAFT_PHOTO_TTL = timedelta(hours=2)
# A submit writes its files just before its row commits: leave young files alone.
ORPHAN_GRACE_S = 3600


async def purge(services: Services, now: datetime | None = None) -> dict[str, int]:
    now = now or datetime.now(UTC)
    expired = await services.requests.expire_idempotency_keys(now - IDEMPOTENCY_TTL)
    stored = await asyncio.to_thread(lambda: list(services.photos.stored_uids()))
    cutoff = now.timestamp() - ORPHAN_GRACE_S
    old_files = [uid for uid, mtime in stored if mtime < cutoff]
    orphans = await services.requests.unreferenced_photos(old_files)
    await asyncio.to_thread(_delete_photos, services, orphans)
    leftovers = await asyncio.to_thread(services.photos.crash_leftovers, cutoff)
    leftovers = await asyncio.to_thread(_remove, leftovers)
    drafts = DraftPhotos(services.reader, services.writer)
    result = {
        "idempotency_keys": expired,
        "sms_draft_photos": await drafts.drop_photos_before(now - SMS_DRAFT_PHOTO_TTL),
        "orphan_photos": len(orphans),
        "orphan_thumbnails": sum(p.name.endswith("_thumb.jpg") for p in leftovers),
        "temp_files": sum(p.name.endswith(".tmp") for p in leftovers),
        "login_failures": await services.staff.forget_failures(now),
    }
    log.info("purge: %s", result)
    return result


def _delete_photos(services: Services, uids: list[str]) -> None:
    for uid in uids:
        services.photos.delete(uid)


def _remove(paths: list[Path]) -> list[Path]:
    """Delete what it can and say what it deleted: one file we may not delete (permissions, a
    read-only mount) is logged, and neither stops the rest nor fails the job."""
    removed = []
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("purge: cannot delete %s: %s", path, exc)
            continue
        removed.append(path)
    return removed
