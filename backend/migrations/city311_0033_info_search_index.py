"""The information search's GIN index on PostgreSQL writes each new article into the index itself
(fastupdate off) instead of a pending list that every search reads through.

With fastupdate on (PostgreSQL's default), `city311 info import` of 9,140 articles left 363 pages
in the index's pending list, read linearly by every search until a vacuum merged them: the index
scan took 3.7 ms for 305 matches, 0.07 ms once merged. An insert now costs a little more; articles
are written by staff and imports, searched by every resident. SQLite's FTS5 index is unchanged."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-09T22:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "info search index without pending list"

UP = [
    "ALTER INDEX info_article_search SET (fastupdate = off)",
    "SELECT gin_clean_pending_list('info_article_search'::regclass)",
]
DOWN = ["ALTER INDEX info_article_search RESET (fastupdate)"]


async def _run(statements: list[str]) -> None:
    engine = engine_finder()
    if engine.engine_type != "postgres":
        return
    for sql in statements:
        await engine.run_ddl(sql)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="city311", description=DESCRIPTION)

    async def up():
        await _run(UP)

    async def down():
        await _run(DOWN)

    manager.add_raw(up)
    manager.add_raw_backwards(down)
    return manager
