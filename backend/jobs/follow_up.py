"""Job: "is it fixed?" (hourly): a day after a request is completed its reporter is asked, by SMS
(reply YES or NO: the SMS bot reopens it on a NO) or Web Push (a link)."""

from __future__ import annotations

import logging

from backend.services import Services

log = logging.getLogger("city311.jobs.follow_up")


async def ask_if_fixed(services: Services) -> int:
    asked = await services.requests.ask_if_fixed()
    if asked:
        log.info("follow-up: %d reporters asked whether it is fixed", asked)
    return asked
