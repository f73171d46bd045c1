"""The languages City311 writes are listed once (backend/i18n/languages.py): the message catalogs,
the SMS bot's reader and every API field that names a language (in the OpenAPI documents) agree
with that list, and the city's required languages are either written in full or answered by the
language bank."""

from __future__ import annotations

import json
from pathlib import Path

from backend.i18n import catalogs
from backend.i18n.languages import CITY_REQUIRED, FULL_SUPPORT, INTERPRETER_ONLY
from sms import language
from sms.language_bank import REPLIES

OPENAPI = Path(__file__).resolve().parent.parent.parent / "openapi"


def _language_enums(node: object) -> list[list]:
    """Every `enum` of a document that names English and Chinese: a language field."""
    found = []
    if isinstance(node, dict):
        enum = node.get("enum")
        if isinstance(enum, list) and "en" in enum and "zh" in enum:
            found.append(enum)
        for value in node.values():
            found += _language_enums(value)
    elif isinstance(node, list):
        for value in node:
            found += _language_enums(value)
    return found


def test_every_list_of_written_languages_is_the_one_list():
    assert catalogs.LANGUAGES == FULL_SUPPORT == language.LANGUAGES
    enums = [
        enum
        for path in sorted(OPENAPI.glob("*.json"))
        for enum in _language_enums(json.loads(path.read_text("utf-8")))
    ]
    assert enums, "no API field names a language"
    assert all(sorted(enum) == sorted(FULL_SUPPORT) for enum in enums), enums


def test_the_citys_languages_are_written_or_answered_by_the_language_bank():
    assert set(CITY_REQUIRED) <= set(FULL_SUPPORT) | set(INTERPRETER_ONLY)
    assert INTERPRETER_ONLY == ("hi", "ar")
    assert all(code in REPLIES for code in INTERPRETER_ONLY)
