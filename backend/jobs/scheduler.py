"""The APScheduler scheduler and the jobs it runs (inside the web process, or in `city311 worker`)."""

from __future__ import annotations

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from backend.city import CITY
from backend.jobs.digest import daily_digest
from backend.jobs.dispatch import dispatch
from backend.jobs.follow_up import ask_if_fixed
from backend.jobs.purge import purge
from backend.jobs.sla import sla_sweep
from backend.services import Services


def build_scheduler(services: Services) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(
        purge, "interval", hours=1, args=[services], id="purge", max_instances=1, coalesce=True
    )
    scheduler.add_job(
        dispatch,
        "interval",
        seconds=services.settings.dispatch_seconds,
        args=[services],
        id="dispatch",
        max_instances=1,
        coalesce=True,
    )
    scheduler.add_job(
        sla_sweep, "interval", hours=1, args=[services], id="sla", max_instances=1, coalesce=True
    )
    scheduler.add_job(
        ask_if_fixed,
        "interval",
        hours=1,
        args=[services],
        id="follow_up",
        max_instances=1,
        coalesce=True,
    )
    hour, minute = services.settings.digest_time
    scheduler.add_job(
        daily_digest,
        "cron",
        hour=hour,
        minute=minute,
        timezone=CITY.time_zone,
        args=[services],
        id="digest",
        max_instances=1,
        coalesce=True,
    )
    return scheduler
