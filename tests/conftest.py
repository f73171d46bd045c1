"""Test set-up: a throwaway database (SQLite file, or a PostgreSQL database made from DATABASE_URL's
server and dropped afterwards), built once by the migrations and emptied of requests before each test.

The environment is set here, before any project module (piccolo_conf reads it at import).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

_TMP = Path(tempfile.mkdtemp(prefix="city311-test-"))
os.environ["CITY311_DATA_DIR"] = str(_TMP)
os.environ["CITY311_SECRET_KEY"] = "test-secret-key"
os.environ["CITY311_SCHEDULER"] = "off"
os.environ["CITY311_PUBLIC_BASE_URL"] = "http://testserver.local"
os.environ["CITY311_RATE_LIMITS"] = "off"  # tests/channels/test_rate_limits.py turns them on
for name in ("CITY311_MEDIA_DIR", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"):
    os.environ.pop(name, None)

_PG_ADMIN_URL = os.environ.get("DATABASE_URL")
_PG_TEST_DB = None
if _PG_ADMIN_URL:
    import asyncpg

    _PG_TEST_DB = f"city311_test_{uuid.uuid4().hex[:12]}"

    async def _admin(sql: str) -> None:
        conn = await asyncpg.connect(_PG_ADMIN_URL)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(_admin(f'CREATE DATABASE "{_PG_TEST_DB}"'))
    parts = urlsplit(_PG_ADMIN_URL)
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{_PG_TEST_DB}"))

# Project modules only from here on.
from backend.settings import load_settings  # noqa: E402

ENGINE = "postgres" if _PG_ADMIN_URL else "sqlite"


def pytest_report_header(config):
    return f"city311 database engine: {ENGINE}" + (f" ({_PG_TEST_DB})" if _PG_TEST_DB else "")


# A test marked for one engine is skipped on the other (pyproject.toml registers the markers).
_OTHER_ENGINE_MARKER = {"sqlite": "postgres_only", "postgres": "sqlite_only"}[ENGINE]


def pytest_collection_modifyitems(config, items):
    for item in items:
        marker = item.get_closest_marker(_OTHER_ENGINE_MARKER)
        if marker is not None:
            default = f"{_OTHER_ENGINE_MARKER}: this run is on {ENGINE}"
            item.add_marker(pytest.mark.skip(reason=marker.kwargs.get("reason", default)))


def pytest_sessionfinish(session, exitstatus):
    from tests.processes import stop_all

    stop_all()  # a server or worker a failed test left running
    shutil.rmtree(_TMP, ignore_errors=True)
    if _PG_TEST_DB:
        from piccolo.engine import engine_finder

        async def drop() -> None:
            engine = engine_finder()
            if engine.pool:
                await engine.close_connection_pool()
            await _admin(f'DROP DATABASE IF EXISTS "{_PG_TEST_DB}" WITH (FORCE)')

        asyncio.run(drop())


@pytest.fixture(scope="session")
def settings():
    return load_settings()


@pytest.fixture(scope="session")
async def migrated():
    from backend.catalog.loader import load_catalog
    from backend.migrate import migrate

    await migrate()
    await load_catalog()
    return True


def reference_tables() -> set[str]:
    """The tables whose rows the tests share, loaded once per run: the catalog (`migrated`) and the
    published beat meetings (`beat_history`; a meeting staff added is deleted between tests)."""
    from backend.catalog.tables import Department, ServiceQuestion, ServiceType
    from backend.police.meeting_tables import BeatMeeting

    return {t._meta.tablename for t in (Department, ServiceType, ServiceQuestion, BeatMeeting)}


def emptying_statements() -> list[str]:
    """What empties the database between tests, from the schema: every table of the Piccolo app
    but the reference ones, children first (deletes are refused while anything refers to a row,
    migration 0025), after clearing each table's links to its own rows (a duplicate's to its
    original). The tables migrations make by raw SQL are indexes of these (SQLite's FTS5 tables of
    info_article, kept by triggers); tests/test_conftest.py checks that no other table exists."""
    from piccolo.table import sort_table_classes

    from backend.piccolo_app import APP_CONFIG

    kept = reference_tables()
    children_first = [
        table
        for table in reversed(sort_table_classes(list(APP_CONFIG.table_classes)))
        if table._meta.tablename not in kept
    ]
    unlink = [
        f"UPDATE {table._meta.tablename} SET {fk._meta.db_column_name} = NULL"
        for table in children_first
        for fk in table._meta.foreign_key_references
        if fk._meta.table is table
    ]
    deletes = [f"DELETE FROM {table._meta.tablename}" for table in children_first]
    return [*unlink, *deletes, "DELETE FROM beat_meeting WHERE source = 'staff'"]


_EMPTYING: list[str] = []


async def _empty_request_tables() -> None:
    from piccolo.engine import engine_finder

    if not _EMPTYING:
        _EMPTYING.extend(emptying_statements())
    engine = engine_finder()
    for statement in _EMPTYING:
        await engine.run_ddl(statement)


@pytest.fixture
async def db(migrated, settings):
    """A migrated database with the catalog loaded and no requests, devices or photos."""
    await _empty_request_tables()
    shutil.rmtree(settings.media_dir, ignore_errors=True)
    yield


@pytest.fixture(scope="session")
async def session_services(migrated, settings):
    from backend.services import provide_services

    services = await provide_services(settings)
    yield services
    await services.close()


@pytest.fixture
async def services(db, session_services):
    yield session_services


@pytest.fixture(scope="session")
async def beat_history(session_services):
    """The published CAPS beat meetings, loaded once (what `city311 seed` loads)."""
    return await session_services.meetings.import_file()


@pytest.fixture(scope="session")
async def session_client(session_services, settings):
    """An HTTP client calling the app in this event loop (Litestar's test client would run the
    lifespan on a loop of its own, where an asyncpg pool could not be shared with the tests)."""
    import httpx

    from backend.app import attach_services, create_app

    app = create_app(settings, scheduler=False)
    attach_services(app, session_services)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]  # Litestar's ASGI types are not httpx's
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as c:
        yield c


@pytest.fixture
async def client(db, session_client):
    yield session_client
