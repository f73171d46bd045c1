"""The jobs lock: one holder at a time on either engine, and released for the next one."""

from __future__ import annotations

import asyncio

from backend.jobs.leader import JobsLock, run_when_leader
from tests.processes import ceiling


async def test_only_one_process_holds_the_jobs_lock(settings):
    first, second = JobsLock(settings), JobsLock(settings)
    try:
        assert await first.try_acquire()
        assert await first.try_acquire()  # re-entrant for its holder
        assert not await second.try_acquire()
        await first.release()
        assert await second.try_acquire()
    finally:
        await first.release()
        await second.release()


async def test_a_waiting_process_takes_over_when_the_holder_stops(settings):
    holder, waiter = JobsLock(settings), JobsLock(settings)
    started = asyncio.Event()
    try:
        assert await holder.try_acquire()
        task = asyncio.create_task(run_when_leader(waiter, started.set, retry_s=0.05))
        await asyncio.sleep(0.2)
        assert not started.is_set()
        await holder.release()
        await asyncio.wait_for(started.wait(), timeout=ceiling(30))
        await task
    finally:
        await holder.release()
        await waiter.release()
