"""Open311 Inquiry-style reads of the information database (JSON, the spec family's snake_case
names): the articles that answer a question, and one article. Nothing is written here."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import msgspec
from litestar import Router, get
from litestar.datastructures import State
from litestar.params import Parameter

from backend.channels.app_api.errors import app_api_error_handler
from backend.channels.openapi_problems import problem_responses
from backend.errors import DomainError
from backend.info.models import Article
from backend.limits import LINE_PATTERN

Language = Literal["en", "es", "pl", "zh"]


class InquiryArticle(msgspec.Struct, kw_only=True):
    article_id: str
    lang: str
    title: str
    summary: str  # the short answer an SMS gives
    group: str
    keywords: str  # comma separated, as GeoReport's service keywords
    service_codes: list[str]  # GeoReport service codes it relates to
    url: str
    checked_on: date
    valid_from: date | None
    valid_until: date | None


class InquiryArticleFull(InquiryArticle, kw_only=True):
    description: str


def _inquiry(a: Article) -> dict:
    return {
        "article_id": a.slug,
        "lang": a.language,
        "title": a.title,
        "summary": a.sms_answer,
        "group": a.category,
        "keywords": ", ".join(a.keywords),
        "service_codes": a.service_codes,
        "url": a.source_url,
        "checked_on": a.checked_on,
        "valid_from": a.valid_from,
        "valid_until": a.valid_until,
    }


@get(
    "/articles.json",
    summary="Information articles answering a question (q), best first; all of them without q",
    responses=problem_responses(422),
)
async def inquiry_articles(
    state: State,
    q: Annotated[
        str | None, Parameter(max_length=300, pattern=LINE_PATTERN, description="A question")
    ] = None,
    lang: Language = "en",
    page_size: Annotated[int, Parameter(ge=1, le=100)] = 20,
    after: Annotated[int, Parameter(ge=0, le=2_147_483_647)] = 0,
) -> list[InquiryArticle]:
    info = state.services.info
    if q and q.strip():
        hits = await info.search(q, lang, limit=min(page_size, 20))
        found = [await info.get(h.slug, h.language) for h in hits]
    else:
        found = await info.articles(lang, after, page_size)
    return [InquiryArticle(**_inquiry(a)) for a in found]


@get(
    "/articles/{article_json:str}",
    summary="One information article, in the language asked where it is written in it",
    responses=problem_responses(404, 422),
)
async def inquiry_article(
    state: State,
    article_json: Annotated[
        str,
        Parameter(
            max_length=85,
            pattern=r"^[a-z0-9]+(-[a-z0-9]+)*\.json$",
            description="The article's id followed by .json, e.g. bulk-item-pickup.json",
        ),
    ],
    lang: Language = "en",
) -> InquiryArticleFull:
    article = await state.services.info.get(article_json.removesuffix(".json"), lang)
    return InquiryArticleFull(**_inquiry(article), description=article.body)


inquiry_router = Router(
    path="/inquiry/v1",
    route_handlers=[inquiry_articles, inquiry_article],
    tags=["open311-inquiry-v1"],
    exception_handlers={DomainError: app_api_error_handler},
)
