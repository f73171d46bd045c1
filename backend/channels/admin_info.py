"""The back office's information articles: /admin edits them through InfoService, so each edit is
checked like the staff API's and audited (info_edit) in the same transaction as the change.

PiccoloCRUD's PATCH runs its pre_patch hooks and then its own UPDATE with what they return. The
hook here makes the whole edit with `InfoService.update` (the article, its search words and the
audit row, in one transaction) and hands PiccoloCRUD back only `id = id`, so its own UPDATE
changes nothing (and cannot write stale values over a later edit). The indexed words
(`search_*`) and `updated_at` are the service's: a PATCH may send them unchanged (the UI sends the
whole row) but not change them. POST, PUT and DELETE are refused: articles are made by the staff API
or `city311 info import`, and never deleted (their audit refers to them)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from piccolo_api.crud.hooks import Hook, HookType
from starlette.exceptions import HTTPException
from starlette.requests import Request

from backend.channels.admin_checks import check_columns
from backend.channels.admin_scope import scope_services
from backend.errors import DomainError
from backend.info.models import EDITABLE
from backend.info.tables import InfoArticle
from backend.service_requests.audit import Actor


def _service_value(name: str, value: Any) -> Any:
    """A column's value as InfoService takes it (keywords and service codes as lists)."""
    if name == "keywords" and isinstance(value, str):
        return [k.strip() for k in value.split(",") if k.strip()]
    if name == "service_codes" and isinstance(value, str):
        try:
            return json.loads(value or "[]")
        except ValueError:
            raise HTTPException(status_code=422, detail="service_codes: a JSON list") from None
    if isinstance(value, date):
        return value.isoformat()
    return value


async def _pre_patch(row_id: Any, values: dict[Any, Any], request: Request) -> dict[Any, Any]:
    current = await InfoArticle.select().where(InfoArticle._meta.primary_key == row_id).first()
    if current is None:
        raise HTTPException(status_code=404, detail="no such row")
    changes: dict[str, Any] = {}
    for column, value in values.items():
        name = column._meta.name
        if name in EDITABLE:
            if value != current[name]:  # what any column can hold (control characters, length)
                check_columns(InfoArticle, {name: value})
            changes[name] = _service_value(name, value)
        elif name not in ("id", "updated_at") and value != current[name]:
            raise HTTPException(status_code=422, detail=f"{name}: cannot be changed here")
    user = request.scope.get("user")
    actor = Actor.staff(user.user_id).label if user is not None else "admin"
    info = scope_services(request.scope).info
    try:
        await info.update(current["slug"], current["language"], changes, actor)
    except DomainError as exc:
        raise HTTPException(status_code=exc.status, detail=exc.detail) from exc
    return {InfoArticle._meta.primary_key: row_id}


def info_article_hooks() -> list[Hook]:
    return [Hook(HookType.pre_patch, _pre_patch)]
