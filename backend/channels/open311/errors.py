"""Errors in Open311's shape: `errors` → `error` {code, description}, with the spec's statuses —
404 for what does not exist, 403 for a missing or wrong api_key, 400 for everything else (a body
too large stays 413) — in the format the path asked for (XML unless it ends in .json)."""

from __future__ import annotations

import re
from typing import Any

from litestar import Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.types import ExceptionHandlersMap

from backend.channels.handler_types import AnyRequest
from backend.channels.problems import internal_error_handler
from backend.errors import DomainError, FieldError

from .formats import MEDIA_TYPES, encode

# Our domain's field names -> the spec's argument names.
_FIELDS = [
    (re.compile(r"\banswers\.([A-Za-z0-9_\-]+)"), r"attribute[\1]"),
    (re.compile(r"\bphotos(\[\d+\])?"), "media"),
    (re.compile(r"^address$"), "address_string"),
    (re.compile(r"^name$"), "first_name"),
]
_KEEP = {403, 404, 405, 413, 429}


def wire(text: str) -> str:
    for pattern, replacement in _FIELDS:
        text = pattern.sub(replacement, text)
    return text


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


def _messages(errors: list[FieldError], detail: str) -> list[str]:
    if not errors:
        return [wire(detail)]
    out = []
    for e in errors:
        field, message = wire(e.field), wire(e.message)
        out.append(message if message.startswith(field) else f"{field}: {message}")
    return out


def open311_domain_error(request: AnyRequest, exc: DomainError) -> Response[bytes]:
    messages = _messages(exc.errors, exc.detail)
    if request.scope.get("state", {}).get("open311_address_field") == "address_id":
        messages = [m.replace("address_string", "address_id") for m in messages]
    return error_response(request, exc.status, messages)


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
