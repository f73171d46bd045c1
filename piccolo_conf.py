"""Piccolo's entry point: the database engine (SQLite file by default, PostgreSQL with DATABASE_URL),
where Settings says (backend/settings.py reads the environment)."""

from __future__ import annotations

from piccolo.conf.apps import AppRegistry

from backend.db import make_engine
from backend.settings import data_dir, database_url

DB = make_engine(database_url(), data_dir())

APP_REGISTRY = AppRegistry(apps=["backend.piccolo_app"])
