"""What an article is, as the domain passes it around, and the checks every channel's input meets."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Any

import msgspec

from backend.errors import FieldError, InvalidInput
from backend.limits import check_line, check_text
from backend.notify.segments import MAX_SEGMENTS, is_gsm7, segments

from .words import LANGUAGES

MAX_SLUG = 80
MAX_TITLE = 200
MAX_BODY = 20_000
MAX_SMS_ANSWER = 320
MAX_CATEGORY = 60
MAX_KEYWORD = 60
MAX_KEYWORDS = 60
MAX_SERVICE_CODES = 10
MAX_SOURCE_URL = 500
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL = re.compile(r"^https://[a-z0-9.-]+\.[a-z]{2,}(?:/[^\s]*)?$")
# Fields staff may change (the slug and language name the article)
EDITABLE = (
    "title",
    "body",
    "sms_answer",
    "category",
    "keywords",
    "service_codes",
    "source_url",
    "checked_on",
    "valid_from",
    "valid_until",
)


class ArticleData(msgspec.Struct, kw_only=True):
    """An article in one language, as written (the import files, the staff API)."""

    slug: str
    language: str
    title: str
    sms_answer: str
    category: str
    source_url: str
    checked_on: date
    body: str = ""
    keywords: list[str] = []
    service_codes: list[str] = []
    valid_from: date | None = None
    valid_until: date | None = None


class Article(ArticleData, kw_only=True):
    id: int
    updated_at: datetime


class Hit(msgspec.Struct, kw_only=True):
    """One search result, best first; `matched`: the share of the query's terms it holds."""

    slug: str
    language: str
    title: str
    sms_answer: str
    source_url: str
    category: str
    service_codes: list[str]
    score: float
    matched: float


class Edit(msgspec.Struct, kw_only=True):
    action: str
    actor: str
    changes: dict[str, Any]
    created_at: datetime


_PLAIN = str.maketrans({"ł": "l", "Ł": "L", "’": "'", "–": "-", "—": "-", "“": '"', "”": '"'})


def plain_letters(text: str) -> str:
    """`text` in the SMS default alphabet where it can be (é and ñ stay, á -> a, ł -> l): how
    Spanish and Polish texts are commonly written when a message must stay short."""
    out = []
    for c in text.translate(_PLAIN):
        if is_gsm7(c):
            out.append(c)
        else:
            base = "".join(
                b for b in unicodedata.normalize("NFKD", c) if not unicodedata.combining(b)
            )
            out.append(base if base and is_gsm7(base) else c)
    return "".join(out)


def sms_text(answer: str, url: str) -> str:
    """The text an article answers by: its SMS answer and its link; in plain letters when that
    is what makes it fit two segments."""
    full = f"{answer} {url}"
    if segments(full) <= MAX_SEGMENTS:
        return full
    return f"{plain_letters(answer)} {url}"


def check_article(data: ArticleData, known_codes: set[str]) -> ArticleData:
    """The article with tidy whitespace, or InvalidInput naming each field that breaks a rule."""
    data = msgspec.structs.replace(
        data,
        title=" ".join(data.title.split()),
        sms_answer=" ".join(data.sms_answer.split()),
        category=data.category.strip(),
        # stored comma separated: a keyword with a comma in it is two keywords
        keywords=[" ".join(p.split()) for k in data.keywords for p in k.split(",") if p.strip()],
        service_codes=list(dict.fromkeys(c.strip() for c in data.service_codes if c.strip())),
        source_url=data.source_url.strip(),
    )
    errors: list[FieldError] = []

    def rule(ok: bool, field: str, message: str) -> None:
        if not ok:
            errors.append(FieldError(field, message))

    rule(
        len(data.slug) <= MAX_SLUG and bool(SLUG.match(data.slug)),
        "slug",
        f"lower-case letters, digits and single hyphens, at most {MAX_SLUG} characters",
    )
    rule(data.language in LANGUAGES, "language", "one of " + ", ".join(LANGUAGES))
    for field, value, limit in (
        ("title", data.title, MAX_TITLE),
        ("sms_answer", data.sms_answer, MAX_SMS_ANSWER),
        ("category", data.category, MAX_CATEGORY),
    ):
        if problem := check_line(value, field, limit):
            errors.append(problem)
        rule(bool(value), field, "must not be empty")
    if problem := check_text(data.body, "body", MAX_BODY):
        errors.append(problem)
    rule(len(data.keywords) <= MAX_KEYWORDS, "keywords", f"at most {MAX_KEYWORDS} keywords")
    for i, keyword in enumerate(data.keywords):
        if problem := check_line(keyword, f"keywords[{i}]", MAX_KEYWORD):
            errors.append(problem)
    rule(
        len(data.service_codes) <= MAX_SERVICE_CODES,
        "service_codes",
        f"at most {MAX_SERVICE_CODES} codes",
    )
    for i, code in enumerate(data.service_codes):
        rule(code in known_codes, f"service_codes[{i}]", f"'{code[:40]}' is no active service type")
    rule(
        len(data.source_url) <= MAX_SOURCE_URL and bool(URL.match(data.source_url)),
        "source_url",
        f"an https:// address, at most {MAX_SOURCE_URL} characters",
    )
    if data.sms_answer and not errors:
        rule(
            segments(sms_text(data.sms_answer, data.source_url)) <= MAX_SEGMENTS,
            "sms_answer",
            f"with its link it must fit {MAX_SEGMENTS} SMS segments "
            f"(it takes {segments(sms_text(data.sms_answer, data.source_url))})",
        )
    if data.valid_from and data.valid_until:
        rule(data.valid_from <= data.valid_until, "valid_until", "must not be before valid_from")
    for field in ("checked_on", "valid_from", "valid_until"):
        value = getattr(data, field)
        rule(value is None or 2000 <= value.year <= 2200, field, "a date between 2000 and 2200")
    if errors:
        raise InvalidInput(errors[0].message, errors)
    return data
