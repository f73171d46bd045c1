"""Staff console: write and edit information articles; every change is audited (who, when, each
field's old and new value) in the same transaction as the change."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

import msgspec
from litestar import get, patch, post
from litestar.params import Parameter

from backend.channels.app_api.info_api import InfoArticleOut, article_out
from backend.channels.deps import Injected
from backend.channels.handler_types import AnyRequest
from backend.channels.openapi_bodies import json_body
from backend.channels.openapi_problems import problem_responses
from backend.identity.staff import StaffPrincipal, StaffRole
from backend.info.models import (
    MAX_BODY,
    MAX_CATEGORY,
    MAX_KEYWORD,
    MAX_SMS_ANSWER,
    MAX_SOURCE_URL,
    MAX_TITLE,
    ArticleData,
)
from backend.info.service import InfoService
from backend.limits import line, text

from .guards import staff_route
from .requests_api import actor, body
from .schemas import Api

EDITORS = (StaffRole.OPERATOR, StaffRole.SUPERVISOR)
Language = Literal["en", "es", "pl", "zh"]
Slug = Annotated[str, Parameter(max_length=80, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Keywords = Annotated[list[Annotated[str, line(MAX_KEYWORD)]], msgspec.Meta(max_length=60)]
Codes = Annotated[list[Annotated[str, line(32, min_length=1)]], msgspec.Meta(max_length=10)]


class InfoArticleIn(Api):
    slug: Annotated[str, msgspec.Meta(max_length=80, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
    language: Language
    title: Annotated[str, line(MAX_TITLE, min_length=1)]
    sms_answer: Annotated[str, line(MAX_SMS_ANSWER, min_length=1)]
    category: Annotated[str, line(MAX_CATEGORY, min_length=1)]
    source_url: Annotated[str, line(MAX_SOURCE_URL, min_length=1)]
    checked_on: date
    body: Annotated[str, text(MAX_BODY)] = ""
    keywords: Keywords = []
    service_codes: Codes = []
    valid_from: date | None = None
    valid_until: date | None = None


class InfoArticlePatch(Api):
    """The fields to change; the others stay. validFrom / validUntil null clears them."""

    title: Annotated[str, line(MAX_TITLE, min_length=1)] | msgspec.UnsetType = msgspec.UNSET
    sms_answer: Annotated[str, line(MAX_SMS_ANSWER, min_length=1)] | msgspec.UnsetType = (
        msgspec.UNSET
    )
    category: Annotated[str, line(MAX_CATEGORY, min_length=1)] | msgspec.UnsetType = msgspec.UNSET
    source_url: Annotated[str, line(MAX_SOURCE_URL, min_length=1)] | msgspec.UnsetType = (
        msgspec.UNSET
    )
    checked_on: date | msgspec.UnsetType = msgspec.UNSET
    body: Annotated[str, text(MAX_BODY)] | msgspec.UnsetType = msgspec.UNSET
    keywords: Keywords | msgspec.UnsetType = msgspec.UNSET
    service_codes: Codes | msgspec.UnsetType = msgspec.UNSET
    valid_from: date | None | msgspec.UnsetType = msgspec.UNSET
    valid_until: date | None | msgspec.UnsetType = msgspec.UNSET


class InfoEditOut(Api):
    action: str
    actor: str
    changes: dict[str, list[Any]]  # field -> [old, new]
    created_at: datetime


@post(
    "/info",
    operation_class=json_body(InfoArticleIn),
    summary="Write an information article (one language of it)",
    opt=staff_route(*EDITORS),
    responses=problem_responses(400, 401, 403, 409, 415, 422),
)
async def create_info(
    request: AnyRequest, info: Injected[InfoService], staff: Injected[StaffPrincipal]
) -> InfoArticleOut:
    data: InfoArticleIn = await body(request, InfoArticleIn)
    article = await info.create(
        ArticleData(**msgspec.structs.asdict(data)),
        actor(staff).label,
    )
    return article_out(article, await info.languages_of(article.slug))


@patch(
    "/info/{slug:str}/{language:str}",
    operation_class=json_body(InfoArticlePatch),
    summary="Change some fields of an information article",
    opt=staff_route(*EDITORS),
    responses=problem_responses(400, 401, 403, 404, 415, 422),
)
async def change_info(
    request: AnyRequest,
    info: Injected[InfoService],
    staff: Injected[StaffPrincipal],
    slug: Slug,
    language: Language,
) -> InfoArticleOut:
    data: InfoArticlePatch = await body(request, InfoArticlePatch)
    changes = {
        name: msgspec.to_builtins(getattr(data, name))
        for name in data.__struct_fields__
        if getattr(data, name) is not msgspec.UNSET
    }
    article = await info.update(slug, language, changes, actor(staff).label)
    return article_out(article, await info.languages_of(slug))


@get(
    "/info/{slug:str}/{language:str}/edits",
    summary="Every edit of an information article, oldest first",
    opt=staff_route(StaffRole.OPERATOR, StaffRole.DEPARTMENT, StaffRole.SUPERVISOR),
    responses=problem_responses(401, 403, 404, 422),
)
async def info_edits(
    info: Injected[InfoService], slug: Slug, language: Language
) -> list[InfoEditOut]:
    await info.get(slug, language)
    edits = await info.edits(slug, language)
    return [
        InfoEditOut(action=e.action, actor=e.actor, changes=e.changes, created_at=e.created_at)
        for e in edits
    ]


ROUTES = [create_info, change_info, info_edits]
