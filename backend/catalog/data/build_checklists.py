"""Builds keywords.json and checks checklists.json (run from the repository root):

    python backend/catalog/data/build_checklists.py [--check]

checklists.json is written by hand (see ATTRIBUTION.md); this script only reports, for each type
that has a checklist, the type's questions no step asks (a step asks a question when its id is the
question's code in slug form: WHERE_SEEN → "where-seen") and fails when a required one is missing.

keywords.json is generated: for every service type, its name words, then the English phrases of
sms/data/synonyms.json (the SMS parser's own words for the type), cleaned for people to read:

- phrases with a weight below 1 (`=0.5`) are left out: the parser itself trusts them less;
- `part + part` rules are left out: they are word pairs the parser looks for anywhere in a text
  ("tree + down"), not phrases a person would type as a keyword;
- a stem (`pothol*`) becomes the shortest known word that starts with it and is at most 4 letters
  longer, looked up first in the type's own texts (name, description, questions, phrases), then in
  the whole catalog and every type's phrases; a stem no known word completes stays as it is
  (`airplane*` → "airplane") unless it is a misspelling or in DROP;
- misspellings the parser tolerates on purpose (`ratss`, `graffitti`, `potwhole*`) are left out: a
  word not in the catalog's own texts that starts like a word that is, is one letter away from it
  (two for words over 5 letters) and is not simply its plural; plus the few in DROP;
- a plural is left out when its singular is already a keyword; at most MAX_KEYWORDS per type.

`--check` rebuilds in memory and fails if keywords.json differs (nothing is written).
"""

from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent
ROOT = DATA_DIR.parents[2]
SERVICE_TYPES_CSV = DATA_DIR / "service_types.csv"
QUESTIONS_JSON = DATA_DIR / "questions.json"
CHECKLISTS_JSON = DATA_DIR / "checklists.json"
KEYWORDS_JSON = DATA_DIR / "keywords.json"
SYNONYMS_JSON = ROOT / "sms" / "data" / "synonyms.json"

MAX_KEYWORDS = 12
MAX_COMPLETION = 4
NAME_STOPWORDS = {
    "a", "accepted", "all", "an", "and", "at", "being", "by", "call", "complaint", "complaints",
    "concern", "do", "during", "feedback", "for", "formerly", "general", "in", "info", "inquiries",
    "information", "longer", "no", "not", "of", "on", "one", "only", "or", "other", "out", "related",
    "report", "request", "the", "to", "up", "way",
}  # fmt: skip
# What the rules above let through that is still a misspelling or a run-together spelling.
DROP = {"flydump", "pot whole", "repav", "stopsign", "stormdrain", "street-light"}
WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
WEIGHT = re.compile(r"\s*=\s*([0-9.]+)\s*$")


def words(text: str) -> list[str]:
    """Lowercase words, accents dropped ("Café" → "cafe")."""
    text = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return WORD.findall("".join(c for c in text if not unicodedata.combining(c)))


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or limit + 1 once it is known to exceed limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def is_plural_of(word: str, other: str) -> bool:
    return word in (other + "s", other + "es") or (
        word.endswith("ies") and word[:-3] + "y" == other
    )


class Vocabulary:
    def __init__(self, corpus: set[str], phrase_words: set[str]) -> None:
        """corpus: every word of the catalog's own texts; phrase_words: the whole (not starred)
        words of the SMS phrases."""
        self.corpus = corpus
        self._typos: dict[str, bool] = {}
        self.known = corpus | {w for w in phrase_words if not self.is_typo(w)}

    def is_typo(self, word: str) -> bool:
        if word not in self._typos:
            limit = 1 if len(word) <= 5 else 2
            self._typos[word] = word not in self.corpus and any(
                len(c) >= 4
                and c[0] == word[0]
                and not (is_plural_of(word, c) and not c.endswith("s"))
                and not is_plural_of(c, word)
                and edit_distance(word, c, limit) <= limit
                for c in self.corpus
            )
        return self._typos[word]


def whole_words(entry: str) -> list[str]:
    """The words of a phrase that are not stems (`pothol*`)."""
    return [w for t in entry.replace("+", " ").split() if not t.endswith("*") for w in words(t)]


def type_texts(row: dict[str, str], spec: dict[str, Any]) -> list[str]:
    texts = [row["name"], row["description"]]
    for q in spec.get("questions", ()):
        texts += [q["label"], q.get("description", "")]
        texts += [c["name"] for c in q.get("choices", ())]
    return texts


def resolve(token: str, local: set[str], vocab: Vocabulary) -> str | None:
    """A word of a phrase: stems completed, misspellings None."""
    if token.endswith("*"):
        stem = token.rstrip("*")
        for pool in (local, vocab.known):
            fits = [w for w in pool if w.startswith(stem) and len(w) <= len(stem) + MAX_COMPLETION]
            if fits:
                return min(fits, key=lambda w: (len(w), w))
        token = stem
    if not WORD.fullmatch(token) or vocab.is_typo(token):
        return None
    return token


def phrase(text: str, local: set[str], vocab: Vocabulary) -> str | None:
    resolved = [resolve(t, local, vocab) for t in text.lower().split()]
    return None if not resolved or None in resolved else " ".join(resolved)  # type: ignore[arg-type]


def build_keywords(
    types: list[dict[str, str]], questions: dict[str, Any], synonyms: dict[str, Any]
) -> dict[str, list[str]]:
    corpus = {
        w for r in types for t in type_texts(r, questions.get(r["code"], {})) for w in words(t)
    }
    english = {code: by_language.get("en", []) for code, by_language in synonyms.items()
               if not code.startswith("_")}  # fmt: skip
    phrase_words = {w for entries in english.values() for e in entries for w in whole_words(e)}
    vocab = Vocabulary(corpus, phrase_words)

    result = {}
    for row in types:
        code = row["code"]
        entries = english.get(code, [])
        local = {w for t in type_texts(row, questions.get(code, {})) for w in words(t)}
        local |= {w for e in entries for w in whole_words(e) if not vocab.is_typo(w)}
        name_words = [w for w in words(row["name"]) if w not in NAME_STOPWORDS and len(w) > 1]
        plain = []
        for entry in entries:
            m = WEIGHT.search(entry)
            if (m and float(m.group(1)) < 1) or "+" in entry:
                continue
            plain.append(phrase(WEIGHT.sub("", entry), local, vocab))
        keywords: list[str] = []
        for k in [*name_words, *plain]:
            if not k or k in keywords or k in DROP or "," in k:
                continue
            if any(is_plural_of(k, other) or is_plural_of(other, k) for other in keywords):
                continue
            keywords.append(k)
        result[code] = keywords[:MAX_KEYWORDS]
    return result


def check_checklists(
    types: list[dict[str, str]], questions: dict[str, Any], checklists: dict[str, Any]
) -> list[str]:
    """Lines reporting the questions no step asks; required ones are errors (prefixed "ERROR")."""
    names = {r["code"]: r["name"] for r in types}
    lines = []
    for code, steps in checklists.items():
        ids = {s["id"] for s in steps}
        for q in questions.get(code, {}).get("questions", ()):
            if q["code"].lower().replace("_", "-") not in ids:
                level = "ERROR required" if q.get("required") else "note optional"
                lines.append(f"{level} question {code}.{q['code']} has no step ({names.get(code)})")
    return lines


def main(argv: list[str]) -> int:
    with SERVICE_TYPES_CSV.open(newline="", encoding="utf-8") as f:
        types = list(csv.DictReader(f))
    questions = json.loads(QUESTIONS_JSON.read_text(encoding="utf-8"))
    synonyms = json.loads(SYNONYMS_JSON.read_text(encoding="utf-8"))
    checklists = json.loads(CHECKLISTS_JSON.read_text(encoding="utf-8"))

    report = check_checklists(types, questions, checklists)
    for line in report:
        print(line)
    text = json.dumps(build_keywords(types, questions, synonyms), indent=1, ensure_ascii=False)
    text += "\n"
    if "--check" in argv:
        same = KEYWORDS_JSON.exists() and KEYWORDS_JSON.read_text(encoding="utf-8") == text
        print("keywords.json is up to date" if same else "keywords.json differs: rebuild it")
        failed = not same
    else:
        KEYWORDS_JSON.write_text(text, encoding="utf-8")
        print(f"wrote {KEYWORDS_JSON.name}: {len(types)} types")
        failed = False
    return 1 if failed or any(line.startswith("ERROR") for line in report) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
