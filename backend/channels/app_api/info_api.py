"""App API v1: the information database — search articles about city programs in the resident's
language, and read one."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from litestar import get
from litestar.params import Parameter

from backend.channels.deps import Injected
from backend.channels.openapi_problems import problem_responses
from backend.info.models import Article
from backend.info.service import InfoService
from backend.limits import LINE_PATTERN

from .schemas import Api

Language = Literal["en", "es", "pl", "zh"]
Slug = Annotated[
    str, Parameter(max_length=80, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="An article")
]


class InfoHitOut(Api):
    slug: str
    language: str
    title: str
    sms_answer: str
    url: str  # the city's page it was written from
    category: str
    service_codes: list[str]  # request types it relates to (POST /requests takes them)
    score: float


class InfoSearchOut(Api):
    query: str
    language: str
    items: list[InfoHitOut]


class InfoArticleOut(Api):
    slug: str
    language: str  # the language it is in (English when the asked one has none)
    languages: list[str]  # every language it is written in
    title: str
    body: str
    sms_answer: str
    category: str
    keywords: list[str]
    service_codes: list[str]
    source_url: str
    checked_on: date
    valid_from: date | None
    valid_until: date | None
    updated_at: datetime


def article_out(article: Article, languages: list[str]) -> InfoArticleOut:
    return InfoArticleOut(
        slug=article.slug,
        language=article.language,
        languages=languages,
        title=article.title,
        body=article.body,
        sms_answer=article.sms_answer,
        category=article.category,
        keywords=article.keywords,
        service_codes=article.service_codes,
        source_url=article.source_url,
        checked_on=article.checked_on,
        valid_from=article.valid_from,
        valid_until=article.valid_until,
        updated_at=article.updated_at,
    )


@get(
    "/info",
    summary="Search information about city programs and services, best match first",
    description="Full-text search in the given language (English articles answer when none in "
    "it matches); misspellings are forgiven. Only articles in force today are found.",
    responses=problem_responses(422),
)
async def search_info(
    info: Injected[InfoService],
    q: Annotated[
        str, Parameter(min_length=1, max_length=300, pattern=LINE_PATTERN, description="A question")
    ],
    lang: Annotated[Language, Parameter(description="The resident's language")] = "en",
    limit: Annotated[int, Parameter(ge=1, le=20)] = 5,
) -> InfoSearchOut:
    hits = await info.search(q, lang, limit=limit)
    return InfoSearchOut(
        query=q,
        language=lang,
        items=[
            InfoHitOut(
                slug=h.slug,
                language=h.language,
                title=h.title,
                sms_answer=h.sms_answer,
                url=h.source_url,
                category=h.category,
                service_codes=h.service_codes,
                score=h.score,
            )
            for h in hits
        ],
    )


@get(
    "/info/{slug:str}",
    summary="One information article, in the resident's language where it is written in it",
    responses=problem_responses(404, 422),
)
async def get_info(
    info: Injected[InfoService], slug: Slug, lang: Annotated[Language, Parameter()] = "en"
) -> InfoArticleOut:
    article = await info.get(slug, lang)
    return article_out(article, await info.languages_of(slug))


ROUTES = [search_info, get_info]
