"""The intake screen's form, read and checked: the call (the caller's language, the interpreter),
the type search, the answers to the type's questions as the domain takes them, the address and
the candidate the operator picked; and the field-level errors shown beside the fields."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime

from backend.catalog.snapshot import Catalog, Question, ServiceTypeInfo
from backend.catalog.translate import localized
from backend.city import TIME_ZONE
from backend.errors import FieldError
from backend.i18n.languages import FULL_SUPPORT, INTERPRETER_ONLY
from backend.limits import LINE, MAX_ADDRESS

# The languages offered first (the city's written four, then the language bank's); any other is
# typed as a code.
LANGUAGE_NAMES = {
    "en": "English",
    "es": "Español (Spanish)",
    "pl": "Polski (Polish)",
    "zh": "中文 (Chinese)",
    "hi": "हिन्दी (Hindi)",
    "ar": "العربية (Arabic)",
}
OFFERED = (*FULL_SUPPORT, *INTERPRETER_ONLY)
LANGUAGE_CODE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?")
MAX_RESULTS = 15
MAX_QUERY = 100


@dataclass
class Call:
    """How the call is taken: the caller's language and whether an interpreter helps."""

    language: str = "en"
    other_language: str = ""
    interpreter: bool = False
    interpreter_language: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def code(self) -> str:
        """The caller's language as stored (a code in lower case)."""
        chosen = self.other_language if self.language == "other" else self.language
        return chosen.strip().lower() or "en"

    @property
    def written(self) -> str:
        return written_language(self.code)


def written_language(code: str | None) -> str:
    """The language City311 writes to a caller in: theirs when it writes it, else English."""
    base = (code or "en").split("-")[0]
    return base if base in FULL_SUPPORT else "en"


def read_call(values: dict[str, str]) -> Call:
    call = Call(
        language=values.get("language", "en") or "en",
        other_language=values.get("other_language", "").strip(),
        interpreter=values.get("interpreter") in ("on", "yes", "true", "1"),
        interpreter_language=values.get("interpreter_language", "").strip(),
    )
    if call.language not in (*OFFERED, "other"):
        call.errors["language"] = "Choose the caller's language."
        call.language = "en"
    if call.language == "other" and not LANGUAGE_CODE.fullmatch(call.other_language):
        call.errors["other_language"] = "Type the language as a code, such as ht, ko or pt-BR."
    if call.interpreter_language and not LANGUAGE_CODE.fullmatch(call.interpreter_language):
        call.errors["interpreter_language"] = "A language code, such as ar or ht."
    if call.interpreter_language:
        call.interpreter = True
    return call


def search_types(catalog: Catalog, query: str, languages: tuple[str, ...]) -> list[ServiceTypeInfo]:
    """Active public types whose name (in English or any of `languages`), code or keywords hold
    every word of `query`; most requested first. An empty query: the most requested types."""
    active = [t for t in catalog.types if t.active]
    words = [w for w in query.casefold().split() if w][:8]
    if not words:
        return sorted(active, key=lambda t: (-t.popularity, t.name))[:MAX_RESULTS]
    found = []
    for service in active:
        names = {service.name, *(localized(service, lang).name for lang in languages)}
        haystack = " ".join([*names, service.code, *service.keywords, service.group]).casefold()
        if all(word in haystack for word in words):
            exact = any(service.code.casefold() == w for w in words)
            found.append((not exact, -service.popularity, service.name, service))
    return [entry[-1] for entry in sorted(found, key=lambda e: e[:3])][:MAX_RESULTS]


def answers_from(questions: tuple[Question, ...], lists: dict[str, list[str]]) -> dict[str, object]:
    """The posted answers (`answer.<CODE>`) as the domain takes them; a date and time typed in
    the city's local time gets the city's offset."""
    answers: dict[str, object] = {}
    for q in questions:
        values = [v for v in lists.get(f"answer.{q.code}", []) if v.strip()]
        if not values:
            continue
        if q.datatype == "multivaluelist":
            answers[q.code] = values
        elif q.datatype == "datetime":
            answers[q.code] = _with_city_offset(values[-1])
        else:
            answers[q.code] = values[-1]
    return answers


def _with_city_offset(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return value  # the domain words the error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TIME_ZONE)
    return moment.isoformat()


@dataclass(frozen=True)
class Picked:
    """The address candidate the operator picked: its point and its label."""

    lat: float
    long: float
    label: str

    @property
    def value(self) -> str:
        return f"{self.lat:.6f},{self.long:.6f}|{self.label}"


def read_picked(value: str | None) -> Picked | None:
    """A candidate's radio value back ("41.903000,-87.676000|1600 N Milwaukee Ave")."""
    if not value or "|" not in value:
        return None
    point, _, label = value.partition("|")
    lat_text, _, long_text = point.partition(",")
    try:
        lat, long = float(lat_text), float(long_text)
    except ValueError:
        return None
    if not (math.isfinite(lat) and math.isfinite(long)) or not -90 <= lat <= 90:
        return None
    if not -180 <= long <= 180 or not LINE.search(label) or len(label) > MAX_ADDRESS:
        return None
    return Picked(lat, long, label.strip())


def field_errors(errors: list[FieldError]) -> dict[str, str]:
    """The domain's field errors by the form's field names (answers.PHF -> answer.PHF)."""
    shown: dict[str, str] = {}
    for error in errors:
        name = error.field
        if name.startswith("answers."):
            name = "answer." + name.removeprefix("answers.")
        elif name in ("lat", "long"):
            name = "address"
        elif name.startswith("caller.") or name.startswith("reporter_"):
            name = {"reporter_phone": "phone", "reporter_email": "email"}.get(
                name, name.removeprefix("caller.")
            )
        shown.setdefault(name, error.message)
    return shown


def check_text(values: dict[str, str], name: str, limit: int, errors: dict[str, str]) -> str:
    """A one-line field, trimmed; an error beside it when too long or not one line."""
    text = values.get(name, "").strip()
    if len(text) > limit:
        errors[name] = f"At most {limit} characters."
    elif text and not LINE.search(text):
        errors[name] = "One line, without control characters."
    return text
