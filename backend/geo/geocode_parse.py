"""Reading what people type: "1845 w. cortland st apt 2, Chicago IL 60622", "63rd/Halsted".

A fast hand-written tokenizer covers the forms 311 sees (a number, a direction, a name, a type,
a unit, the city, the zip); usaddress (a CRF tagger, ≈90 µs a call, 20 times the tokenizer's cost)
is asked only when that reading finds no street.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DIRECTION_WORDS = {
    "N": "N", "NORTH": "N", "NO": "N",
    "S": "S", "SOUTH": "S", "SO": "S",
    "E": "E", "EAST": "E",
    "W": "W", "WEST": "W",
}  # fmt: skip
SUFFIX_WORDS = {
    "AVE": "AVE", "AV": "AVE", "AVENUE": "AVE", "AVN": "AVE", "AVNUE": "AVE",
    "ST": "ST", "STR": "ST", "STREET": "ST", "STRT": "ST",
    "BLVD": "BLVD", "BLV": "BLVD", "BOULEVARD": "BLVD", "BOUL": "BLVD",
    "DR": "DR", "DRIVE": "DR", "DRV": "DR",
    "PL": "PL", "PLACE": "PL",
    "RD": "RD", "ROAD": "RD",
    "PKWY": "PKWY", "PARKWAY": "PKWY", "PKY": "PKWY", "PWY": "PKWY",
    "CT": "CT", "COURT": "CT", "CRT": "CT",
    "TER": "TER", "TERRACE": "TER", "TERR": "TER",
    "LN": "LN", "LANE": "LN",
    "HWY": "HWY", "HIGHWAY": "HWY",
    "EXPY": "EXPY", "EXPRESSWAY": "EXPY", "EXPWY": "EXPY",
    "PLZ": "PLZ", "PLAZA": "PLZ",
    "SQ": "SQ", "SQUARE": "SQ",
    "WAY": "WAY", "ROW": "ROW", "CRES": "CRES", "CRESCENT": "CRES",
    "ER": "ER", "XR": "XR", "SR": "SR", "TOLL": "TOLL", "RL": "RL",
}  # fmt: skip
NAME_WORDS = {"SAINT": "ST", "MOUNT": "MT", "FORT": "FT"}
ALIASES = {  # what people call a street -> its name in the city's file
    "MLK": "DR MARTIN LUTHER KING JR",
    "MLK JR": "DR MARTIN LUTHER KING JR",
    "DR MLK": "DR MARTIN LUTHER KING JR",
    "DR MLK JR": "DR MARTIN LUTHER KING JR",
    "KING": "DR MARTIN LUTHER KING JR",
    "MARTIN LUTHER KING": "DR MARTIN LUTHER KING JR",
    "MARTIN LUTHER KING JR": "DR MARTIN LUTHER KING JR",
    "DR MARTIN LUTHER KING": "DR MARTIN LUTHER KING JR",
    "LSD": "LAKE SHORE",
    "IDA B WELLS": "CONGRESS",  # renamed in 2018; the street file is from 2017
    "DUSABLE LAKE SHORE": "LAKE SHORE",  # renamed in 2021
    "JEAN BAPTISTE POINT DUSABLE LAKE SHORE": "LAKE SHORE",
}
UNIT_WORDS = frozenset(
    "APT APARTMENT UNIT STE SUITE # FL FLR FLOOR RM ROOM BSMT BASEMENT REAR BLDG DEPT LOT".split()
)
CITY_WORDS = frozenset({"CHICAGO", "IL", "ILL", "ILLINOIS", "USA", "US"})
STREETS_NAMED_LIKE_CITY = frozenset({"CHICAGO", "ILLINOIS"})  # Chicago Ave, Illinois St
SEPARATORS = frozenset({"AND", "&", "/", "AT", "@", "X"})
LEADING: tuple[str, ...] = (
    "AT THE CORNER OF",
    "THE CORNER OF",
    "CORNER OF",
    "CORNER",
    "INTERSECTION OF",
)
LEADING += ("THE INTERSECTION OF", "NEAR", "ON", "AT", "BY")
_ZIP = re.compile(r"^(6\d{4})(?:-\d{4})?$")
_NUMBER = re.compile(r"^(\d{1,6})(?:-\d{1,6})?[A-Z]?$")
_SPLIT_ORDINAL = re.compile(r"\b(\d{1,3}) (ST|ND|RD|TH)\b")
_PUNCT = re.compile(r"[^A-Z0-9#&@/,\- ]")


def ordinal(n: int) -> str:
    """63 -> "63RD", 111 -> "111TH"."""
    if 10 <= n % 100 <= 20:
        return f"{n}TH"
    return f"{n}" + {1: "ST", 2: "ND", 3: "RD"}.get(n % 10, "TH")


@dataclass(frozen=True, slots=True)
class StreetText:
    """One reading of a street phrase."""

    name: str  # "KEDZIE", "63RD", "DR MARTIN LUTHER KING JR"
    direction: str = ""  # "" when not typed
    suffix: str = ""  # "" when not typed


@dataclass(frozen=True, slots=True)
class Query:
    kind: str  # "address" | "intersection" | ""
    number: int = 0
    streets: tuple[tuple[StreetText, ...], ...] = ()  # readings of one street, or of two
    zip: str = ""


def _join_ordinals(text: str) -> str:
    """ "63 rd" -> "63RD", but "1845 ST LOUIS" stays (1845 is not written "1845ST")."""

    def fix(m: re.Match[str]) -> str:
        n = int(m.group(1))
        return m.group(1) + m.group(2) if ordinal(n).endswith(m.group(2)) else m.group(0)

    return _SPLIT_ORDINAL.sub(fix, text)


def tokens_of(text: str) -> list[str]:
    text = text.upper().replace("’", "").replace("'", "").replace("`", "")
    text = re.sub(r"\d+/\d+", " ", re.sub(r"(\d) (\d/\d)", r"\1 ", text))  # "1845 1/2 W ..."
    text = _PUNCT.sub(" ", text)
    for sep in ",#&@/":
        text = text.replace(sep, f" {sep} ")
    return _join_ordinals(" ".join(text.split())).split()


def _strip_place(tokens: list[str]) -> tuple[list[str], str]:
    """Drops the city, state and zip (keeping the zip); a comma ends the street part."""
    zipcode = ""
    for t in tokens:
        m = _ZIP.match(t)
        if m and len(tokens) > 1:
            zipcode = m.group(1)
    if "," in tokens[1:]:
        head = tokens[: tokens.index(",", 1)]
        if head and any(ch.isalpha() for t in head for ch in t):
            tokens = head
    tokens = [t for t in tokens if t != "," and not (_ZIP.match(t) and t[:5] == zipcode)]
    while len(tokens) > 2 and tokens[-1] in CITY_WORDS:
        if tokens[-1] in STREETS_NAMED_LIKE_CITY and (
            tokens[-2] in DIRECTION_WORDS or tokens[-2] in SEPARATORS
        ):
            break  # "800 W CHICAGO", "Avers and Chicago", "Clark & Illinois": the street
        tokens.pop()
    return tokens, zipcode


def _strip_unit(tokens: list[str]) -> list[str]:
    for i, t in enumerate(tokens):
        if t in UNIT_WORDS and i >= 2:
            return tokens[:i]
    return tokens


def _normal_name(words: list[str]) -> str:
    words = [NAME_WORDS.get(w, w) for w in words]
    if len(words) == 1 and words[0].isdigit() and 1 <= int(words[0]) <= 140:
        words = [ordinal(int(words[0]))]  # "63 and Halsted"
    elif len(words) == 1 and len(words[0]) == 1 and words[0] in "BCDEFGHJKLMNO":
        words = ["AVENUE", words[0]]  # "S L AVE": the East Side's lettered avenues
    if len(words) > 1 and words[0] in ("LOWER", "UPPER"):
        words = words[1:] + words[:1]  # "LOWER WACKER" is filed as "WACKER LOWER"
    name = " ".join(words)
    return ALIASES.get(name, name)


def street_readings(words: list[str]) -> tuple[StreetText, ...]:
    """Every reasonable reading: "SOUTH SHORE DR" is (S, SHORE, DR) or (-, SOUTH SHORE, DR)."""
    words = [w for w in words if w not in {",", "#"}]
    readings: list[StreetText] = []
    for with_dir in (True, False):
        rest, direction = words, ""
        if with_dir:
            if len(words) < 2 or words[0] not in DIRECTION_WORDS:
                continue
            if len(words) == 2 and words[1] in SUFFIX_WORDS:
                continue  # "NORTH AVE" is a name and a type, not a direction
            direction, rest = DIRECTION_WORDS[words[0]], words[1:]
        elif len(words) > 1 and len(words[0]) <= 2 and words[0] in DIRECTION_WORDS:
            continue  # "W" alone never starts a name; "SOUTH" does ("SOUTH SHORE DR")
        # the type is the last type word, with at most a unit or a bound after it ("ST 2F")
        cut = next((j for j in range(len(rest) - 1, 0, -1) if rest[j] in SUFFIX_WORDS), 0)
        if cut and cut >= len(rest) - 2:
            suffix = SUFFIX_WORDS[rest[cut]]
            readings.append(StreetText(_normal_name(rest[:cut]), direction, suffix))
            # "ST LOUIS", "PARK": the type word may be part of the name
            readings.append(StreetText(_normal_name(rest[: cut + 1]), direction, ""))
        if rest and (not cut or cut < len(rest) - 1):  # "AVENUE O"
            readings.append(StreetText(_normal_name(rest), direction, ""))
    return tuple(dict.fromkeys(readings))


def parse(text: str) -> Query:
    tokens = tokens_of(text)
    if not tokens:
        return Query("")
    tokens, zipcode = _strip_place(tokens)
    joined = " ".join(tokens)
    for lead in LEADING:
        if joined.startswith(lead + " ") and len(joined) > len(lead) + 1:
            tokens = tokens[len(lead.split()) :]
            joined = " ".join(tokens)
    m = _NUMBER.match(tokens[0]) if tokens else None
    if not m and not any(t in SEPARATORS for t in tokens):  # "rear of bldg 1845 W Cortland"
        start = next(
            (
                i
                for i in range(1, len(tokens) - 1)
                if _NUMBER.match(tokens[i]) and tokens[i + 1].isalpha()
            ),
            0,
        )
        if start:
            tokens = tokens[start:]
            m = _NUMBER.match(tokens[0])
    if m and len(tokens) >= 2 and tokens[1] not in SEPARATORS:
        words = _strip_unit(tokens[1:])
        cut = next((i for i, w in enumerate(words) if w in SEPARATORS), len(words))
        return Query("address", int(m.group(1)), (street_readings(words[:cut]),), zipcode)
    cut = next((i for i, t in enumerate(tokens) if t in SEPARATORS and 0 < i < len(tokens) - 1), 0)
    if cut:
        first, second = street_readings(tokens[:cut]), street_readings(tokens[cut + 1 :])
        if first and second:
            return Query("intersection", 0, (first, second), zipcode)
    return Query("", 0, (street_readings(tokens),), zipcode)


def parse_with_usaddress(text: str) -> Query:
    """The CRF tagger's reading of a messy address ("Harold Washington Library, 400 S State")."""
    try:
        import usaddress  # ≈10 ms to import: only when first needed

        tagged, _ = usaddress.tag(text)
    except Exception:  # usaddress raises RepeatedLabelError on odd text: no reading then
        return Query("")
    number = re.sub(r"\D.*", "", tagged.get("AddressNumber", ""))
    parts = [
        tagged.get(k, "") for k in ("StreetNamePreDirectional", "StreetName", "StreetNamePostType")
    ]
    words = tokens_of(" ".join(p for p in parts if p))
    zipcode = tagged.get("ZipCode", "")[:5]
    if number and words:
        return Query("address", int(number), (street_readings(words),), zipcode)
    return Query("")
