"""InfoService: search articles in a resident's language (misspellings forgiven), read one, and
let staff create and edit them, each edit audited in the same transaction."""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import msgspec
from rapidfuzz import fuzz, process

from backend.city import TIME_ZONE
from backend.db import Writer, is_unique_violation
from backend.errors import Conflict, InvalidInput, NotFound

from .models import EDITABLE, Article, ArticleData, Edit, Hit, check_article
from .repo import InfoRepo, _codes
from .words import LANGUAGES, MARKER, index_words, language_marker, query_words

SOURCE_LANGUAGE = "en"
MAX_LIMIT = 20
MAX_QUERY = 300
VOCABULARY_CHECK_S = 1.0  # how often a process looks for articles another one changed
# The articles `city311 seed` makes for each service type from the catalog ("request-<code>")
# weigh this much of what the engine scores them: a question about a program finds the program's
# article first and the type's own article next (docs/info.md).
GENERATED_PREFIX = "request-"
GENERATED_WEIGHT = 0.75
CANDIDATES = 12  # the engine's best, re-ordered with that weight
COMMON = 0.3  # a query word in more than this share of the language's articles is left out


class _Language:
    """One language's indexed words: how many articles hold each (its rarity), and the list the
    misspelling fallback picks from."""

    def __init__(self) -> None:
        self.df: Counter[str] = Counter()
        self.articles = 0
        self.words: list[str] = []

    def weight(self, term: str) -> float:
        df = self.df.get(term, 0)
        return math.log(1 + (self.articles - df + 0.5) / (df + 0.5))

    def resolve(self, term: str) -> str | None:
        """The indexed word a query term stands for: itself, or the closest spelling."""
        if term in self.df:
            return term
        if len(term) < 4 or not term.isascii():
            return None
        cutoff = 80
        found = process.extractOne(term, self.words, scorer=fuzz.ratio, score_cutoff=cutoff)
        return found[0] if found else None


class InfoService:
    def __init__(
        self,
        writer: Writer,
        repo: InfoRepo,
        known_codes: Callable[[], set[str]],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.writer, self.repo, self.known_codes, self.clock = writer, repo, known_codes, clock
        self._languages: dict[str, _Language] | None = None
        self._generation: tuple[int, str] | None = None
        self._checked = 0.0

    def today(self) -> date:
        return self.clock().astimezone(TIME_ZONE).date()

    # -- reading ------------------------------------------------------------------------------

    async def _vocabulary(self) -> dict[str, _Language]:
        now = time.monotonic()
        if self._languages is not None and now - self._checked < VOCABULARY_CHECK_S:
            return self._languages
        self._checked = now
        generation = await self.repo.generation()
        if self._languages is None or generation != self._generation:
            languages = {lang: _Language() for lang in LANGUAGES}
            for row in await self.repo.search_words():
                lang = languages.get(row["language"])
                if lang is None:
                    continue
                lang.articles += 1
                words = f"{row['search_title']} {row['search_keywords']} {row['search_body']}"
                lang.df.update(w for w in set(words.split()) if not w.startswith(MARKER))
            for lang in languages.values():
                lang.words = sorted(lang.df)
            self._languages, self._generation = languages, generation
        return self._languages

    def forget_vocabulary(self) -> None:
        self._languages = None

    async def search(
        self, query: str, language: str = SOURCE_LANGUAGE, limit: int = 5, day: date | None = None
    ) -> list[Hit]:
        """Articles answering `query`, best first, in `language` (English when none in it
        matches), in force on `day` (today in Chicago)."""
        if language not in LANGUAGES:
            raise InvalidInput.for_field("lang", "one of " + ", ".join(LANGUAGES))
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidInput.for_field("limit", f"between 1 and {MAX_LIMIT}")
        query = query[:MAX_QUERY]
        day = day or self.today()
        hits = await self._search_in(query, language, limit, day)
        if not hits and language != SOURCE_LANGUAGE:
            hits = await self._search_in(query, SOURCE_LANGUAGE, limit, day)
        return hits

    async def _search_in(self, query: str, language: str, limit: int, day: date) -> list[Hit]:
        vocabulary = (await self._vocabulary())[language]
        terms = list(
            dict.fromkeys(
                t for t in (vocabulary.resolve(w) for w in query_words(query, language)) if t
            )
        )
        if not terms:
            return []
        if len(terms) > 1:  # words in most articles rank nothing and cost the most: left out
            rare = [t for t in terms if vocabulary.df[t] <= COMMON * vocabulary.articles]
            terms = rare or [min(terms, key=lambda t: vocabulary.df[t])]
        weights = [vocabulary.weight(t) for t in terms]
        rows = await self.repo.search(terms, weights, language, day, max(limit, CANDIDATES))
        hits = []
        for row in rows:
            held = set(
                f"{row['search_title']} {row['search_keywords']} {row['search_body']}".split()
            )
            rank = float(row["rank"])
            hits.append(
                Hit(
                    slug=row["slug"],
                    language=row["language"],
                    title=row["title"],
                    sms_answer=row["sms_answer"],
                    source_url=row["source_url"],
                    category=row["category"],
                    service_codes=_codes(row["service_codes"]),
                    score=round(
                        rank
                        * (GENERATED_WEIGHT if row["slug"].startswith(GENERATED_PREFIX) else 1.0),
                        6,
                    ),
                    matched=round(sum(t in held for t in terms) / len(terms), 3),
                )
            )
        hits.sort(key=lambda h: -h.score)
        return hits[:limit]

    async def get(self, slug: str, language: str = SOURCE_LANGUAGE) -> Article:
        """The article in `language`, else in English; NotFound when there is no such slug."""
        if language not in LANGUAGES:
            raise InvalidInput.for_field("lang", "one of " + ", ".join(LANGUAGES))
        article = await self.repo.get(slug, language)
        if article is None and language != SOURCE_LANGUAGE:
            article = await self.repo.get(slug, SOURCE_LANGUAGE)
        if article is None:
            raise NotFound.for_field("slug", f"no article '{slug[:40]}'")
        return article

    async def languages_of(self, slug: str) -> list[str]:
        return await self.repo.languages_of(slug)

    async def articles(
        self, language: str | None = None, after_id: int = 0, limit: int = 100
    ) -> list[Article]:
        return await self.repo.page(language, after_id, limit)

    async def edits(self, slug: str, language: str) -> list[Edit]:
        return await self.repo.edits(slug, language)

    # -- writing ------------------------------------------------------------------------------

    def _checked_data(self, data: ArticleData) -> ArticleData:
        return check_article(data, self.known_codes())

    @staticmethod
    def _search_columns(data: ArticleData) -> dict[str, str]:
        lang = data.language
        return {
            "search_title": index_words(data.title, lang),
            "search_keywords": f"{language_marker(lang)} "
            + index_words(" , ".join(data.keywords), lang),
            "search_body": index_words(f"{data.sms_answer} {data.body} {data.category}", lang),
        }

    async def create(self, data: ArticleData, actor: str, action: str = "created") -> Article:
        data = self._checked_data(data)
        at = self.clock()
        try:
            async with self.writer.transaction():
                article_id = await self.repo.insert(data, self._search_columns(data), at)
                changes = {k: [None, v] for k, v in _plain(data).items() if k in EDITABLE}
                await self.repo.record(article_id, data, action, actor, changes, at)
        except Exception as exc:
            if is_unique_violation(exc):
                raise Conflict.for_field(
                    "slug", f"'{data.slug}' already has an article in '{data.language}'"
                ) from exc
            raise
        self.forget_vocabulary()
        return await self.get(data.slug, data.language)

    async def update(
        self,
        slug: str,
        language: str,
        changes: dict[str, Any],
        actor: str,
        action: str = "updated",
    ) -> Article:
        """Changes some EDITABLE fields of an article; the audit keeps each old and new value.
        A missing article is NotFound before any change is checked."""
        async with self.writer.transaction():
            current = await self.repo.get(slug, language)
            if current is None:
                if language == SOURCE_LANGUAGE or not await self.repo.get(slug, SOURCE_LANGUAGE):
                    raise NotFound.for_field("slug", f"no article '{slug[:40]}'")
                raise NotFound.for_field("slug", f"no article '{slug[:40]}' in '{language}'")
            unknown = sorted(set(changes) - set(EDITABLE))
            if unknown:
                raise InvalidInput.for_field(unknown[0], "this field cannot be changed")
            before = _plain(current)
            merged = {k: v for k, v in before.items() if k in ArticleData.__struct_fields__}
            merged |= changes
            data = self._checked_data(msgspec.convert(merged, ArticleData))
            after = _plain(data)
            diff = {k: [before[k], after[k]] for k in EDITABLE if before[k] != after[k]}
            if diff:
                at = self.clock()
                await self.repo.update(current.id, data, self._search_columns(data), at)
                await self.repo.record(current.id, data, action, actor, diff, at)
        if diff:
            self.forget_vocabulary()
        return await self.get(slug, language)

    async def put(self, data: ArticleData, actor: str) -> str:
        """Creates or updates an article from an import file: 'created', 'updated' or 'same'."""
        current = await self.repo.get(data.slug, data.language)
        if current is None:
            await self.create(data, actor, action="imported")
            return "created"
        before = _plain(current)
        wanted = {k: v for k, v in _plain(self._checked_data(data)).items() if k in EDITABLE}
        if all(before[k] == v for k, v in wanted.items()):
            async with self.writer.transaction():
                refreshed = await self.repo.refresh_search(current.id, self._search_columns(data))
            if refreshed:
                self.forget_vocabulary()  # written by an older way of indexing
            return "same"
        await self.update(data.slug, data.language, wanted, actor, action="imported")
        return "updated"


def _plain(data: ArticleData) -> dict[str, Any]:
    """An article's fields as JSON values (dates as ISO text), for comparing and the audit."""
    plain: dict[str, Any] = msgspec.to_builtins(
        {k: getattr(data, k) for k in ArticleData.__struct_fields__}
    )
    return plain
