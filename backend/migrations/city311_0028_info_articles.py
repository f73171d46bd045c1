"""The information database: articles (a row per slug and language) with their full-text index,
and the audit of edits.

The full-text index is the engine's own, over the `search_*` columns (backend/info/words.py writes
them): on SQLite an FTS5 table with the article table as its content, kept in step by triggers; on
PostgreSQL a generated, weighted tsvector column (title A, keywords B, body C) with a GIN index.
Piccolo runs a migration's raw steps before its table steps, so this manager runs them after."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import JSON, Date, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.date import DateNow
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder

ID = "2026-12-08T12:28:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "info articles"

SQLITE_UP = [
    "CREATE UNIQUE INDEX info_article_slug_language ON info_article (slug, language)",
    "CREATE INDEX info_article_language ON info_article (language)",
    "CREATE VIRTUAL TABLE info_fts USING fts5(search_title, search_keywords, search_body, "
    "content='info_article', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER info_article_ai AFTER INSERT ON info_article BEGIN "
    "INSERT INTO info_fts (rowid, search_title, search_keywords, search_body) "
    "VALUES (new.id, new.search_title, new.search_keywords, new.search_body); END",
    "CREATE TRIGGER info_article_ad AFTER DELETE ON info_article BEGIN "
    "INSERT INTO info_fts (info_fts, rowid, search_title, search_keywords, search_body) "
    "VALUES ('delete', old.id, old.search_title, old.search_keywords, old.search_body); END",
    "CREATE TRIGGER info_article_au AFTER UPDATE ON info_article BEGIN "
    "INSERT INTO info_fts (info_fts, rowid, search_title, search_keywords, search_body) "
    "VALUES ('delete', old.id, old.search_title, old.search_keywords, old.search_body); "
    "INSERT INTO info_fts (rowid, search_title, search_keywords, search_body) "
    "VALUES (new.id, new.search_title, new.search_keywords, new.search_body); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS info_article_au",
    "DROP TRIGGER IF EXISTS info_article_ad",
    "DROP TRIGGER IF EXISTS info_article_ai",
    "DROP TABLE IF EXISTS info_fts",
    "DROP INDEX IF EXISTS info_article_language",
    "DROP INDEX IF EXISTS info_article_slug_language",
]
POSTGRES_UP = [
    "CREATE UNIQUE INDEX info_article_slug_language ON info_article (slug, language)",
    "CREATE INDEX info_article_language ON info_article (language)",
    "ALTER TABLE info_article ADD COLUMN search tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', coalesce(search_title, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(search_keywords, '')), 'B') || "
    "setweight(to_tsvector('simple', coalesce(search_body, '')), 'C')) STORED",
    "CREATE INDEX info_article_search ON info_article USING gin (search)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS info_article_search",
    "ALTER TABLE info_article DROP COLUMN IF EXISTS search",
    "DROP INDEX IF EXISTS info_article_language",
    "DROP INDEX IF EXISTS info_article_slug_language",
]


async def _run(statements_by_engine: dict[str, list[str]]) -> None:
    engine = engine_finder()
    for ddl in statements_by_engine[engine.engine_type]:
        await engine.run_ddl(ddl)


class _SearchAfterTables(MigrationManager):
    """Creates the tables first, then their search structures (and drops those first)."""

    async def run(self, backwards: bool = False):
        if backwards:
            await _run({"sqlite": SQLITE_DOWN, "postgres": POSTGRES_DOWN})
            await super().run(backwards=True)
            return
        await super().run(backwards=False)
        await _run({"sqlite": SQLITE_UP, "postgres": POSTGRES_UP})


async def forwards():
    manager = _SearchAfterTables(migration_id=ID, app_name="city311", description=DESCRIPTION)

    manager.add_table(
        class_name="InfoArticle",
        tablename="info_article",
        schema=None,
        columns=None,
    )

    manager.add_table(class_name="InfoEdit", tablename="info_edit", schema=None, columns=None)

    manager.add_column(
        table_class_name="InfoArticle",
        tablename="info_article",
        column_name="slug",
        db_column_name="slug",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 80,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": True,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="InfoArticle",
        tablename="info_article",
        column_name="language",
        db_column_name="language",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 8,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="InfoArticle",
        tablename="info_article",
        column_name="title",
        db_column_name="title",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 200,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="InfoArticle",
        tablename="info_article",
        column_name="body",
        db_column_name="body",
        column_class_name="Text",
        column_class=Text,
        params={
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="InfoArticle",
        tablename="info_article",
        column_name="sms_answer",
        db_column_name="sms_answer",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 320,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="InfoArticle",
        tablename="info_article",
        column_name="category",
        db_column_name="category",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 60,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="InfoArticle",
        tablename="info_article",
        column_name="keywords",
        db_column_name="keywords",
        column_class_name="Text",
        column_class=Text,
        params={
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="InfoArticle",
        tablename="info_article",
        column_name="service_codes",
        db_column_name="service_codes",
        column_class_name="JSON",
        column_class=JSON,
        params={
            "default": "[]",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="InfoArticle",
        tablename="info_article",
        column_name="source_url",
        db_column_name="source_url",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 500,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="InfoArticle",
        tablename="info_article",
        column_name="checked_on",
        db_column_name="checked_on",
        column_class_name="Date",
        column_class=Date,
        params={
            "default": DateNow(),
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="InfoArticle",
        tablename="info_article",
        column_name="valid_from",
        db_column_name="valid_from",
        column_class_name="Date",
        column_class=Date,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="InfoArticle",
        tablename="info_article",
        column_name="valid_until",
        db_column_name="valid_until",
        column_class_name="Date",
        column_class=Date,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="InfoArticle",
        tablename="info_article",
        column_name="search_title",
        db_column_name="search_title",
        column_class_name="Text",
        column_class=Text,
        params={
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="InfoArticle",
        tablename="info_article",
        column_name="search_keywords",
        db_column_name="search_keywords",
        column_class_name="Text",
        column_class=Text,
        params={
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="InfoArticle",
        tablename="info_article",
        column_name="search_body",
        db_column_name="search_body",
        column_class_name="Text",
        column_class=Text,
        params={
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="InfoArticle",
        tablename="info_article",
        column_name="updated_at",
        db_column_name="updated_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": TimestamptzNow(),
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="InfoEdit",
        tablename="info_edit",
        column_name="article",
        db_column_name="article",
        column_class_name="Integer",
        column_class=Integer,
        params={
            "default": 0,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": True,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="InfoEdit",
        tablename="info_edit",
        column_name="slug",
        db_column_name="slug",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 80,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="InfoEdit",
        tablename="info_edit",
        column_name="language",
        db_column_name="language",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 8,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="InfoEdit",
        tablename="info_edit",
        column_name="action",
        db_column_name="action",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 12,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="InfoEdit",
        tablename="info_edit",
        column_name="actor",
        db_column_name="actor",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 60,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="InfoEdit",
        tablename="info_edit",
        column_name="changes",
        db_column_name="changes",
        column_class_name="JSON",
        column_class=JSON,
        params={
            "default": "{}",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="InfoEdit",
        tablename="info_edit",
        column_name="created_at",
        db_column_name="created_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": TimestamptzNow(),
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": True,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
