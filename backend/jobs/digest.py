"""Job: daily digests (once a day, CITY311_DIGEST_TIME in Chicago, 08:00 by default): the updates
held for followers who chose a digest become one message each, sent by the next dispatch."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from backend.notify.digest import send_digests
from backend.notify.store import OutboxStore
from backend.services import Services

log = logging.getLogger("city311.jobs.digest")


async def daily_digest(services: Services) -> int:
    composed = await send_digests(OutboxStore(services.reader, services.writer), datetime.now(UTC))
    if composed:
        log.info("digest: %d daily digests composed", composed)
    return composed
