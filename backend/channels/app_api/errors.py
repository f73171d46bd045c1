"""The app API's edge for domain errors: the core's field names in the app's wire names (camelCase,
the Idempotency-Key header), with the hints an app developer needs."""

from __future__ import annotations

import re
from typing import Any

from litestar import Response

from backend.channels.handler_types import AnyRequest
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
_NAMES = re.compile(r"\b(" + "|".join(map(re.escape, WIRE_NAMES)) + r")\b")


def _wire(text: str) -> str:
    return _NAMES.sub(lambda m: WIRE_NAMES[m.group(1)], text)


def _with_hint(field: str, message: str, status: int) -> str:
    hint = HINTS.get(field)
    return f"{message}; {hint}" if hint and status == 422 else message


def app_api_error_handler(request: AnyRequest, exc: DomainError) -> Response[Any]:
    errors = []
    for error in exc.errors:
        field = _wire(error.field)
        errors.append(FieldError(field, _with_hint(field, _wire(error.message), exc.status)))
    detail = _wire(exc.detail)
    if len(errors) == 1 and exc.detail == exc.errors[0].message:
        detail = errors[0].message
    renamed = type(exc)(detail, errors)
    return domain_error_handler(request, renamed)
