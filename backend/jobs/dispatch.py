"""Job: dispatch the notification outbox every few seconds (CITY311_DISPATCH_SECONDS)."""

from __future__ import annotations

import logging

from backend.services import Services

log = logging.getLogger("city311.jobs.dispatch")


async def dispatch(services: Services) -> dict[str, int]:
    outcome = await services.dispatcher.run_once()
    if outcome:
        log.info("dispatch: %s", dict(outcome))
    return dict(outcome)
