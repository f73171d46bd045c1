"""The app API's edge for domain errors: the core's field ids in the app's wire names (camelCase,
the Idempotency-Key header), in the fields and wherever a message names one (errors.Named), with
the hints an app developer needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Response

from backend.channels.handler_types import AnyRequest
from backend.channels.problems import domain_error_handler
from backend.errors import DomainError, FieldError

WIRE_NAMES = {
    "service_code": "serviceCode",
    "tracking_number": "trackingNumber",
    "idempotency_key": "Idempotency-Key",
    "quiet_hours": "quietHours",
}
HINTS = {
    "serviceCode": "GET /api/v1/services lists them",
}


def _with_hint(field: str, message: str, status: int) -> str:
    hint = HINTS.get(field)
    return f"{message}; {hint}" if hint and status == 422 else message


def wire_error_handler(
    names: dict[str, str],
) -> Callable[[AnyRequest, DomainError], Response[Any]]:
    """A DomainError handler that calls each domain field id by `names` (an id not in it keeps
    its own name); the app API's, and the staff API's with its own ids added."""

    def wire(field: str) -> str:
        return names.get(field, field)

    def handler(request: AnyRequest, exc: DomainError) -> Response[Any]:
        errors = []
        for error in exc.errors:
            field = wire(error.field)
            errors.append(FieldError(field, _with_hint(field, error.worded(wire), exc.status)))
        detail = exc.worded_detail(wire)
        if len(errors) == 1 and exc.detail == exc.errors[0].message:
            detail = errors[0].message
        renamed = type(exc)(detail, errors)
        return domain_error_handler(request, renamed)

    return handler


app_api_error_handler = wire_error_handler(WIRE_NAMES)
