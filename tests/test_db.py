"""The SQLite write path: another process holding the write lock makes a submit wait, not fail,
and the event loop keeps serving meanwhile; and the shim that drives Piccolo's SQLite transaction
on our kept-open connection, tested so that a Piccolo upgrade changing its internals fails here."""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import sqlite3
import time

import pytest

from backend.service_requests.models import SubmitCommand
from tests.factories import WICKER_PARK
from tests.processes import ceiling

pytestmark = pytest.mark.sqlite_only(reason="SQLite's single-writer lock")


async def test_submit_waits_for_another_writer_without_blocking_the_loop(services, settings):
    other = sqlite3.connect(settings.sqlite_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # as a `city311 worker` process would
    cmd = SubmitCommand(
        service_code="PHF",
        channel="app",
        lat=WICKER_PARK[0],
        long=WICKER_PARK[1],
        answers={"LOCATION": "curb_lane"},
    )
    submit = asyncio.create_task(services.requests.submit(cmd))
    # The loop keeps turning while the submit waits for the lock: no gap between two 5 ms sleeps
    # comes near the 30 s busy timeout a blocking wait would take (or even a second).
    gaps = []
    for _ in range(20):
        started = time.perf_counter()
        await asyncio.sleep(0.005)
        gaps.append(time.perf_counter() - started)
    assert not submit.done()
    assert max(gaps) < 1, gaps
    other.execute("COMMIT")
    other.close()
    result = await asyncio.wait_for(submit, timeout=ceiling(30))
    assert result.request.status == "submitted"


# What _InlineTransaction relies on in Piccolo's SQLiteTransaction (pinned to 1.38.x in
# pyproject.toml). If an upgrade changes any of it, this fails: re-read db.py's shim against it.
def test_piccolo_transaction_internals_are_the_ones_the_shim_was_written_for():
    import piccolo
    from piccolo.engine.sqlite import SQLiteTransaction

    assert piccolo.__VERSION__.startswith("1.38."), piccolo.__VERSION__
    assert {"_parent", "_committed", "_rolled_back", "context", "connection"} <= set(
        SQLiteTransaction.__slots__
    )
    digests = {
        name: hashlib.sha256(
            inspect.getsource(getattr(SQLiteTransaction, name)).encode()
        ).hexdigest()[:16]
        for name in ("__aenter__", "__aexit__", "savepoint", "commit", "rollback")
    }
    assert digests == KNOWN_DIGESTS, digests


KNOWN_DIGESTS = {  # of Piccolo 1.38.0's source
    "__aenter__": "579894a54e56b9a8",
    "__aexit__": "08149562d0e1db2e",
    "savepoint": "541cc8dca1434518",
    "commit": "e598b183cd8e2bac",
    "rollback": "4c373d88880f4ade",
}


async def test_shim_commits_rolls_back_nests_and_survives_an_exception(services):
    from backend.service_requests.tables import TrackingSequence

    writer = services.writer

    async def years() -> list[int]:
        return sorted(r["year"] for r in await TrackingSequence.select(TrackingSequence.year))

    async with writer.transaction():
        await TrackingSequence.insert(TrackingSequence(year=1901, last_value=1))
    assert await years() == [1901]

    class Boom(Exception):
        pass

    try:
        async with writer.transaction():
            await TrackingSequence.insert(TrackingSequence(year=1902, last_value=1))
            raise Boom
    except Boom:
        pass
    assert await years() == [1901]

    async with writer.transaction():
        await TrackingSequence.insert(TrackingSequence(year=1903, last_value=1))
        try:
            async with writer.transaction():  # a savepoint
                await TrackingSequence.insert(TrackingSequence(year=1904, last_value=1))
                raise Boom
        except Boom:
            pass
        async with writer.transaction():
            await TrackingSequence.insert(TrackingSequence(year=1905, last_value=1))
    assert await years() == [1901, 1903, 1905]

    # A statement that fails inside (a duplicate key) rolls the whole transaction back, and the
    # kept-open connection serves the next one.
    try:
        async with writer.transaction():
            await TrackingSequence.insert(TrackingSequence(year=1906, last_value=1))
            await TrackingSequence.insert(TrackingSequence(year=1901, last_value=1))
    except sqlite3.IntegrityError:
        pass
    assert await years() == [1901, 1903, 1905]
    async with writer.transaction():
        await TrackingSequence.delete().where(TrackingSequence.year < 2000)
    assert await years() == []
