"""Domain errors: raised by the domain, mapped once to RFC 9457 problem details at the HTTP edge."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Self

from backend.city import OUTSIDE_CITY_PHONE


@dataclass(frozen=True)
class FieldError:
    field: str  # a JSON path in the client's terms, e.g. "answers.SURFACE" or "photos[1]"
    message: str


class DomainError(Exception):
    """Base of every error a client can cause. `status` is the HTTP status it maps to."""

    status = 400
    title = "Malformed request"
    slug = "malformed-request"  # the problem type: urn:city311:problem:<slug> (docs/problems.md)
    extra: ClassVar[dict[str, Any]] = {}  # members of the problem beside detail and errors

    def __init__(self, detail: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []

    @classmethod
    def for_field(cls, field: str, message: str) -> Self:
        return cls(message, [FieldError(field, message)])


class InvalidInput(DomainError):
    status = 422
    title = "Invalid input"
    slug = "invalid-input"


class NotFound(DomainError):
    status = 404
    title = "Not found"
    slug = "not-found"


class InvalidTransition(DomainError):
    status = 409
    title = "Invalid status change"
    slug = "invalid-transition"


class Conflict(DomainError):
    status = 409
    title = "Conflict"
    slug = "conflict"


class OutsideCity(InvalidInput):
    title = "Location outside the city"
    slug = "outside-city"
    extra: ClassVar[dict[str, Any]] = {"outsideCityPhone": OUTSIDE_CITY_PHONE}


class PayloadTooLarge(DomainError):
    status = 413
    title = "Payload too large"
    slug = "payload-too-large"


class UnsupportedMedia(DomainError):
    status = 415
    title = "Unsupported media type"
    slug = "unsupported-media-type"


class MalformedRequest(DomainError):
    """The request could not be read at all: not JSON, not UTF-8, a broken multipart body."""


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"
    slug = "forbidden"


class Unauthorized(DomainError):
    status = 401
    title = "Unauthorized"
    slug = "unauthorized"
