"""The SQLite write path: another process holding the write lock makes a submit wait, not fail,
and the event loop keeps serving meanwhile."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from backend.service_requests.models import SubmitCommand
from tests.conftest import ENGINE
from tests.factories import WICKER_PARK

pytestmark = pytest.mark.skipif(ENGINE != "sqlite", reason="SQLite's single-writer lock")


async def test_submit_waits_for_another_writer_without_blocking_the_loop(services, settings):
    other = sqlite3.connect(settings.sqlite_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # as a `city311 worker` process would
    cmd = SubmitCommand(service_code="PHF", channel="app", lat=WICKER_PARK[0],
                        long=WICKER_PARK[1], answers={"LOCATION": "curb_lane"})
    submit = asyncio.create_task(services.requests.submit(cmd))
    ticks = 0
    for _ in range(20):  # the loop keeps turning while the submit waits for the lock
        await asyncio.sleep(0.005)
        ticks += 1
    assert not submit.done() and ticks == 20
    other.execute("COMMIT")
    other.close()
    result = await asyncio.wait_for(submit, timeout=5)
    assert result.request.status == "submitted"
