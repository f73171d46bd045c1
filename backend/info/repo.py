"""Query shapes for information articles: the only module with their SQL.

The search is the engine's full-text index: FTS5's bm25 (title, keywords and body weighted 4, 2
and 1) on SQLite; on PostgreSQL the GIN-indexed tsvector finds the rows and ts_rank, summed per term
and weighted by each term's rarity (what bm25 does with its idf), orders them. Writes use Piccolo's
query builder and run inside `Writer.transaction()`."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, TypeVar

import msgspec
from piccolo.columns import Column

from backend.db import Reader, as_utc

from .models import Article, ArticleData, Edit
from .tables import InfoArticle, InfoEdit
from .words import language_marker

Row = dict[str, Any]  # a row as the reader returns it
_T = TypeVar("_T")

_COLUMNS = (
    "a.id, a.slug, a.language, a.title, a.body, a.sms_answer, a.category, a.keywords, "
    "a.service_codes, a.source_url, a.checked_on, a.valid_from, a.valid_until, a.updated_at"
)
_HIT_COLUMNS = (
    "a.slug, a.language, a.title, a.sms_answer, a.source_url, a.category, a.service_codes, "
    "a.search_title, a.search_keywords, a.search_body"
)
_IN_FORCE = "(a.valid_from IS NULL OR a.valid_from <= $3) AND (a.valid_until IS NULL OR a.valid_until >= $3)"
# The index ranks its own matches (the language's marker word narrows them to one language) and
# only the best few are joined to their articles; the rest are for articles not in force.
SQLITE_SEARCH = (
    f"SELECT {_HIT_COLUMNS}, f.rank FROM ("
    "SELECT rowid, bm25(info_fts, 4.0, 2.0, 1.0) AS rank FROM info_fts "
    "WHERE info_fts MATCH $1 ORDER BY rank LIMIT $4 * 4) f "
    "JOIN info_article a ON a.id = f.rowid "
    f"WHERE a.language = $2 AND {_IN_FORCE} ORDER BY f.rank LIMIT $4"
)
# ts_rank's weights are {D, C, B, A}: body C, keywords B, title A
_PG_WEIGHTS = "'{0.1, 0.25, 0.5, 1.0}'"


def _pg_search(terms: int) -> str:
    ranks = " + ".join(
        f"${5 + 2 * i}::float8 * ts_rank({_PG_WEIGHTS}, a.search, to_tsquery('simple', ${6 + 2 * i}), 1)"
        for i in range(terms)
    )
    return (
        f"SELECT {_HIT_COLUMNS}, ({ranks}) AS rank FROM info_article a "
        f"WHERE a.search @@ to_tsquery('simple', $1) AND a.language = $2 AND {_IN_FORCE} "
        "ORDER BY rank DESC, a.id LIMIT $4"
    )


def _date(value: date | str | None) -> date | None:
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value


def _codes(value: list[str] | str | None) -> list[str]:
    if isinstance(value, str):
        codes: list[str] = json.loads(value or "[]")
        return codes
    return list(value or [])


def _required(value: _T | None) -> _T:
    """A NOT NULL column's value (the database guarantees it)."""
    assert value is not None
    return value


def article_of(row: Row) -> Article:
    return Article(
        id=row["id"],
        slug=row["slug"],
        language=row["language"],
        title=row["title"],
        body=row["body"],
        sms_answer=row["sms_answer"],
        category=row["category"],
        keywords=[k for k in (row["keywords"] or "").split(", ") if k],
        service_codes=_codes(row["service_codes"]),
        source_url=row["source_url"],
        checked_on=_required(_date(row["checked_on"])),
        valid_from=_date(row["valid_from"]),
        valid_until=_date(row["valid_until"]),
        updated_at=as_utc(row["updated_at"]),
    )


class InfoRepo:
    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self._pg_sql: dict[int, str] = {}

    def _day(self, day: date) -> date | str:
        return day.isoformat() if self.reader.sqlite else day

    async def search(
        self, terms: list[str], weights: list[float], language: str, day: date, limit: int
    ) -> list[Row]:
        """Articles in `language`, in force on `day`, holding any of `terms`, best first; each
        row's `rank` is the higher the better on both engines (bm25's is negated)."""
        if not terms:
            return []
        if self.reader.sqlite:
            match = (
                f"{language_marker(language)} AND (" + " OR ".join(f'"{t}"' for t in terms) + ")"
            )
            rows = await self.reader.fetch(SQLITE_SEARCH, match, language, self._day(day), limit)
            return [{**r, "rank": -float(r["rank"])} for r in rows]
        sql = self._pg_sql.get(len(terms))
        if sql is None:
            sql = self._pg_sql[len(terms)] = _pg_search(len(terms))
        args: list[Any] = [" | ".join(terms), language, day, limit]
        for term, weight in zip(terms, weights, strict=True):
            args += [weight, term]
        return await self.reader.fetch(sql, *args)

    async def get(self, slug: str, language: str) -> Article | None:
        row = await self.reader.fetchrow(
            f"SELECT {_COLUMNS} FROM info_article a WHERE a.slug = $1 AND a.language = $2",
            slug,
            language,
        )
        return article_of(row) if row else None

    async def languages_of(self, slug: str) -> list[str]:
        rows = await self.reader.fetch(
            "SELECT language FROM info_article WHERE slug = $1 ORDER BY language", slug
        )
        return [r["language"] for r in rows]

    async def page(self, language: str | None, after_id: int, limit: int) -> list[Article]:
        if language:
            rows = await self.reader.fetch(
                f"SELECT {_COLUMNS} FROM info_article a WHERE a.language = $1 AND a.id > $2 "
                "ORDER BY a.id LIMIT $3",
                language,
                after_id,
                limit,
            )
        else:
            rows = await self.reader.fetch(
                f"SELECT {_COLUMNS} FROM info_article a WHERE a.id > $1 ORDER BY a.id LIMIT $2",
                after_id,
                limit,
            )
        return [article_of(r) for r in rows]

    async def generation(self) -> tuple[int, str]:
        """Changes when any article is added or edited: how many there are, and the latest
        audit row (every create and edit writes one). Two index look-ups: MAX(updated_at) read
        the whole table (28 ms at 10,000 articles)."""
        row = await self.reader.fetchrow(
            "SELECT (SELECT COUNT(*) FROM info_article) AS n, (SELECT MAX(id) FROM info_edit) AS e"
        )
        assert row is not None
        count: int = row["n"]
        return count, str(row["e"])

    async def search_words(self) -> list[Row]:
        """Every article's indexed words, for the misspelling vocabulary and term rarity."""
        return await self.reader.scan(
            "SELECT language, search_title, search_keywords, search_body FROM info_article"
        )

    async def edits(self, slug: str, language: str) -> list[Edit]:
        rows = await self.reader.fetch(
            "SELECT action, actor, changes, created_at FROM info_edit "
            "WHERE slug = $1 AND language = $2 ORDER BY id",
            slug,
            language,
        )
        return [
            Edit(
                action=r["action"],
                actor=r["actor"],
                changes=json.loads(r["changes"]) if isinstance(r["changes"], str) else r["changes"],
                created_at=as_utc(r["created_at"]),
            )
            for r in rows
        ]

    # -- writes (inside Writer.transaction()) ------------------------------------------------

    async def insert(self, data: ArticleData, search: dict[str, str], at: datetime) -> int:
        values = _values(data) | search
        rows = await InfoArticle.insert(InfoArticle(**values, updated_at=at)).returning(
            InfoArticle.id
        )
        article_id: int = rows[0]["id"]
        return article_id

    async def update(
        self, article_id: int, data: ArticleData, search: dict[str, str], at: datetime
    ) -> None:
        values = _columns(_values(data) | search | {"updated_at": at})
        await InfoArticle.update(values, force=True).where(InfoArticle.id == article_id)

    async def refresh_search(self, article_id: int, search: dict[str, str]) -> bool:
        """Rewrites an article's indexed words when they differ from `search` (inside
        Writer.transaction()); whether it did."""
        row = await self.reader.fetchrow(
            "SELECT search_title, search_keywords, search_body FROM info_article WHERE id = $1",
            article_id,
        )
        if row is None or all(row[k] == v for k, v in search.items()):
            return False
        await InfoArticle.update(_columns(search), force=True).where(InfoArticle.id == article_id)
        return True

    async def record(
        self,
        article_id: int,
        data: ArticleData,
        action: str,
        actor: str,
        changes: dict[str, Any],
        at: datetime,
    ) -> None:
        await InfoEdit.insert(
            InfoEdit(
                article=article_id,
                slug=data.slug,
                language=data.language,
                action=action,
                actor=actor,
                changes=changes,
                created_at=at,
            )
        )


def _values(data: ArticleData) -> dict[str, Any]:
    values = msgspec.structs.asdict(data)
    values["keywords"] = ", ".join(data.keywords)
    values["service_codes"] = json.dumps(data.service_codes)
    return values


def _columns(values: dict[str, Any]) -> dict[Column | str, Any]:
    """Values by column name, as Piccolo's update takes them."""
    return {name: value for name, value in values.items()}
