"""The suite's set-up (tests/conftest.py): the tables emptied between tests come from the schema,
and no table of the database escapes them unless it holds the reference data the tests share."""

from __future__ import annotations

import pytest
from piccolo.engine import engine_finder

from tests.conftest import ENGINE, _empty_request_tables, emptying_statements, reference_tables
from tests.factories import pothole

# Migration bookkeeping, and SQLite's FTS5 index of info_article (migration 0028: its shadow
# tables, kept by triggers on info_article)
NOT_DATA = {"migration"}
FTS5 = "info_fts"


async def _database_tables() -> set[str]:
    if ENGINE == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    else:
        sql = (
            "SELECT table_name AS name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
    rows = await engine_finder().run_ddl(sql)
    return {row["name"] for row in rows}


def _emptied() -> set[str]:
    return {
        s.split()[-1]
        for s in emptying_statements()
        if s.startswith("DELETE FROM") and " WHERE " not in s
    }


async def test_every_table_is_emptied_between_tests_or_holds_reference_data(migrated):
    tables = await _database_tables() - NOT_DATA
    if ENGINE == "sqlite":
        tables = {t for t in tables if t != FTS5 and not t.startswith(FTS5 + "_")}
    assert tables - _emptied() == reference_tables()


async def test_emptying_leaves_no_row_but_the_reference_data(services):
    await services.requests.submit(pothole())
    await _empty_request_tables()
    for table in _emptied():
        (row,) = await engine_finder().run_ddl(f"SELECT count(*) AS n FROM {table}")
        assert row["n"] == 0, table
    (row,) = await engine_finder().run_ddl("SELECT count(*) AS n FROM service_type")
    assert row["n"] > 0


@pytest.mark.sqlite_only(reason="checks the marker's skip")
def test_a_sqlite_only_test_runs_on_sqlite_only():
    assert ENGINE == "sqlite"


@pytest.mark.postgres_only(reason="checks the marker's skip")
def test_a_postgres_only_test_runs_on_postgres_only():
    assert ENGINE == "postgres"
