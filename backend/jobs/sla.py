"""Job: the SLA sweep (hourly): open requests past their type's SLA are flagged for staff, and their
followers are told once that it is taking longer than expected."""

from __future__ import annotations

import logging

from backend.services import Services

log = logging.getLogger("city311.jobs.sla")


async def sla_sweep(services: Services) -> int:
    flagged = await services.requests.flag_late()
    if flagged:
        log.info("sla sweep: %d requests flagged late", flagged)
    return flagged
