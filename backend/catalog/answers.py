"""Validates and normalizes a resident's answers to a service type's questions (pure, no DB)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from backend.errors import FieldError, InvalidInput, Named
from backend.limits import LINE, MOMENTS, TEXT, in_range

if TYPE_CHECKING:
    from backend.catalog.snapshot import Question

MAX_STRING = 500
MAX_TEXT = 4000
# A number answer: at most the largest integer every JSON reader keeps exactly (a count of
# potholes, days parked); as text, no longer than such a number written out with decimals.
MAX_NUMBER = 2**53 - 1
MAX_NUMBER_TEXT = 32
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
MISSING = object()


class Problem(Exception):
    """One answer's problem; the message is completed with the field name by the caller."""


def validate_answers(
    questions: Sequence[Question], answers: Mapping[str, object] | None
) -> dict[str, object]:
    """Returns the answers keyed by question code, normalized for storage; raises InvalidInput
    with one FieldError per problem (all of them, not just the first)."""
    if answers is None:
        answers = {}
    if not isinstance(answers, Mapping):
        raise InvalidInput.for_field(
            "answers", "answers must be an object of question codes and answers"
        )
    errors: list[FieldError] = []
    by_code = {q.code: q for q in questions}
    for code in answers:
        if code not in by_code:
            field = f"answers.{code}"
            errors.append(
                FieldError.naming(
                    field, Named(field), f": this service type has no question {code}"
                )
            )

    result: dict[str, object] = {}
    for q in questions:
        field = f"answers.{q.code}"
        try:
            value = normalize(q, answers.get(q.code, MISSING))
        except Problem as problem:
            errors.append(FieldError.naming(field, Named(field), f": {problem}"))
            continue
        if value is MISSING:
            if q.required:
                errors.append(FieldError.naming(field, Named(field), f" is required ({q.label})"))
        else:
            result[q.code] = value

    if errors:
        raise InvalidInput("; ".join(e.message for e in errors), errors)
    return result


def normalize(q: Question, value: object) -> object:
    """One answer in its stored form, MISSING when left empty; raises Problem when invalid."""
    if value is None or value is MISSING:
        return MISSING
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return MISSING
    match q.datatype:
        case "string":
            return text(value, MAX_STRING, LINE)
        case "text":
            return text(value, MAX_TEXT, TEXT)
        case "number":
            return number(value)
        case "datetime":
            return timestamp(value)
        case "singlevaluelist":
            return choice(q, value)
        case "multivaluelist":
            return choices(q, value)
    raise Problem(f"this question has an unknown type {q.datatype!r}")


def text(value: object, limit: int, allowed: re.Pattern[str]) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise Problem("must be text")
    value = str(value)
    if len(value) > limit:
        raise Problem(f"is too long ({len(value)} characters; at most {limit})")
    if not allowed.search(value):
        raise Problem(
            "must not contain control characters or U+FFFE/U+FFFF"
            if allowed is TEXT
            else "must not contain line breaks, control characters or U+FFFE/U+FFFF"
        )
    return value


def number(value: object) -> int | float:
    if isinstance(value, bool):
        raise Problem(f"{value!r} is not a number")
    if isinstance(value, str):
        if len(value) > MAX_NUMBER_TEXT or not NUMBER.fullmatch(value):
            raise Problem(f"'{value[:MAX_NUMBER_TEXT]}' is not a number")
        value = float(value) if any(c in value for c in ".eE") else int(value)
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise Problem(f"{value!r} is not a number")
    if value < 0:
        raise Problem(f"{value!r} must be zero or more")
    if value > MAX_NUMBER:
        raise Problem(f"must be at most {MAX_NUMBER}")
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def timestamp(value: object) -> str:
    example = "e.g. 2025-06-01T14:30:00-05:00"
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise Problem(f"'{value}' is not a date and time ({example})") from None
    else:
        raise Problem(f"{value!r} is not a date and time ({example})")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise Problem(f"'{value}' needs a time zone offset ({example})")
    if not in_range(moment):
        raise Problem(f"'{value}' is not {MOMENTS}")
    return moment.isoformat()


def choice(q: Question, value: object) -> str:
    key = match_choice(q, value)
    if key is None:
        raise Problem(f"{shown(value)} is not one of: {keys(q)}")
    return key


def choices(q: Question, value: object) -> object:
    if isinstance(value, str):
        items = [value] if match_choice(q, value) else value.split(",")
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        raise Problem(f"{shown(value)} is not a list of: {keys(q)}")
    picked: list[str] = []
    bad: list[str] = []
    for item in items:
        if item is None or (isinstance(item, str) and not item.strip()):
            continue
        key = match_choice(q, item)
        if key is None:
            bad.append(shown(item))
        elif key not in picked:
            picked.append(key)
    if bad:
        raise Problem(f"{', '.join(bad)} {'is' if len(bad) == 1 else 'are'} not among: {keys(q)}")
    return picked or MISSING


def match_choice(q: Question, value: object) -> str | None:
    """The choice key for a key or a displayed name, ignoring case and surrounding space."""
    if not isinstance(value, str):
        return None
    wanted = value.strip().casefold()
    for c in q.choices:
        if wanted in (c.key.casefold(), c.name.casefold()):
            return c.key
    return None


def keys(q: Question) -> str:
    return ", ".join(c.key for c in q.choices)


def shown(value: object) -> str:
    return f"'{value}'" if isinstance(value, str) else repr(value)
