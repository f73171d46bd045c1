"""Where a text says the problem is: a street address or two cross streets, found among its other
words and resolved by the offline geocoder (backend.geo.geocoder).

"rats in the alley behind 1845 W Cortland" -> "1845 W Cortland"; "na rogu Milwaukee i Belmont"
-> "Milwaukee i Belmont", asked as "Milwaukee and Belmont". Street words are the street file's
(words that are also everyday words — lake, water, high — only before a street type); the
connectors of the four languages (and & / @ n y con i 和 与 跟) are read as the geocoder's "and".
"""

from __future__ import annotations

from backend.geo.geocode_parse import DIRECTION_WORDS, SUFFIX_WORDS
from backend.geo.geocoder import Geocoder, GeocodeResult
from sms.words import Word, fold, split_words

CONNECTORS = frozenset(
    {"and", "&", "/", "@", "n", "y", "con", "i", "x", "和", "与", "跟", "及", "到"}
)
WEAK_CONNECTORS = frozenset({"at", "on"})  # "Damen at Division": only when no other connector
DIRECTIONS = frozenset(w.lower() for w in DIRECTION_WORDS) - {"no", "so"}
SUFFIXES = frozenset(w.lower() for w in SUFFIX_WORDS) - {
    "er",
    "xr",
    "sr",
    "rl",
    "toll",
    "row",
    "way",
}
NOT_A_NAME = frozenset(
    "am pm a.m p.m min mins minute minutes hour hours hrs hr day days week weeks month months year "
    "years time times people persons cars car trucks feet ft foot blocks block yards yard inches "
    "percent dollars bags bag rats holes potholes lights dogs cats kids units floor floors story "
    "stories of x o'clock oclock dni tygodni tygodnie miesiecy lat godzin dias semanas meses anos "
    "horas minutos personas carros pies".split()
)
MAX_STREET_WORDS = 4
SURE = 0.9  # an answer this sure ends the search


def _is_ordinal(word: str) -> bool:
    return word[:-2].isdigit() and word[-2:] in ("st", "nd", "rd", "th")


class PlaceFinder:
    def __init__(self, geocoder: Geocoder, everyday_words: frozenset[str]):
        self.geocoder = geocoder
        names: set[str] = set()
        for street in geocoder.map.streets.values():
            names.update(w for w in fold(street.name).split() if len(w) > 1)
        self.street_words = frozenset(names)
        self.everyday = everyday_words | NOT_A_NAME

    # -- words ---------------------------------------------------------------------------------

    def _streetish(self, words: list[Word], i: int) -> bool:
        w = words[i].norm
        if w in DIRECTIONS or w in SUFFIXES or _is_ordinal(w):
            return True
        if w in self.street_words:
            if w not in self.everyday:
                return True
            nxt = words[i + 1].norm if i + 1 < len(words) else ""
            # "Lake St", "Lake Park", "Green Bay": an everyday word before more of a name
            return nxt in SUFFIXES or (
                len(w) > 3 and nxt in self.street_words and nxt not in self.everyday
            )
        if len(w) == 1 and i and words[i - 1].norm == "avenue" and w in "bcdefghjklmno":
            return True  # the East Side's lettered avenues: "Avenue L"
        return False

    def _name_like(self, words: list[Word], i: int) -> bool:
        """A word that may be a misspelt street name: letters, not an everyday word."""
        w = words[i]
        return (
            w.norm.isalpha()
            and not w.is_cjk
            and len(w.norm) >= 3
            and w.norm not in self.everyday
            and w.norm not in CONNECTORS
        )

    # -- addresses -----------------------------------------------------------------------------

    def _address_spans(self, words: list[Word]) -> list[tuple[int, int, int, bool]]:
        """(number, name, last, typed like an address) for "1845 W Cortland Ave"-like runs."""
        spans = []
        for i, w in enumerate(words):
            if not w.is_number or not 0 < int(w.norm) < 14_000 or len(w.norm) > 5:
                continue
            k = i + 1
            marked = False
            if k < len(words) and words[k].norm in DIRECTIONS and k + 1 < len(words):
                k, marked = k + 1, True
            if k >= len(words):
                continue
            first = words[k]
            if first.is_cjk or first.is_number or first.norm in NOT_A_NAME:
                continue
            if first.norm in CONNECTORS or first.norm in WEAK_CONNECTORS:
                continue
            if not (self._streetish(words, k) or self._name_like(words, k) or marked):
                continue
            last = k
            while last + 1 < len(words) and last + 1 - k < MAX_STREET_WORDS:
                if words[last].norm in SUFFIXES and last > k:
                    break
                if not self._streetish(words, last + 1):
                    break
                last += 1
            marked = marked or words[last].norm in SUFFIXES
            spans.append((i, k, last, marked))
        return spans

    # -- intersections -------------------------------------------------------------------------

    def _side(self, words: list[Word], c: int, step: int) -> list[int]:
        """Indices of the street words next to a connector, nearest first."""
        side: list[int] = []
        j = c + step
        while 0 <= j < len(words) and len(side) < MAX_STREET_WORDS:
            if words[j].norm in CONNECTORS or words[j].is_cjk:
                break
            if self._streetish(words, j) or (not side and self._name_like(words, j)):
                side.append(j)
                j += step
                continue
            if words[j].is_number and not side and 0 < int(words[j].norm) <= 140:
                side.append(j)  # "63 and Halsted"
                j += step
                continue
            break
        if len(side) == 1 and (
            words[side[0]].norm in DIRECTIONS or words[side[0]].norm in SUFFIXES
        ):
            return []  # "N" or "Ave" alone is no street
        return side

    def _crossings(self, words: list[Word], connectors: frozenset[str]) -> list[tuple]:
        found = []
        for c, w in enumerate(words):
            if w.norm not in connectors or c == 0 or c == len(words) - 1:
                continue
            if w.norm == "n" and (words[c - 1].is_number or words[c - 1].norm in CONNECTORS):
                continue  # "1845 N Damen": a direction
            left, right = self._side(words, c, -1), self._side(words, c, 1)
            if left and right:
                found.append((left[::-1], c, right))
        return found

    # -- the search ----------------------------------------------------------------------------

    def find(
        self, text: str, skip: tuple[int, int] | None = None
    ) -> tuple[str | None, GeocodeResult | None]:
        """(the place as written, the geocoder's answer), or (None, None) when there is none."""
        words = split_words(text)
        if skip:
            words = [w for w in words if w.end <= skip[0] or w.start >= skip[1]]
        fallback: tuple[str, GeocodeResult] | None = None
        best: tuple[tuple, str, GeocodeResult] | None = None
        for first, name, last, marked in self._address_spans(words):
            for end in range(last, name - 1, -1):
                phrase = text[words[first].start : words[end].end]
                result = self.geocoder.geocode(phrase)
                if result.found or result.candidates:
                    rank = (2, result.found, result.confidence, end - first)
                    if best is None or rank > best[0]:
                        best = (rank, phrase, result)
                    if result.found and result.confidence >= SURE:
                        break
                elif end == last and marked and fallback is None:
                    fallback = (phrase, result)
        if best is None:
            crossings = self._crossings(words, CONNECTORS) or self._crossings(
                words, WEAK_CONNECTORS
            )
            for left, _c, right in crossings:
                best = self._best_crossing(text, words, left, right, best)
        if best is not None:
            return best[1], best[2]
        return fallback if fallback else (None, None)

    def _best_crossing(self, text, words, left, right, best):
        a_text = lambda ids: text[words[ids[0]].start : words[ids[-1]].end]  # noqa: E731
        sizes = [(a, b) for a in range(len(left), 0, -1) for b in range(len(right), 0, -1)]
        for a, b in sizes:
            lhs, rhs = left[len(left) - a :], right[:b]
            query = f"{a_text(lhs)} and {a_text(rhs)}"
            result = self.geocoder.geocode(query)
            if not (result.found or result.candidates):
                continue
            rank = (1, result.found, result.confidence, a + b)
            if best is None or rank > best[0]:
                best = (rank, text[words[lhs[0]].start : words[rhs[-1]].end], result)
            if result.found and result.confidence >= SURE:
                break
        return best
