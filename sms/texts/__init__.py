"""The bot's replies, one module per language (en, es, pl, zh), and `say()` to fill them in."""

from __future__ import annotations

from sms.texts import en, es, pl, zh

LANGUAGES = ("en", "es", "pl", "zh")
TEXTS = {"en": en.TEXTS, "es": es.TEXTS, "pl": pl.TEXTS, "zh": zh.TEXTS}


def say(language: str, key: str, **values: object) -> str:
    """The reply `key` in `language` (English where a language lacks it), filled in."""
    template = TEXTS.get(language, en.TEXTS).get(key) or en.TEXTS[key]
    return template.format(**values) if values else template


def status_name(language: str, status: str) -> str:
    return say(language, f"status.{status}") if f"status.{status}" in en.TEXTS else status
