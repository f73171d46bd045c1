"""The database layer (backend/db.py) on each engine: commit and rollback, savepoints, reads that
follow the transaction, concurrent writers; and on SQLite, another process holding the write lock
makes a submit wait, not fail, while the event loop keeps serving."""

from __future__ import annotations

import asyncio
import contextvars
import sqlite3
import time

import pytest

from backend.db import Reader, Writer, is_unique_violation
from backend.service_requests.models import SubmitCommand
from backend.service_requests.tables import TrackingSequence
from tests.conftest import ENGINE
from tests.factories import WICKER_PARK
from tests.processes import ceiling

sqlite_only = pytest.mark.sqlite_only(reason="SQLite's single-writer lock")


class Boom(Exception):
    pass


@pytest.fixture
async def layer(services):
    """The services' reader and writer, with no test years (< 2000) in tracking_sequence."""

    async def clear() -> None:
        async with services.writer.transaction():
            await TrackingSequence.delete().where(TrackingSequence.year < 2000)

    await clear()
    yield services.reader, services.writer
    await clear()


async def _years(reader: Reader) -> list[int]:
    rows = await reader.fetch(
        "SELECT year FROM tracking_sequence WHERE year < $1 ORDER BY year", 2000
    )
    return [r["year"] for r in rows]


async def _insert(year: int) -> None:
    await TrackingSequence.insert(TrackingSequence(year=year, last_value=1))


async def test_commit_and_rollback(layer):
    reader, writer = layer
    async with writer.transaction():
        await _insert(1901)
    assert await _years(reader) == [1901]
    with pytest.raises(Boom):
        async with writer.transaction():
            await _insert(1902)
            raise Boom
    assert await _years(reader) == [1901]


async def test_savepoints_roll_back_only_their_own_part(layer):
    reader, writer = layer
    async with writer.transaction():
        await _insert(1903)
        with pytest.raises(Boom):
            async with writer.transaction():  # a savepoint
                await _insert(1904)
                async with writer.transaction():  # two deep, released with its parent
                    await _insert(1907)
                raise Boom
        async with writer.transaction():
            await _insert(1905)
            # A statement that fails inside a savepoint (a duplicate key) leaves the outer
            # transaction usable on both engines (PostgreSQL would refuse every later statement).
            with pytest.raises(Exception) as failed:
                async with writer.transaction():
                    await _insert(1903)
            assert is_unique_violation(failed.value)
            await _insert(1906)
    assert await _years(reader) == [1903, 1905, 1906]


async def test_a_failed_statement_rolls_back_the_whole_transaction_and_the_next_one_works(layer):
    reader, writer = layer
    async with writer.transaction():
        await _insert(1901)
    with pytest.raises(Exception) as failed:
        async with writer.transaction():
            await _insert(1908)
            await _insert(1901)
    assert is_unique_violation(failed.value)
    assert await _years(reader) == [1901]
    async with writer.transaction():
        await _insert(1909)
    assert await _years(reader) == [1901, 1909]


async def test_reads_follow_the_transaction(layer):
    reader, writer = layer
    seen_outside: list[list[int]] = []

    async def outside() -> None:
        seen_outside.append(await _years(reader))

    async with writer.transaction():
        await _insert(1910)
        # Raw reads and Piccolo's own queries see the uncommitted row through the transaction…
        assert await _years(reader) == [1910]
        assert await reader.scan("SELECT year FROM tracking_sequence WHERE year = $1", 1910)
        assert await TrackingSequence.count().where(TrackingSequence.year == 1910) == 1
        # …and a task outside it does not.
        await asyncio.create_task(outside(), context=contextvars.Context())
    assert seen_outside == [[]]
    assert await _years(reader) == [1910]


async def test_concurrent_writers_lose_no_update(layer):
    reader, writer = layer
    async with writer.transaction():
        await _insert(1911)

    async def increment() -> None:
        async with writer.transaction():
            if ENGINE == "sqlite":  # one writer at a time: a read-then-write never loses one
                row = await reader.fetchrow(
                    "SELECT last_value FROM tracking_sequence WHERE year = $1", 1911
                )
                assert row is not None
                await asyncio.sleep(0)  # let the others try to write meanwhile
                await TrackingSequence.update(
                    {TrackingSequence.last_value: row["last_value"] + 1}
                ).where(TrackingSequence.year == 1911)
            else:  # concurrent transactions on the pool, serialised by the row lock
                await writer.engine.run_ddl(
                    "UPDATE tracking_sequence SET last_value = last_value + 1 WHERE year = 1911"
                )
                await asyncio.sleep(0)

    await asyncio.gather(*(increment() for _ in range(20)))
    row = await reader.fetchrow("SELECT last_value FROM tracking_sequence WHERE year = $1", 1911)
    assert row == {"last_value": 21}


async def test_a_second_writer_on_the_same_engine_shares_the_transaction_context(layer, services):
    reader, writer = layer
    other = Writer(services.writer.engine)  # e.g. a command's own writer, called inside ours
    try:
        with pytest.raises(Boom):
            async with writer.transaction():
                async with other.transaction():  # joins as a savepoint, no second lock
                    await _insert(1912)
                raise Boom
        assert await _years(reader) == []
    finally:
        await other.close()


@sqlite_only
async def test_sqlite_writers_queue_instead_of_failing(layer):
    reader, writer = layer

    async def insert(year: int) -> None:
        async with writer.transaction():
            await _insert(year)
            await asyncio.sleep(0)

    await asyncio.gather(*(insert(1920 + i) for i in range(30)))
    assert await _years(reader) == list(range(1920, 1950))


@sqlite_only
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


async def test_locks_are_taken_inside_a_transaction_only(layer):
    reader, writer = layer
    async with writer.transaction():
        await _insert(1913)
    with pytest.raises(RuntimeError):
        await writer.lock_row("tracking_sequence", 1913)
    async with writer.transaction():
        await writer.lock_table("tracking_sequence")
        await writer.lock_row("tracking_sequence", 1913)
        await _insert(1914)
    assert await _years(reader) == [1913, 1914]
