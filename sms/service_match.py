"""Which 311 service type a resident's words describe: synonyms in four languages plus the catalog.

Each type scores the weights of its phrases found in the text (sms/data/synonyms.json; the
catalog names, whole; the words of names missing there, weakly). The confidence of the best is
its share of its own and its closest rival's scores times how strong its own evidence is: one
clear phrase ("pothole", weight 1) gives 0.86, a weak word ("lamp", 0.4) 0.55, two types found
equally 0.43 or less.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path

from backend.catalog.loader import read_questions
from sms.matcher import Match, Matcher, Pattern, compile_pattern, pattern_words

ROOT = Path(__file__).resolve().parent.parent
CATALOG_CSV = ROOT / "backend" / "catalog" / "data" / "service_types.csv"
DATA_DIR = Path(__file__).parent / "data"
NAME_WORD_WEIGHT = 0.3  # a word of a catalog name ("wasp" in "Bee/Wasp Removal")
NAME_WEIGHT = 1.0  # the whole name typed ("graffiti removal request")
MAX_PER_TYPE = 3.0  # many phrases of one type say it no more surely than three
STRENGTH = 2.0  # confidence = share * (1 - exp(-STRENGTH * score))
GENERIC_NAME_WORDS = frozenset(
    "request complaint complaints inspection removal report program info information violation "
    "all other and or the of in to for on with no new out general check day during - "
    "assistance disabilities related review code".split()
)


@dataclass(frozen=True, slots=True)
class ServiceEntry:
    code: str
    name: str
    group: str = ""
    description: str = ""
    active: bool = True
    popularity: int = 0


def load_services(path: Path = CATALOG_CSV) -> list[ServiceEntry]:
    """The catalog's service types (active or not), as the repo ships them; never a private one
    (a police report is screened and filed by its own dialog, sms/police.py)."""
    private = {code for code, spec in read_questions().items() if spec.private}
    with path.open(newline="", encoding="utf-8") as f:
        return [
            ServiceEntry(
                r["code"],
                r["name"].strip(),
                r["group"].strip(),
                r["description"].strip(),
                r["active"] == "true",
                int(r["popularity"] or 0),
            )
            for r in csv.DictReader(f)
            if r["code"] not in private
        ]


def read_phrases(name: str) -> dict[str, dict[str, list[str]]]:
    data = json.loads((DATA_DIR / name).read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def phrase_pattern(label: str, phrase: str) -> Pattern:
    """ "hole + street =0.7" -> a pattern of weight 0.7; "~light* out": a generic one (a symptom
    that counts for its type only when no type it yields to is named, see `read_yields`)."""
    text, _, weight = phrase.partition(" =")
    text = text.strip()
    generic = text.startswith("~")
    return compile_pattern(label, float(weight) if weight else 1.0, text.lstrip("~ "), generic)


def read_yields() -> dict[str, frozenset[str] | None]:
    """synonyms.json's "_yields": {type: the types its generic phrases give way to; "*": any}.
    "light out" is a street light's, unless the text names an alley light or a traffic signal."""
    data = json.loads((DATA_DIR / "synonyms.json").read_text(encoding="utf-8"))
    return {
        code: None if to == "*" else frozenset(to) for code, to in data.get("_yields", {}).items()
    }


def synonym_patterns(codes: set[str]) -> list[Pattern]:
    patterns: list[Pattern] = []
    for code, by_language in read_phrases("synonyms.json").items():
        if code not in codes:
            continue  # a catalog without that type (tests check the shipped one has them all)
        for phrases in by_language.values():
            patterns.extend(phrase_pattern(code, p) for p in phrases)
    return patterns


def catalog_patterns(services: list[ServiceEntry], with_synonyms: set[str]) -> list[Pattern]:
    """Each active type's name, whole, and its telling words, weakly: a word in two names counts
    half as much for each; in more ("sign", "light", "water"), not at all."""
    named = {
        s.code: [w for w in pattern_words(s.name.replace("/", " ")) if w.isalpha()]
        for s in services
    }
    uses: dict[str, int] = {}
    for words in named.values():
        for w in set(words):
            uses[w] = uses.get(w, 0) + 1
    patterns = []
    for code, words in named.items():
        if len(words) > 1:
            patterns.append(compile_pattern(code, NAME_WEIGHT, " ".join(words)))
        if code in with_synonyms:
            continue  # its own words are in synonyms.json, weighed by hand
        for w in dict.fromkeys(words):
            if w not in GENERIC_NAME_WORDS and len(w) >= 4 and uses[w] <= 2:
                patterns.append(compile_pattern(code, NAME_WORD_WEIGHT / uses[w], w))
    return patterns


def confidence(score: float, total: float) -> float:
    if score <= 0 or total <= 0:
        return 0.0
    return round(score / total * (1.0 - math.exp(-STRENGTH * score)), 3)


def type_scores(
    matches: list[Match], yields: dict[str, frozenset[str] | None] | None = None
) -> dict[str, float]:
    """Each type's summed weights; a generic phrase of a type that yields is left out when a type
    it yields to is named by a phrase of its own ("traffic light out": the signal, not a street
    light; "the sewer smells": the sewer, not air pollution)."""
    named = {m.pattern.label for m in matches if not m.pattern.generic}
    scores: dict[str, float] = {}
    for m in matches:
        label = m.pattern.label
        if label.startswith("!"):
            continue
        if m.pattern.generic and yields and label in yields:
            to = yields[label]
            others = named - {label} if to is None else named & to
            if any(not o.startswith("!") for o in others):
                continue
        scores[label] = scores.get(label, 0.0) + m.pattern.weight
    return {c: min(MAX_PER_TYPE, s) for c, s in scores.items() if s > 0}


def ranked(scores: dict[str, float], popularity: dict[str, int]) -> list[tuple[str, float]]:
    """(code, confidence) best first, each against the best of the others; ties go to the more
    requested type."""
    order = sorted(scores, key=lambda c: (-scores[c], -popularity.get(c, 0)))
    out = []
    for i, c in enumerate(order):
        rival = scores[order[1]] if i == 0 and len(order) > 1 else scores[order[0]] if i else 0.0
        out.append((c, confidence(scores[c], scores[c] + rival)))
    return out


def build_matcher(
    services: list[ServiceEntry], extra: list[Pattern], known: frozenset[str]
) -> Matcher:
    active = [s for s in services if s.active]
    codes = {s.code for s in active}
    synonyms = synonym_patterns(codes)
    named = catalog_patterns(active, {p.label for p in synonyms})
    return Matcher(synonyms + named + extra, known, frozenset({"!emergency", "!police", "!none"}))
