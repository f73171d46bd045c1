"""Limits on the text clients send, declared once: the msgspec types that put them in the OpenAPI
document, and the same checks for the domain, which every channel (app, SMS, Open311, staff) calls.

Both sides use the same pattern with `re.search`, as msgspec does, so a value that passes the
schema passes the domain and the other way round. NUL and the other C0 control characters (and DEL)
are refused everywhere: PostgreSQL cannot store NUL in text, and SQLite would store it silently.
Multi-line texts (a description, a note) may keep tab, line feed and carriage return. U+FFFE and
U+FFFF are refused too: with the C0 controls they are what XML 1.0 cannot carry at all, and any text
may reach the Open311 XML. So are lone surrogates, but only in the domain's patterns: JSON cannot
carry one (msgspec refuses a lone `\\ud800` escape as malformed) and JSON Schema's regex engines
(jsonschema-rs, the fuzzer's) refuse surrogates in a pattern; a form or a text message could.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

import msgspec

from backend.errors import FieldError

_LINE_REFUSED = r"\x00-\x1f\x7f\ufffe\uffff"
_TEXT_REFUSED = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff"
_SURROGATES = r"\ud800-\udfff"
LINE_PATTERN = rf"^[^{_LINE_REFUSED}]*$"
TEXT_PATTERN = rf"^[^{_TEXT_REFUSED}]*$"
LINE = re.compile(rf"^[^{_LINE_REFUSED}{_SURROGATES}]*$")
TEXT = re.compile(rf"^[^{_TEXT_REFUSED}{_SURROGATES}]*$")
_NOT_IN_TEXT = re.compile(rf"[{_TEXT_REFUSED}{_SURROGATES}]")

# Column sizes (backend/service_requests/tables.py) are the ceiling for each.
MAX_SERVICE_CODE = 32
MAX_DESCRIPTION = 4000
MAX_NOTE = 4000
MAX_ADDRESS = 300
MAX_NAME = 120
MAX_EMAIL = 254  # RFC 5321's limit on a forward path
MAX_PHONE_INPUT = 32  # as typed, with spaces and punctuation; stored as E.164 (at most 16)
MAX_IDEMPOTENCY_KEY = 255
MAX_TRACKING_NUMBER_INPUT = 40
MAX_ANSWER_KEY = 64
MAX_URL = 2000


def line(max_length: int, description: str = "", min_length: int = 0) -> msgspec.Meta:
    """A one-line text: no control characters at all."""
    return msgspec.Meta(
        max_length=max_length,
        min_length=min_length,
        pattern=LINE_PATTERN,
        description=description or None,
    )


def text(max_length: int, description: str = "") -> msgspec.Meta:
    """A multi-line text: tab, LF and CR allowed, no other control character."""
    return msgspec.Meta(
        max_length=max_length, pattern=TEXT_PATTERN, description=description or None
    )


ServiceCode = Annotated[
    str, line(MAX_SERVICE_CODE, "A service type's code, from GET /services", min_length=1)
]
Description = Annotated[str, text(MAX_DESCRIPTION, "What is wrong, in the resident's words")]
Address = Annotated[str, line(MAX_ADDRESS, "Street address or landmark, as the resident gives it")]
Name = Annotated[str, line(MAX_NAME, "The reporter's name (never shown publicly)")]
Email = Annotated[
    str,
    msgspec.Meta(
        max_length=MAX_EMAIL,
        pattern=LINE_PATTERN,
        extra_json_schema={"format": "email"},
        description="The reporter's e-mail (never shown publicly)",
    ),
]
Phone = Annotated[
    str,
    msgspec.Meta(
        max_length=MAX_PHONE_INPUT,
        pattern=r"^[0-9+().\- ]*$",
        description="The reporter's phone, e.g. (312) 744-5000 or +13127445000; stored in E.164 "
        "(never shown publicly)",
    ),
]


# A time a client gives (a filter, a date in the back office): between these, so that adding a
# window (90 days) or converting it to UTC or to Chicago's time never leaves Python's years 1-9999.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 1, 1, tzinfo=UTC)
MOMENTS = "a time between 1970 and 9998"


def in_range(moment: datetime) -> bool:
    """Whether `moment` (naive: UTC) lies between EARLIEST and LATEST."""
    try:
        utc = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    except OverflowError:  # 0001-01-01T00:00+14:00 is before year 1 in UTC
        return False
    return EARLIEST <= utc < LATEST


def shown(value: str, limit: int = 40) -> str:
    """A client's value, cut short for an error message (a 5,000-character path is not echoed)."""
    return value if len(value) <= limit else value[:limit] + "…"


def clean_text(value: str) -> str:
    """`value` without the characters a multi-line text may not hold (for text we cannot refuse,
    such as an SMS Twilio delivered: a NUL in it is dropped, not stored, nor a 500)."""
    return _NOT_IN_TEXT.sub("", value)


def check_line(value: str | None, field: str, max_length: int) -> FieldError | None:
    return _check(
        value, field, max_length, LINE, "line breaks, control characters or U+FFFE/U+FFFF"
    )


def check_text(value: str | None, field: str, max_length: int) -> FieldError | None:
    return _check(value, field, max_length, TEXT, "control characters or U+FFFE/U+FFFF")


def _check(
    value: str | None, field: str, max_length: int, pattern: re.Pattern[str], what: str
) -> FieldError | None:
    if value is None:
        return None
    if len(value) > max_length:
        return FieldError(field, f"{field} is {len(value)} characters long; at most {max_length}")
    if not pattern.search(value):
        return FieldError(field, f"{field} must not contain {what}")
    return None
