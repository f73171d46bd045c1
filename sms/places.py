"""Where a text says the problem is: a street address, two cross streets, or a landmark, found
among its other words and resolved by the offline geocoder (backend.geo.geocoder) or the
gazetteer (backend.geo.landmarks).

"rats in the alley behind 1845 W Cortland" -> "1845 W Cortland"; "na rogu Milwaukee i Belmont"
-> "Milwaukee i Belmont", asked as "Milwaukee and Belmont"; "on Archer near Laramie", "westren ave
just north of fullerton", "47街和Ashland路口" -> the corner; "trash by the bean" -> Cloud Gate.
Street words are the street file's (words that are also everyday words — lake, water, high — only
before a street type); the connectors of the four languages (and & / @ n y con i 和 与 跟), and
the words that place one street near another (near, by, off, between, north of, cerca de, przy,
koło, na północ od...), are read as the geocoder's "and". An address or a corner comes before a
landmark: it is the more exact.
"""

from __future__ import annotations

from backend.geo.geocode_parse import DIRECTION_WORDS, SUFFIX_WORDS
from backend.geo.geocoder import Geocoder, GeocodeResult
from backend.geo.landmarks import Gazetteer, Landmark, gazetteer
from sms.words import Word, fold, split_words

# (rank, the place as written, the geocoder's answer): the best reading so far
Best = tuple[tuple[int, bool, float, int], str, GeocodeResult]

CONNECTORS = frozenset(
    {"and", "&", "/", "@", "n", "y", "con", "i", "x", "和", "与", "跟", "及", "到"}
    | {"near", "nr", "by", "off", "past", "between", "entre", "przy", "kolo", "obok", "blisko"}
    | {"niedaleko", "miedzy", "pomiedzy"}
)
# "(just) north of", "al norte de", "na północ od", "cerca de", "next to": one connector
TOWARDS = frozenset(
    "north south east west norte sur este oeste polnoc poludnie wschod zachod".split()
)
RELATIVE_ENDS = {"of": TOWARDS, "de": TOWARDS | {"cerca"}, "del": TOWARDS | {"cerca"},
                 "od": TOWARDS, "to": {"next", "close"}, "from": {"across"}, "a": {"junto"}}  # fmt: skip
RIGHT_BY = frozenset("just right directly justo tuz zaraz".split())
RELATIVE_LEAD = frozenset("just right a one half block blocks little bit al na tuz".split())
# Chinese street words written onto a name or number: "47街", "Ashland路口", "Halsted大道"
CJK_STREET = ("交叉口", "大街", "大道", "路口", "街口", "街", "路", "道")
CJK_NEAR = ("靠近", "接近")  # "Larrabee靠近Huron": one street near another, read as "&"
LANDMARK_CONFIDENCE = 0.9
WEAK_CONNECTORS = frozenset({"at", "on", "en", "na"})  # "Damen at Division": when no other
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


def _relative(words: list[Word]) -> list[Word]:
    """Words with "just north of", "cerca de", "next to"... made one connector ("&"), and the
    Chinese street words after a name or number dropped ("47街和Ashland路口")."""
    out: list[Word] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w.is_cjk and out and not out[-1].is_cjk:
            run = ""
            j = i
            while j < len(words) and words[j].is_cjk and len(run) < 3:
                run += words[j].norm
                j += 1
            marker = next((m for m in CJK_STREET if run.startswith(m)), None)
            if marker:
                i += len(marker)
                continue
            near = next((m for m in CJK_NEAR if run.startswith(m)), None)
            after = i + len(near) if near else 0
            if near and after < len(words) and not words[after].is_cjk:
                out.append(Word("&", w.start, words[after - 1].end))
                i = after
                continue
        if w.norm in CONNECTORS and out and out[-1].norm in RIGHT_BY:
            while out and out[-1].norm in RIGHT_BY:
                out.pop()  # "Halsted right by 18th": the connector alone
        lead = RELATIVE_ENDS.get(w.norm)
        if lead and out and out[-1].norm in lead and len(out) > 1:
            k = len(out) - 1
            while k > 0 and out[k - 1].norm in RELATIVE_LEAD:
                k -= 1
            start = out[k].start
            del out[k:]
            out.append(Word("&", start, w.end))
        else:
            out.append(w)
        i += 1
    return out


def _flat(name: str) -> str:
    """ "Belmont (Blue Line)" -> "Belmont, Blue Line", to sit inside parentheses."""
    return name.replace(" (", ", ").replace(")", "")


class PlaceFinder:
    def __init__(
        self, geocoder: Geocoder, everyday_words: frozenset[str], landmarks: Gazetteer | None = None
    ):
        self.geocoder = geocoder
        self.landmarks = landmarks if landmarks is not None else gazetteer()
        names: set[str] = set()
        pairs: set[tuple[str, str]] = set()
        for street in geocoder.map.streets.values():
            folded = fold(street.name).split()
            names.update(w for w in folded if len(w) > 1)
            pairs.update(zip(folded, folded[1:], strict=False))
        self.street_words = frozenset(names)
        self.name_pairs = frozenset(pairs)  # ("la", "salle"): a name's words one after the other
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
            # "Lake St", "Lake Park", "Green Bay", "La Salle": an everyday word before more of a name
            return (
                nxt in SUFFIXES
                or (w, nxt) in self.name_pairs
                or (len(w) > 3 and nxt in self.street_words and nxt not in self.everyday)
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

    def _side(self, words: list[Word], c: int, step: int, loose: bool = False) -> list[int]:
        """Indices of the street words next to a connector, nearest first. Beside a strong
        connector (`loose`), a street's name that is also an everyday word counts ("State & 79",
        "Wood just north of Armitage")."""
        side: list[int] = []
        j = c + step
        while 0 <= j < len(words) and len(side) < MAX_STREET_WORDS:
            if words[j].norm in CONNECTORS or words[j].is_cjk:
                break
            bare = all(words[k].norm in SUFFIXES or words[k].norm in DIRECTIONS for k in side)
            everyday_street = loose and words[j].norm in self.street_words
            if self._streetish(words, j) or (
                bare and (self._name_like(words, j) or everyday_street)
            ):
                side.append(j)
                j += step
                continue
            if words[j].is_number and not side and 0 < int(words[j].norm) <= 140:
                side.append(j)  # "63 and Halsted"
                j += step
                continue
            break
        lone = words[side[0]].norm if len(side) == 1 else ""
        if lone in DIRECTIONS or lone in SUFFIXES:
            if not (loose and len(lone) > 1 and lone in self.street_words):
                return []  # "N" or "Ave" alone is no street; "Kostner junto a North" is
        return side

    def _crossings(
        self, words: list[Word], connectors: frozenset[str]
    ) -> list[tuple[list[int], int, list[int]]]:
        found = []
        for c, w in enumerate(words):
            if w.norm not in connectors or c == 0 or c == len(words) - 1:
                continue
            if w.norm == "n" and (words[c - 1].is_number or words[c - 1].norm in CONNECTORS):
                continue  # "1845 N Damen": a direction
            loose = connectors is CONNECTORS
            left, right = self._side(words, c, -1, loose), self._side(words, c, 1, loose)
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
        landmarks = self.landmarks.find([w.norm for w in words])
        named = [
            (text[words[f.start].start : words[f.end - 1].end], f.landmarks) for f in landmarks
        ]
        words = _relative(words)
        fallback: tuple[str, GeocodeResult] | None = None
        best: Best | None = None
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
        if named:
            return self._landmark(*max(named, key=lambda n: len(n[0])))
        return fallback if fallback else (None, None)

    def _landmark(self, written: str, places: tuple[Landmark, ...]) -> tuple[str, GeocodeResult]:
        """The landmark as a place to confirm: the words the resident wrote and its name."""
        answers = tuple(_landmark_result(written, p) for p in places)
        if len(answers) == 1:
            return written, answers[0]
        first = answers[0]
        return written, GeocodeResult(
            first.address,
            first.lat,
            first.long,
            "landmark",
            round(LANDMARK_CONFIDENCE / len(answers), 3),
            answers,
            reason=f"{len(answers)} places are called {written}",
        )

    def _best_crossing(
        self, text: str, words: list[Word], left: list[int], right: list[int], best: Best | None
    ) -> Best | None:
        def a_text(ids: list[int]) -> str:
            return text[words[ids[0]].start : words[ids[-1]].end]

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


def _landmark_result(written: str, landmark: Landmark) -> GeocodeResult:
    name = landmark.name
    shown = name if fold(written) in fold(name) else f"{written} ({_flat(name)})"
    return GeocodeResult(shown, landmark.lat, landmark.long, "landmark", LANDMARK_CONFIDENCE)
