"""Chicago's landmarks by the names people use: "the bean", "wrigley", "navy pier", "Belmont blue
line", "Humboldt Park", "Northwestern hospital" -> a point (the gazetteer in data/landmarks/).

Pure: `Gazetteer.load()` reads landmarks.csv once; `find(words)` then looks the folded words of a
text up, longest name first. A CTA station's name ("Belmont", "Damen") is a street's too, so it
counts only beside a word that says train ("station", "stop", "L", "estación", "stacja", "站"...,
or a line: "blue line", "línea azul", "蓝线"); the line's colour picks among stations of one name.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from backend.city import CITY
from backend.geo.distance import metres_between

DATA = CITY.files.landmarks
ONE_PLACE_M = 300.0  # landmarks of one name closer than this are one place (a beach in two lists)
CUE_WINDOW = 4  # words after a station's name that may say it is the train
LINE_WORDS = {
    "red": ("red", "roja", "rojo", "czerwona", "czerwonej", "红"),
    "blue": ("blue", "azul", "niebieska", "niebieskiej", "蓝"),
    "green": ("green", "verde", "zielona", "zielonej", "绿"),
    "brown": ("brown", "cafe", "marron", "brazowa", "brazowej", "棕"),
    "purple": ("purple", "morada", "purpura", "fioletowa", "fioletowej", "紫"),
    "yellow": ("yellow", "amarilla", "zolta", "zoltej", "黄"),
    "pink": ("pink", "rosa", "rosada", "rozowa", "rozowej", "粉"),
    "orange": ("orange", "naranja", "pomaranczowa", "pomaranczowej", "橙"),
}
LINE_OF = {word: line for line, words in LINE_WORDS.items() for word in words}
LINE_NOUNS = frozenset({"line", "lines", "linea", "linia", "linii", "线"})
HEADS = frozenset(
    "park beach field pier hospital museum aquarium planetarium tower university airport "
    "center centre library stadium parque playa hospital museo aeropuerto universidad "
    "szpital szpitalu lotnisko lotnisku parku plazy".split()
)
SMALL_WORDS = frozenset("the a an in on at by of my our this that to el la los las en de del "
                        "w na i z przy 的 在".split())  # fmt: skip
MISSPELT = 85  # rapidfuzz ratio of the name without its head word: "soldeir"/"soldier" 86
TRAIN_WORDS = frozenset(
    "station stations stop stn l train cta estacion parada tren metro stacja stacji "
    "przystanek przystanku pociag kolejka 站 铁".split()
)  # not "el" (Spanish "the"), and "line" only with a colour: "power line on Pulaski" is no train
_WORD = re.compile(
    r"\d+(?:st|nd|rd|th)?(?!(?![\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])[^\W\d_])"
    r"|[^\W\d_]+|[&/@#]",
    re.IGNORECASE,
)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PIECE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\u3400-\u9fff]+")
_FOLD = str.maketrans({"ł": "l", "Ł": "l", "ß": "ss", "’": "'"})


def words_of(text: str) -> list[str]:
    """Folded words, as sms/words.py splits a text: CJK one character at a time."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD).lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    out: list[str] = []
    for token in _WORD.findall(text):
        out.extend(_PIECE.findall(token) if _CJK.search(token) else [token])
    return out


@dataclass(frozen=True, slots=True)
class Landmark:
    kind: str  # park beach station hospital museum stadium university airport mall plaza
    name: str  # "Wrigley Field", "Belmont (Blue Line)"
    lat: float
    long: float
    lines: tuple[str, ...] = ()  # a station's lines
    weight: int = 0  # of places with one name, the heavier is offered first


@dataclass(frozen=True, slots=True)
class Found:
    start: int  # words[start:end] named it
    end: int
    landmarks: tuple[Landmark, ...]  # one, or several places of that name


def _metres(a: Landmark, b: Landmark) -> float:
    return metres_between(a.lat, a.long, b.lat, b.long)


class Gazetteer:
    def __init__(
        self,
        rows: Sequence[tuple[Landmark, Sequence[str]]],
        tokenize: Callable[[str], list[str]] = words_of,
    ) -> None:
        self.landmarks = [landmark for landmark, _ in rows]
        self._names: dict[tuple[str, ...], list[Landmark]] = {}
        self._stations: dict[tuple[str, ...], list[Landmark]] = {}
        for landmark, aliases in sorted(rows, key=lambda r: -r[0].weight):
            table = self._stations if landmark.kind == "station" else self._names
            for alias in aliases:
                key = tuple(tokenize(alias))
                if key:
                    places = table.setdefault(key, [])
                    if all(_metres(landmark, p) > ONE_PLACE_M for p in places):
                        places.append(landmark)
        self._longest = max(len(k) for k in (*self._names, *self._stations))
        self._firsts = frozenset(k[0] for k in (*self._names, *self._stations))
        # misspelt names ("wrigly field", "humbolt park"): by the word that says what it is
        # by the head word and the first letter of the rest: ("park", "h") -> {"humboldt": key}
        self._by_head: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {}
        for key in self._names:
            heads = [w for w in key if w in HEADS]
            if len(heads) == 1 and len(key) > 1:
                rest = " ".join(w for w in key if w != heads[0])
                self._by_head.setdefault((heads[0], rest[0]), {})[rest] = key
        self._heads = frozenset(head for head, _ in self._by_head)

    @classmethod
    def load(cls, path: Path = DATA, tokenize: Callable[[str], list[str]] = words_of) -> Gazetteer:
        rows = []
        with path.open(newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                landmark = Landmark(
                    r["kind"],
                    r["name"],
                    float(r["latitude"]),
                    float(r["longitude"]),
                    tuple(r["lines"].split()),
                    int(r["weight"] or 0),
                )
                rows.append((landmark, r["aliases"].split("|")))
        return cls(rows, tokenize)

    def find(self, words: Sequence[str]) -> list[Found]:
        """The landmarks a text's folded words name, longest first, none overlapping."""
        found: list[Found] = []
        taken = [False] * len(words)
        candidates = []
        for i, word in enumerate(words):
            if word not in self._firsts:
                continue
            for n in range(min(self._longest, len(words) - i), 0, -1):
                key = tuple(words[i : i + n])
                if key in self._stations:  # said to be the train: before a park of that name
                    places = self._station(words, i, i + n, self._stations[key])
                    if places:
                        candidates.append((n, i, places))
                if key in self._names:
                    candidates.append((n, i, tuple(self._names[key])))
        if not candidates:
            candidates = self._misspelt(words)
        for n, i, places in sorted(candidates, key=lambda c: (-c[0], c[1])):
            if not any(taken[i : i + n]):
                taken[i : i + n] = [True] * n
                found.append(Found(i, i + n, places))
        return sorted(found, key=lambda f: f.start)

    def _misspelt(self, words: Sequence[str]) -> list[tuple[int, int, tuple[Landmark, ...]]]:
        """Names a letter or two off, around a word that says what the place is ("park",
        "field", "hospital"): the rest of the name with the same first letter and a rapidfuzz
        ratio ≥ MISSPELT; only when no name was found as written."""
        found = []
        for h, head in enumerate(words):
            if head not in self._heads:
                continue
            for n in (2, 3, 4):
                for i in range(max(0, h - n + 1), min(h, len(words) - n) + 1):
                    rest = [w for w in words[i : i + n] if w != head]
                    if any(w in SMALL_WORDS for w in rest):
                        continue  # "in the park", "my back yard near the park"
                    typed = " ".join(rest)
                    names = self._by_head.get((head, typed[:1]))
                    if not names or len(typed) < 4:
                        continue
                    best = process.extractOne(
                        typed, list(names), scorer=fuzz.ratio, score_cutoff=MISSPELT
                    )
                    if best:  # "wrigly" for "wrigley" (92), not "east" for "west" (75)
                        found.append((n, i, tuple(self._names[names[best[0]]])))
        return found

    def _station(
        self, words: Sequence[str], start: int, end: int, places: Sequence[Landmark]
    ) -> tuple[Landmark, ...]:
        """The stations of a name when a word beside it says train; the line named, if any."""
        near = list(words[end : end + CUE_WINDOW]) + list(words[max(0, start - 2) : start])
        lines = {LINE_OF[w] for w in near if w in LINE_OF}
        said = any(w in TRAIN_WORDS for w in near) or (lines and any(w in LINE_NOUNS for w in near))
        if not said:
            return ()  # "Damen blue cart", "red light on Pulaski": no train
        on_line = [p for p in places if lines & set(p.lines)]
        return tuple(on_line or places)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer of data/landmarks/landmarks.csv, built on first use."""
    return Gazetteer.load()
