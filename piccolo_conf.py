"""Piccolo's entry point: the database engine (SQLite file by default, PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

import os
from pathlib import Path

from piccolo.conf.apps import AppRegistry

from backend.db import make_engine

DB = make_engine(
    os.environ.get("DATABASE_URL"),
    Path(os.environ.get("CITY311_DATA_DIR") or Path(__file__).parent / "var"),
)

APP_REGISTRY = AppRegistry(apps=["backend.piccolo_app"])
