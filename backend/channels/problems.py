"""RFC 9457 problem details: every error any HTTP channel returns is rendered here, once."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from backend.errors import DomainError

log = logging.getLogger("city311.http")

PROBLEM_JSON = "application/problem+json"


def problem(status: int, title: str, detail: str, instance: str, errors: list[dict] | None = None,
            slug: str | None = None, headers: dict[str, str] | None = None) -> Response[Any]:
    body: dict[str, Any] = {
        "type": f"urn:city311:problem:{slug}" if slug else "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors:
        body["errors"] = errors
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _slug(exc: DomainError) -> str:
    name = type(exc).__name__
    return "".join("-" + c.lower() if c.isupper() else c for c in name).lstrip("-")


def domain_error_handler(request: Request, exc: DomainError) -> Response[Any]:
    errors = [{"field": e.field, "message": e.message} for e in exc.errors]
    return problem(exc.status, exc.title, exc.detail, request.url.path, errors, _slug(exc))


def validation_error_handler(request: Request, exc: ValidationException) -> Response[Any]:
    errors = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            field = item.get("key") or item.get("source") or "body"
            errors.append({"field": str(field), "message": str(item.get("message", ""))})
    detail = errors[0]["message"] if errors else str(exc.detail)
    return problem(400, "Malformed request", detail, request.url.path, errors, "malformed-request")


def http_error_handler(request: Request, exc: HTTPException) -> Response[Any]:
    titles = {404: "Not found", 405: "Method not allowed", 413: "Payload too large"}
    title = titles.get(exc.status_code, "Request refused")
    return problem(exc.status_code, title, str(exc.detail), request.url.path,
                   headers=getattr(exc, "headers", None))


def internal_error_handler(request: Request, exc: Exception) -> Response[Any]:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem(500, "Internal error", "something went wrong on our side",
                   request.url.path)


EXCEPTION_HANDLERS = {
    DomainError: domain_error_handler,
    ValidationException: validation_error_handler,
    HTTPException: http_error_handler,
    Exception: internal_error_handler,
}
