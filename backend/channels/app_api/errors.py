"""The app API's edge for domain errors: the core's field ids in the app's wire names (camelCase,
the Idempotency-Key header), in the fields and wherever a message names one (errors.Named), with
the hints an app developer needs."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response

from backend.channels.problems import domain_error_handler
from backend.errors import DomainError, FieldError

WIRE_NAMES = {
    "service_code": "serviceCode",
    "tracking_number": "trackingNumber",
    "idempotency_key": "Idempotency-Key",
}
HINTS = {
    "serviceCode": "GET /api/v1/services lists them",
}


def _wire(field: str) -> str:
    """A domain field id as the app calls it."""
    return WIRE_NAMES.get(field, field)


def _with_hint(field: str, message: str, status: int) -> str:
    hint = HINTS.get(field)
    return f"{message}; {hint}" if hint and status == 422 else message


def app_api_error_handler(request: Request, exc: DomainError) -> Response[Any]:
    errors = []
    for error in exc.errors:
        field = _wire(error.field)
        errors.append(FieldError(field, _with_hint(field, error.worded(_wire), exc.status)))
    detail = exc.worded_detail(_wire)
    if len(errors) == 1 and exc.detail == exc.errors[0].message:
        detail = errors[0].message
    renamed = type(exc)(detail, errors)
    return domain_error_handler(request, renamed)
