"""Recognising an emergency in a resident's text — someone hurt, in danger or in the water, a fire,
gas, a live wire down, a crime happening now — in English, Spanish, Polish and Chinese.

Tuned for recall: a false alarm costs the resident one extra text, a miss can cost a life. Pure
(no database, no web framework), so the SMS bot can ask it before anything else.

How a text is read (`recognise`):
1. folded: lower case, no accents ("Pożar" -> "pozar"), apostrophes dropped ("isn't" -> "isnt"),
   other punctuation a space; Chinese is kept as written;
2. LOOK_ALIKES are blanked out: words that only look like danger ("gas station", "fire hydrant",
   "smoke shop", "flu shot", "路灯烧坏", "latarnia pali się");
3. DANGER phrases are looked for in every language at once (a resident may mix them); a phrase
   marked "@" counts only when a person is named ("collapsed" is not a sidewalk collapsing, "not
   moving" is not a dead rat);
4. told as the past or a habit ("last night", "anoche", "wczoraj", "上个月", "every weekend") and
   nowhere as now ("right now", "still", "ahorita", "teraz", "正在"), it is a report, not an
   emergency: "my car was broken into last night" goes to the police report path.

The words are in sms/emergency_words.py. Speed: each pattern's "needles" (strings one of which
every match contains, read from the pattern itself) are looked for first, with plain substring
tests; a text holding none of them, most texts, costs no pattern at all.

The labelled texts in tests/sms/data/emergency_texts.jsonl hold the recogniser to 100% recall;
bench/sms_emergency.py prints its figures.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from re import _parser as regex_parser
from typing import Any

from sms.emergency_words import DANGER, LOOK_ALIKES, NOT_NOW, NOW, PERSON
from sms.words import fold, normalize_text

KINDS = ("medical", "violence", "break_in", "fire", "gas", "wires", "water", "police")


@dataclass(frozen=True, slots=True)
class Emergency:
    kind: str  # one of KINDS
    language: str  # the language of the words that said it (en, es, pl, zh)
    words: str  # those words, folded


NEAR = 50  # characters: how close to the words a person must be named
MAX_TEXT = 1600  # Twilio's longest message


@dataclass(frozen=True, slots=True)
class _Rule:
    kind: str
    language: str
    pattern: re.Pattern[str]
    needs_person: bool
    needles: tuple[str, ...]  # one of them is in every text the pattern matches


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def needles(pattern: str) -> frozenset[str]:
    """Strings one of which every match of `pattern` contains: {"chok"} for r"\\bchok(ing|ed)\\b",
    {"ambulance", "paramedic"} for "ambulance|paramedic"; read from the pattern's parse tree."""
    found = _needles_of(regex_parser.parse(pattern))
    if not found:
        raise ValueError(f"no literal words in {pattern!r}: it would have to run on every text")
    return found


def _needles_of(items: Iterable[tuple[Any, Any]]) -> frozenset[str] | None:
    items = list(items)
    if len(items) == 1 and items[0][0] is regex_parser.BRANCH:  # "a|b|c": one of each
        branches = [_needles_of(b) for b in items[0][1][1]]
        known = [b for b in branches if b is not None]
        return frozenset[str]().union(*known) if all(branches) else None
    best = None
    for i in range(len(items)):
        starts, _ = _starts(items[i:])
        if "" not in starts and (best is None or _telling(starts) > _telling(best)):
            best = frozenset(starts)
    return best


def _telling(strings: Collection[str]) -> tuple[int, int]:
    """Longer strings are rarer in other texts; fewer of them are quicker to look for."""
    return min(len(s.strip()) for s in strings), -len(strings)


def _starts(items: Iterable[tuple[Any, Any]], limit: int = 64) -> tuple[set[str], bool]:
    """The strings every match of `items` begins with one of, and whether they are all of it."""
    out = {""}
    for op, value in items:
        if op is regex_parser.LITERAL:
            out = {s + chr(value) for s in out}
            continue
        if op is regex_parser.AT:  # \\b takes no room
            continue
        if op is regex_parser.SUBPATTERN:
            sub, whole = _starts(value[-1], limit)
        elif op is regex_parser.BRANCH:
            parts = [_starts(b, limit) for b in value[1]]
            sub, whole = set().union(*(p[0] for p in parts)), all(p[1] for p in parts)
        elif op is regex_parser.IN and all(o is regex_parser.LITERAL for o, _ in value):
            sub, whole = {chr(c) for _, c in value}, True
        else:
            return out, False
        if "" in sub or len(out) * len(sub) > limit:
            return out, False
        out = {a + b for a in out for b in sub}
        if not whole:
            return out, False
    return out, True


def _fewest(strings: set[str]) -> tuple[str, ...]:
    """Without the strings that hold another one ("shooting" when "shoot" is there)."""
    kept: list[str] = []
    for s in sorted(strings, key=len):
        if not any(k in s for k in kept):
            kept.append(s)
    return tuple(kept)


def _rule(kind: str, language: str, text: str) -> _Rule:
    pattern = text.removeprefix("@")
    return _Rule(kind, language, re.compile(pattern), text.startswith("@"),
                 _fewest(set(needles(pattern))))  # fmt: skip


class _Needles:
    """All the needles, indexed by their first two characters: which of them a text holds is one
    pass over the text (a dictionary look-up a character), not a substring test a needle."""

    def __init__(self, strings: set[str]):
        self.by_start: dict[str, tuple[str, ...]] = {}
        for s in sorted(strings):
            self.by_start[s[:2]] = (*self.by_start.get(s[:2], ()), s)

    def found(self, t: str) -> set[str]:
        out: set[str] = set()
        by_start = self.by_start
        for i in range(len(t)):
            for key in (t[i], t[i : i + 2]):
                for s in by_start.get(key, ()):
                    if t.startswith(s, i):
                        out.add(s)
        return out


@dataclass(frozen=True, slots=True)
class _Tables:
    rules: list[_Rule]
    look_alikes: list[tuple[re.Pattern[str], tuple[str, ...]]]
    any_needle: tuple[str, ...]  # one of them is in every text a rule matches
    person: dict[str, re.Pattern[str]]
    not_now: re.Pattern[str]
    now: re.Pattern[str]
    needles: _Needles  # every rule's and look-alike's


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    """The patterns compiled, once, on first use (~0.2 s: importing the module costs nothing)."""
    rules = [
        _rule(kind, lang, p)
        for lang, kinds in DANGER.items()
        for kind, patterns in kinds.items()
        for p in patterns
    ]
    look_alikes = [
        (re.compile(p), _fewest(set(needles(p)))) for ps in LOOK_ALIKES.values() for p in ps
    ]
    return _Tables(
        rules=rules,
        look_alikes=look_alikes,
        any_needle=_fewest({n for rule in rules for n in rule.needles}),
        person={lang: re.compile(p) for lang, p in PERSON.items()},
        not_now=_compile(NOT_NOW),
        now=_compile(NOW),
        needles=_Needles(
            {n for rule in rules for n in rule.needles} | {n for _, ns in look_alikes for n in ns}
        ),
    )


_APOSTROPHES = re.compile(r"['’`´‘]")
_NOT_WORD = re.compile(r"[\W_]+")


def clean(text: str) -> str:
    """The text as the patterns read it: " hes not breathing at 63rd " (spaces at both ends)."""
    folded = _APOSTROPHES.sub("", fold(normalize_text(text)))
    return f" {' '.join(_NOT_WORD.sub(' ', folded).split())} "


def _blank(m: re.Match[str]) -> str:
    """A look-alike's place keeps its length: distances between the other words stay as typed."""
    return "~" * len(m.group(0))


def recognise(text: str) -> Emergency | None:
    """The emergency a text tells of, or None."""
    if not isinstance(text, str) or not text.strip():
        return None
    t = clean(text[:MAX_TEXT])
    tables = _tables()
    present = tables.needles.found(t)
    if present.isdisjoint(tables.any_needle):
        return None
    blanked = t
    for pattern, strings in tables.look_alikes:
        if not present.isdisjoint(strings):
            blanked = pattern.sub(_blank, blanked)
    if blanked != t:  # a look-alike's words are gone, and the needles they held
        t, present = blanked, tables.needles.found(blanked)
    for rule in tables.rules:
        if present.isdisjoint(rule.needles):
            continue
        m = rule.pattern.search(t)
        if m is None:
            continue
        if rule.needs_person:
            person = tables.person[rule.language]
            if person.search(t, max(0, m.start() - NEAR), m.end() + NEAR // 2) is None:
                continue
        if tables.not_now.search(t) and not tables.now.search(t):
            return None  # a report of what happened, or keeps happening: not danger now
        return Emergency(rule.kind, rule.language, m.group(0).strip(" ~"))
    return None
