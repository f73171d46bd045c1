"""Domain errors: raised by the domain, mapped once to RFC 9457 problem details at the HTTP edge."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from backend.city import OUTSIDE_CITY_PHONE


@dataclass(frozen=True)
class Named:
    """A field id inside a message ("a {service_code} is required"): each channel words it with
    its own name for the field, never by rewriting the message's text."""

    field: str


# A message as parts: text, and the field ids it names.
Wording = tuple["str | Named", ...]


def worded(parts: Wording, name: Callable[[str], str] | None = None) -> str:
    """The message with each named field as `name` calls it (the domain's id by default)."""
    return "".join(
        part if isinstance(part, str) else (name(part.field) if name else part.field)
        for part in parts
    )


@dataclass(frozen=True)
class FieldError:
    field: str  # the domain's id of the field, e.g. "service_code", "answers.SURFACE", "photos[1]"
    message: str
    parts: Wording = ()  # the message as parts, when it names fields (FieldError.naming)

    @classmethod
    def naming(cls, field: str, *parts: str | Named) -> FieldError:
        return cls(field, worded(parts), parts)

    def worded(self, name: Callable[[str], str]) -> str:
        """The message with the fields it names called by a channel's `name` for them."""
        return worded(self.parts, name) if self.parts else self.message


class DomainError(Exception):
    """Base of every error a client can cause. `status` is the HTTP status it maps to."""

    status = 400
    title = "Malformed request"
    slug = "malformed-request"  # the problem type: urn:city311:problem:<slug> (docs/problems.md)
    extra: ClassVar[dict[str, Any]] = {}  # members of the problem beside detail and errors

    def __init__(
        self, detail: str, errors: list[FieldError] | None = None, detail_parts: Wording = ()
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        self.detail_parts = detail_parts  # the detail as parts, when it names fields

    @classmethod
    def for_field(cls, field: str, message: str) -> Self:
        return cls(message, [FieldError(field, message)])

    @classmethod
    def naming(cls, field: str, *parts: str | Named) -> Self:
        """for_field, with a message that names fields (Named): worded by each channel."""
        error = FieldError.naming(field, *parts)
        return cls(error.message, [error], parts)

    def worded_detail(self, name: Callable[[str], str]) -> str:
        return worded(self.detail_parts, name) if self.detail_parts else self.detail


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
