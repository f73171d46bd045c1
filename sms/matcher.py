"""Finding phrase patterns in a text's words: exact words, word stems, CJK runs, words together.

A pattern is parts joined by " + "; every part must occur (in any order), each as a run of
words. A word ending in "*" is a stem ("dziur*" matches dziura, dziury, dziurę). CJK is matched
character by character. "alley + pothol*" matches "pothole in my alley". When one match covers
the very words of another and more ("dead rat" over "rat", "fire hydrant" over "fire"), the
smaller one is dropped: the longer phrase says what the text is about. A "!none" match (words
that only look like a problem: "light rail", "ice cream truck") also drops the matches it
overlaps without being covered by them ("street light" in "2nd street light rail").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from sms.words import fold, split_words

# Words that carry nothing for matching, dropped from texts and patterns alike, so that
# "the light is out" and "light out" meet ("没有" and "没" too).
FILLERS = frozenset(
    "the a an is are was were its it's el la los las lo un una unos unas es esta estan "
    "jest sa 的 了 个 有 着 在 这 那".split()
)
NEUTRAL = "!none"  # the label of phrases that name no problem
STREET_TYPES = frozenset("st ave av rd blvd dr pkwy pl ct ln hwy".split())  # "Laight St": a name
FUZZY_MIN_LENGTH = 5  # shorter words are too easily something else: "rat"/"cat", "bin"/"big"
FUZZY_CUTOFF = 87  # rapidfuzz ratio: "potole"/"pothole" 92, "grafiti"/"graffiti" 93; not
# "lacking"/"leaking" (86)


@dataclass(frozen=True, slots=True)
class Pattern:
    label: str  # a service code, or "!emergency", "!police", "!info"
    weight: float
    parts: tuple[tuple[str, ...], ...]  # words; a trailing "*" marks a stem
    text: str  # as written in the data file
    generic: bool = False  # a symptom ("light out", "smells"): yields to a type named outright


@dataclass(frozen=True, slots=True)
class Match:
    pattern: Pattern
    positions: frozenset[int]  # indices of the matched words


def pattern_words(text: str) -> list[str]:
    """The words of a pattern or a text, folded, fillers dropped; "*" kept on stems."""
    out: list[str] = []
    for chunk in fold(text).split():
        star = chunk.endswith("*")
        words = [w.norm for w in split_words(chunk)]
        if star and words:
            words[-1] += "*"
        out.extend(w for w in words if w not in FILLERS)
    return out


def compile_pattern(label: str, weight: float, text: str, generic: bool = False) -> Pattern:
    parts = tuple(tuple(pattern_words(p)) for p in text.split(" + "))
    if not parts or not all(parts):
        raise ValueError(f"empty pattern part in {text!r}")
    return Pattern(label, weight, parts, text, generic)


def _word_fits(word: str, token: str) -> bool:
    return word.startswith(token[:-1]) if token.endswith("*") else word == token


def _fits_at(words: list[str], part: tuple[str, ...], i: int) -> bool:
    if i + len(part) > len(words):
        return False
    return all(_word_fits(words[i + k], token) for k, token in enumerate(part))


def _find_part(words: list[str], part: tuple[str, ...], where: dict[str, list[int]]) -> int:
    """Where `part` first occurs in `words` (-1: nowhere); `where`: each word's positions."""
    first = part[0]
    starts: Iterable[int] = range(len(words)) if first.endswith("*") else where.get(first, [])
    for i in starts:
        if _fits_at(words, part, i):
            return i
    return -1


class Matcher:
    """Patterns indexed by their first word, so a text costs a few dictionary look-ups a word."""

    def __init__(
        self,
        patterns: list[Pattern],
        known_words: frozenset[str] = frozenset(),
        exact_only: frozenset[str] = frozenset(),
    ):
        """`exact_only`: labels whose words are never reached by a spelling fix (danger words:
        "bronx" must not become "bron", Polish for a weapon)."""
        self.patterns = patterns
        self._exact: dict[str, list[Pattern]] = {}
        self._stems: dict[str, list[Pattern]] = {}
        vocab: set[str] = set()
        known: set[str] = set()
        for p in patterns:
            first = p.parts[0][0]
            if first.endswith("*"):
                self._stems.setdefault(first[:-1], []).append(p)
            else:
                self._exact.setdefault(first, []).append(p)
            for part in p.parts:
                words = {w.rstrip("*") for w in part if w.rstrip("*").isalpha() and w.isascii()}
                known.update(words)
                if p.label not in exact_only:
                    vocab.update(words)
        self._stem_lengths = sorted({len(s) for s in self._stems})
        self._vocab = sorted(w for w in vocab if len(w) >= FUZZY_MIN_LENGTH - 1)
        self._known = known_words | known
        self._fuzzy_cache: dict[str, str] = {}

    def _spell(self, word: str) -> str:
        """A misspelt problem word to the vocabulary's ("grafitti" -> "graffiti"), else itself."""
        if len(word) < FUZZY_MIN_LENGTH or word in self._known or not word.isalpha():
            return word
        if not word.isascii():
            return word
        cached = self._fuzzy_cache.get(word)
        if cached is None:
            best = process.extractOne(
                word, self._vocab, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
            )  # the first letter is rarely the misspelt one: "waiting" is not "baiting"
            cached = best[0] if best and best[0][0] == word[0] else word
            if len(self._fuzzy_cache) < 100_000:
                self._fuzzy_cache[word] = cached
        return cached

    def words_of(self, text: str) -> list[str]:
        """The text's words, misspelt problem words fixed; not a street's name ("Laight St")."""
        words = pattern_words(text)
        return [
            w if i + 1 < len(words) and words[i + 1] in STREET_TYPES else self._spell(w)
            for i, w in enumerate(words)
        ]

    def find(self, text: str) -> list[Match]:
        return self.find_in(self.words_of(text))

    def find_in(self, words: list[str]) -> list[Match]:
        found: dict[int, Match] = {}
        where: dict[str, list[int]] = {}  # word -> its positions, for the parts after the first
        for i, word in enumerate(words):
            where.setdefault(word, []).append(i)
        for i, word in enumerate(words):
            candidates = list(self._exact.get(word, ()))
            for n in self._stem_lengths:
                if n > len(word):
                    break
                candidates.extend(self._stems.get(word[:n], ()))
            for p in candidates:
                if id(p) in found:
                    continue
                first = p.parts[0]
                if not _fits_at(words, first, i):
                    continue
                positions = set(range(i, i + len(first)))
                for part in p.parts[1:]:
                    at = _find_part(words, part, where)
                    if at < 0:
                        break
                    positions.update(range(at, at + len(part)))
                else:
                    found[id(p)] = Match(p, frozenset(positions))
        return _drop_covered(list(found.values()))


def _drop_covered(matches: list[Match]) -> list[Match]:
    """Drops every match whose words are a strict part of another match's words, and every
    match that shares words with a "!none" match without covering it."""
    matches.sort(key=lambda m: -len(m.positions))
    kept: list[Match] = []
    for m in matches:
        if not any(m.positions < k.positions for k in kept):
            kept.append(m)
    neutral = [m.positions for m in kept if m.pattern.label == NEUTRAL]
    if not neutral:
        return kept
    return [
        m
        for m in kept
        if m.pattern.label == NEUTRAL
        or not any(m.positions & n and not n < m.positions for n in neutral)
    ]
