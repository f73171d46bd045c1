"""The bot's replies, one module per language (en, es, pl, zh), and `say()` to fill them in."""

from __future__ import annotations

from sms.texts import en, es, pl, zh

LANGUAGES = ("en", "es", "pl", "zh")
TEXTS = {"en": en.TEXTS, "es": es.TEXTS, "pl": pl.TEXTS, "zh": zh.TEXTS}


GSM7 = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€")  # two units each


def segments(text: str) -> int:
    """How many SMS segments a text takes: GSM-7 160 (153 when split), else UCS-2 70 (67)."""
    if all(c in GSM7 or c in GSM7_EXTENDED for c in text):
        units = len(text) + sum(c in GSM7_EXTENDED for c in text)
        return 1 if units <= 160 else -(-units // 153)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= 70 else -(-units // 67)


def say(language: str, key: str, **values: object) -> str:
    """The reply `key` in `language` (English where a language lacks it), filled in."""
    template = TEXTS.get(language, en.TEXTS).get(key) or en.TEXTS[key]
    return template.format(**values) if values else template


def status_name(language: str, status: str) -> str:
    return say(language, f"status.{status}") if f"status.{status}" in en.TEXTS else status
