"""RFC 9457 problem details: every error any HTTP channel returns is rendered here, once.

One `type` URI per kind of problem (`urn:city311:problem:<slug>`), listed in PROBLEM_TYPES and in
docs/problems.md (a test keeps the two equal). Domain errors carry their slug; Litestar's own
errors (unknown route, wrong method, body too large, rate limit, parameter validation) are mapped
onto the same vocabulary by status.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from backend.errors import DomainError
from backend.logsafe import escape
from backend.storage.photo_limits import MAX_PHOTO_MB

log = logging.getLogger("city311.http")

PROBLEM_JSON = "application/problem+json"
PREFIX = "urn:city311:problem:"


class ProblemType(msgspec.Struct, frozen=True):
    status: int
    title: str
    meaning: str


PROBLEM_TYPES: dict[str, ProblemType] = {
    "malformed-request": ProblemType(
        400,
        "Malformed request",
        "The body could not be read: it is not JSON or not UTF-8, or a multipart body is broken "
        "or lacks its 'request' part.",
    ),
    "unauthorized": ProblemType(
        401,
        "Unauthorized",
        "The route needs a device token (`Authorization: Bearer …` from POST /api/v1/devices) "
        "or, on the staff API, a staff access token (POST /api/staff/v1/auth/login); or the "
        "token sent is forged, expired, revoked, names no device, or its account is disabled. A "
        "wrong staff username or password too.",
    ),
    "forbidden": ProblemType(
        403,
        "Forbidden",
        "A webhook's signature (`X-Twilio-Signature`) is missing or does not match the request "
        "as sent to our public URL (nothing was done); or a staff account's role may not use "
        "the route (the error names `role`), or the work belongs to a department the account "
        "does not work for.",
    ),
    "not-found": ProblemType(
        404,
        "Not found",
        "No such route, service type, tracking number or photo. A tracking number that is not "
        "even in the form SR26-00012345 is answered with this type too, saying the form.",
    ),
    "method-not-allowed": ProblemType(
        405,
        "Method not allowed",
        "The route exists but not with this method; the `Allow` header lists the methods.",
    ),
    "conflict": ProblemType(
        409,
        "Conflict",
        "The request contradicts an earlier one, e.g. an Idempotency-Key reused for a different "
        "request, or a device registering an 11th push subscription.",
    ),
    "invalid-transition": ProblemType(
        409, "Invalid status change", "The request's current status does not allow that change."
    ),
    "payload-too-large": ProblemType(
        413,
        "Payload too large",
        f"The body, a photo ({MAX_PHOTO_MB} MB) or a photo's pixels (its budget, or the request's) are over "
        "the limit.",
    ),
    "unsupported-media-type": ProblemType(
        415,
        "Unsupported media type",
        "The body's Content-Type, or a photo's content, is not one we take.",
    ),
    "invalid-input": ProblemType(
        422,
        "Invalid input",
        "The request was read but a value breaks a rule: a wrong type, a missing or unknown "
        "field, too long, control characters, out of range, not an e-mail or phone number, an "
        "unknown service code, a missing or wrong answer. `errors` names each field (or query "
        "parameter or header).",
    ),
    "outside-city": ProblemType(
        422,
        "Location outside the city",
        "The location (given, or from a photo's GPS) is outside the City of Chicago. "
        "`outsideCityPhone` is the number that serves callers from outside the city.",
    ),
    "rate-limited": ProblemType(
        429,
        "Too many requests",
        "This client sent too many requests of this kind, or a staff account is locked after "
        "repeated failed logins; `Retry-After` says how many seconds to wait.",
    ),
    "internal-error": ProblemType(
        500,
        "Internal error",
        "Our fault, not the client's. The problem carries `requestId`, which is in our logs.",
    ),
}
_BY_STATUS = {
    404: "not-found",
    405: "method-not-allowed",
    413: "payload-too-large",
    415: "unsupported-media-type",
    401: "unauthorized",
    403: "forbidden",
    429: "rate-limited",
    409: "conflict",
    422: "invalid-input",
}
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def problem(
    slug: str,
    detail: str,
    instance: str,
    errors: list[dict] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response[Any]:
    kind = PROBLEM_TYPES[slug]
    body: dict[str, Any] = {
        "type": PREFIX + slug,
        "title": kind.title,
        "status": kind.status,
        "detail": detail,
        "instance": instance,
    }
    if errors:
        body["errors"] = errors
    body.update(extra)
    return Response(body, status_code=kind.status, media_type=PROBLEM_JSON, headers=headers)


def domain_error_handler(request: Request, exc: DomainError) -> Response[Any]:
    errors = [{"field": e.field, "message": e.message} for e in exc.errors]
    return problem(exc.slug, exc.detail, request.url.path, errors, **exc.extra)


def _wire_name(request: Request, key: str) -> str:
    """A parameter's name as the client sent it (`Last-Event-ID`, `trackingNumber`), not the
    handler's argument (`last_event_id`, `tracking_number`) that Litestar names."""
    try:
        parameters = request.route_handler.parsed_fn_signature.parameters
    except AttributeError:
        return key
    definition = getattr(parameters.get(key), "kwarg_definition", None)
    for alias in ("name", "header", "query", "cookie"):
        if isinstance(value := getattr(definition, alias, None), str) and value:
            return value
    return key


def validation_error_handler(request: Request, exc: ValidationException) -> Response[Any]:
    errors = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            key = item.get("key")
            field = _wire_name(request, str(key)) if key else item.get("source") or "body"
            errors.append({"field": str(field), "message": str(item.get("message", ""))})
    detail = errors[0]["message"] if errors else str(exc.detail)
    # Litestar raises this for parameters (query, path, header) that were read but break their
    # declared type or constraint: the same 422 as a body value that breaks a rule. (Bodies are
    # decoded by our own code, which tells unreadable (400) from invalid (422).)
    return problem("invalid-input", detail, request.url.path, errors)


def http_error_handler(request: Request, exc: HTTPException) -> Response[Any]:
    slug = _BY_STATUS.get(exc.status_code)
    if slug is None:
        if exc.status_code >= 500:
            return internal_error_handler(request, exc)
        slug = "malformed-request"
    headers = dict(getattr(exc, "headers", None) or {})
    detail = str(exc.detail)
    if exc.status_code == 429:
        wait = headers.get("RateLimit-Reset", "60")
        headers["Retry-After"] = wait
        detail = f"too many requests of this kind from this client; try again in {wait} seconds"
    return problem(slug, detail, request.url.path, headers=headers or None)


def internal_error_handler(request: Request, exc: Exception) -> Response[Any]:
    sent = request.headers.get("x-request-id", "")
    request_id = sent if _REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex
    log.error(
        "unhandled error on %s %s [request %s]",
        request.method,
        escape(request.url.path),
        request_id,
        exc_info=exc,
    )
    return problem(
        "internal-error",
        f"something went wrong on our side; quote request id {request_id} if you report it",
        request.url.path,
        headers={"X-Request-ID": request_id},
        requestId=request_id,
    )


EXCEPTION_HANDLERS = {
    DomainError: domain_error_handler,
    ValidationException: validation_error_handler,
    HTTPException: http_error_handler,
    Exception: internal_error_handler,
}
