"""Splitting a text message into words: folded for matching, with their place in the original."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# A word is a run of letters, a run of digits with an optional ordinal ending ("63rd"), one CJK
# character (Chinese has no spaces: each character is a word, phrases are runs of them), or one of
# the signs people put between two streets.
_WORD = re.compile(
    r"\d+(?:st|nd|rd|th)?(?!(?![\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])[^\W\d_])"
    r"|[^\W\d_]+|[&/@#]",
    re.IGNORECASE,
)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_FOLD_EXTRA = str.maketrans({"ł": "l", "Ł": "l", "ß": "ss", "’": "'"})


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def fold(text: str) -> str:
    """Lower case without accents: "Świeci" -> "swieci", "Ñ" -> "n"; CJK is kept as it is."""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD_EXTRA).lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


_fold_word = lru_cache(maxsize=50_000)(fold)  # texts repeat their words: "the", "street", "和"


@dataclass(frozen=True, slots=True)
class Word:
    norm: str  # folded: "swieci", "1845", "和"
    start: int  # where it is in the text
    end: int

    @property
    def is_number(self) -> bool:
        return self.norm.isdigit()

    @property
    def is_cjk(self) -> bool:
        return _CJK.match(self.norm) is not None


def split_words(text: str) -> list[Word]:
    """The words of a text; CJK characters come out one by one ("垃圾" -> "垃", "圾")."""
    words = []
    for m in _WORD.finditer(text):
        token = m.group(0)
        if _CJK.search(token):  # a run of letters may mix CJK and Latin: "Halsted路口"
            for sub in re.finditer(
                r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\u3400-\u9fff]+", token
            ):
                words.append(
                    Word(_fold_word(sub.group(0)), m.start() + sub.start(), m.start() + sub.end())
                )
        else:
            words.append(Word(_fold_word(token), m.start(), m.end()))
    return words


def normalize_text(text: str) -> str:
    """Full-width digits and letters to ASCII (NFKC), so "１５００" reads as "1500"."""
    return unicodedata.normalize("NFKC", text)
