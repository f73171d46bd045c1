"""The SMS keywords for a phone's notification preferences (pure), in four languages: QUIET 22-7 /
QUIET 22:00-07:00 / QUIET 10pm-7am ("SILENCIO 22-7", "CISZA 22-7", "免打扰 22-7"), QUIET OFF
("SILENCIO NO", "CISZA WYŁ", "免打扰 关"), QUIET CITY (the city's hours: "SILENCIO CIUDAD", "CISZA
MIASTO", "免打扰 城市"), DIGEST (one text a day: "RESUMEN", "PODSUMOWANIE", "汇总"), INSTANT (each
update as it happens: "INMEDIATO", "NATYCHMIAST", "即时"). The English keywords work in every
language, like STOP and HELP; another language's keyword also tells the conversation's language.
A word in another language followed by what is no hours ("cisza nocna zakłócona…", a noise
complaint) is no keyword."""

from __future__ import annotations

import re
from typing import NamedTuple

from backend.notify.quiet import parse_hours
from sms.words import fold

# folded (lower case, no accents) keyword -> its language (None: English, a keyword everywhere)
QUIET_WORDS = {"quiet": None, "silencio": "es", "cisza": "pl", "免打扰": "zh", "勿扰": "zh"}
OFF_WORDS = frozenset({"off", "none", "no", "apagado", "desactivar", "nada", "wyl", "wylacz",
                       "nie", "关", "关闭", "取消", "不用"})  # fmt: skip
CITY_WORDS = frozenset({"city", "default", "ciudad", "miasto", "城市", "默认"})
MODE_WORDS = {
    "digest": ("digest", None), "resumen": ("digest", "es"), "resumen diario": ("digest", "es"),
    "podsumowanie": ("digest", "pl"), "raz dziennie": ("digest", "pl"), "汇总": ("digest", "zh"),
    "每日汇总": ("digest", "zh"),
    "instant": ("instant", None), "inmediato": ("instant", "es"), "al instante": ("instant", "es"),
    "al momento": ("instant", "es"), "natychmiast": ("instant", "pl"), "od razu": ("instant", "pl"),
    "即时": ("instant", "zh"), "实时": ("instant", "zh"),
}  # fmt: skip
_QUIET = re.compile(
    r"^\s*(?P<word>" + "|".join(map(re.escape, QUIET_WORDS)) + r")(?![a-z])\s*(?P<rest>.*?)"
    r"[\s.!。！]*$"
)
_SPACES = re.compile(r"[\s.!。！]+")


class PreferenceCommand(NamedTuple):
    kind: str  # quiet | digest | instant
    hours: str | None = None  # quiet: "22:00-07:00", "" none, None the city's; "?" not understood
    language: str | None = None  # the keyword's language; None for the English keywords


def preference_command(text: str) -> PreferenceCommand | None:
    folded = fold(text or "")
    if mode := MODE_WORDS.get(_SPACES.sub(" ", folded).strip()):
        kind, language = mode
        return PreferenceCommand(kind, language=language)
    match = _QUIET.match(folded)
    if not match:
        return None
    language, rest = QUIET_WORDS[match["word"]], match["rest"].strip()
    if rest in OFF_WORDS:
        return PreferenceCommand("quiet", "", language)
    if rest in CITY_WORDS:
        return PreferenceCommand("quiet", None, language)
    said = re.sub(r"^(?:hours|horas|horario|godziny|godz|时间)?\s*(?:de|od|从)?\s*", "", rest)
    hours = parse_hours(said) if said else None
    if hours is None and language is not None and rest:
        return None  # "cisza nocna zakłócona…": words, not a keyword
    return PreferenceCommand("quiet", hours or "?", language)
