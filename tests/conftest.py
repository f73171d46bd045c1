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

# Rows every test starts without (children first); the catalog stays loaded.
_REQUEST_TABLES = [
    "interpreter_callback",
    "sms_draft_photo",
    "sms_message",
    "sms_delivery",
    "sms_consent",
    "sms_conversation",
    "notification",
    "notify_preference",
    "push_subscription",
    "subscription",
    "audit_event",
    "work_order",
    "photo",
    "request_event",
    "idempotency_record",
    "police_report",
    "service_request",
    "tracking_sequence",
    "device",
    "staff_session",
    "staff_department",
    "staff_user",
    "staff_login_failure",
    "api_key",
    "info_edit",
    "info_article",
]


def pytest_report_header(config):
    return f"city311 database engine: {ENGINE}" + (f" ({_PG_TEST_DB})" if _PG_TEST_DB else "")


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


async def _empty_request_tables() -> None:
    from piccolo.engine import engine_finder

    engine = engine_finder()
    # Deletes are refused while anything refers to a row (migration 0025): children first, and
    # the duplicates' links to their originals before the requests.
    await engine.run_ddl("UPDATE service_request SET duplicate_of = NULL")
    for table in _REQUEST_TABLES:
        await engine.run_ddl(f"DELETE FROM {table}")
    await engine.run_ddl("DELETE FROM beat_meeting WHERE source = 'staff'")  # published ones stay


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
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as c:
        yield c


@pytest.fixture
async def client(db, session_client):
    yield session_client
