"""Errors in Open311's shape: `errors` → `error` {code, description}, with the spec's statuses —
404 for what does not exist, 403 for a missing or wrong api_key, 400 for everything else (a body
too large stays 413) — in the format the path asked for (XML unless it ends in .json)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.types import ExceptionHandlersMap

from backend.channels.handler_types import AnyRequest
from backend.channels.problems import internal_error_handler
from backend.errors import DomainError

from .formats import MEDIA_TYPES, encode

# Our domain's field ids -> the spec's argument names (answers.X is attribute[X]).
WIRE_NAMES = {"photos": "media", "address": "address_string", "name": "first_name"}
_KEEP = {403, 404, 405, 413, 429}


def wire(field: str, address_field: str = "address_string") -> str:
    """A domain field id as Open311 calls it; `address_field`: the argument the POST carried
    its address in (address_string or address_id)."""
    if field.startswith("answers."):
        return f"attribute[{field.removeprefix('answers.')}]"
    if field == "photos" or (field.startswith("photos[") and field.endswith("]")):
        return "media"
    if field == "address":
        return address_field
    return WIRE_NAMES.get(field, field)


def error_response(
    request: AnyRequest, status: int, messages: list[str], headers: dict[str, str] | None = None
) -> Response[bytes]:
    fmt = "json" if request.url.path.endswith(".json") else "xml"
    status = status if status in _KEEP else 400
    body = [{"code": status, "description": m} for m in messages]
    return Response(
        content=encode(fmt, "errors", body),
        status_code=status,
        media_type=MEDIA_TYPES[fmt],
        headers=headers,
    )


def _messages(exc: DomainError, name: Callable[[str], str]) -> list[str]:
    if not exc.errors:
        return [exc.worded_detail(name)]
    out = []
    for e in exc.errors:
        field, message = name(e.field), e.worded(name)
        out.append(message if message.startswith(field) else f"{field}: {message}")
    return out


def open311_domain_error(request: AnyRequest, exc: DomainError) -> Response[bytes]:
    address_field = request.scope.get("state", {}).get("open311_address_field")
    if address_field != "address_id":
        address_field = "address_string"
    return error_response(
        request, exc.status, _messages(exc, lambda field: wire(field, address_field))
    )


def open311_http_error(request: AnyRequest, exc: HTTPException) -> Response[Any]:
    if exc.status_code >= 500:
        return internal_error_handler(request, exc)
    if isinstance(exc, ValidationException):
        extra = exc.extra if isinstance(exc.extra, list) else []
        messages = [
            f"{item.get('key', 'argument')}: {item.get('message', 'is not valid')}"
            for item in extra
            if isinstance(item, dict)
        ]
        return error_response(request, 400, messages or [str(exc.detail)])
    # 405 keeps its Allow header, 429 its rate-limit headers and a Retry-After
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 429:
        headers.setdefault("Retry-After", headers.get("RateLimit-Reset", "60"))
    return error_response(request, exc.status_code, [str(exc.detail)], headers or None)


HANDLERS: ExceptionHandlersMap = {
    DomainError: open311_domain_error,
    HTTPException: open311_http_error,
}
